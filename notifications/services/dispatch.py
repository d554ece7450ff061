"""Turn a domain event into delivery rows, one per recipient and channel."""

import logging
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from notifications.models import Delivery, DeliveryStatus
from notifications.payloads import payload_completed
from notifications.quiet_hours import quiet_hours_end
from notifications.recipients import Recipient, address_for, recipients_for
from notifications.scheduling import schedule_send
from notifications.schemas import FAMILY, with_defaults
from tenants.configuration.resolver import resolve_many
from tenants.models import Company

logger = logging.getLogger(__name__)


def hold_until(settings: dict, time_zone: str, when: datetime) -> datetime:
    """Return `when`, or the end of quiet hours if it falls inside them."""
    quiet = settings.get("quiet_hours")
    if not quiet or settings.get("critical"):
        return when
    end = quiet_hours_end(when, time_zone, quiet["start"], quiet["end"])
    return end or when


def build_delivery(
    company_id: int,
    event_type: str,
    event_key: str,
    payload: dict[str, Any],
    recipient: Recipient,
    settings: dict,
    now: datetime,
    channel: str | None = None,
) -> Delivery:
    channel = channel or settings["channel"]
    return Delivery(
        company_id=company_id,
        event_type=event_type,
        event_key=event_key,
        recipient_type=recipient.type,
        recipient_id=recipient.id,
        recipient_name=recipient.name,
        channel=channel,
        address=address_for(recipient, channel, settings.get("webhook_url") or ""),
        time_zone=recipient.time_zone,
        payload=payload,
        settings=settings,
        scheduled_for=hold_until(settings, recipient.time_zone, now),
    )


def notification_event_dispatch(
    event_type: str,
    company_id: int,
    payload: dict[str, Any],
    event_key: str,
    now: datetime | None = None,
) -> list[Delivery]:
    """Write the deliveries of one event and queue them after commit.

    Recipients without an enabled configuration at any level get nothing.
    Dispatching the same `event_key` again writes and queues nothing new.
    """
    now = now or timezone.now()
    company = Company.objects.filter(pk=company_id).first()
    if company is None:
        logger.warning("event %s names unknown company %s", event_type, company_id)
        return []
    payload = payload_completed(event_type, company_id, payload)
    recipients = recipients_for(event_type, company, payload)
    if not recipients:
        logger.info("event %s of company %s has no recipients", event_type, company_id)
        return []
    configs = resolve_many([r.context for r in recipients], FAMILY, event_type)
    rows = [
        build_delivery(
            company_id,
            event_type,
            event_key,
            payload,
            recipient,
            with_defaults(config.values),
            now,
        )
        for recipient, config in zip(recipients, configs, strict=True)
        if config.configured
    ]
    if not rows:
        return []
    with transaction.atomic():
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
        created = list(
            Delivery.objects.filter(
                event_key=event_key,
                status=DeliveryStatus.PENDING,
                attempt_count=0,
                fallback_of__isnull=True,
            )
        )
        for delivery in created:
            eta = delivery.scheduled_for if delivery.scheduled_for > now else None
            schedule_send(delivery.pk, eta=eta)
    return created
