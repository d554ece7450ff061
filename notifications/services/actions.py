"""Operator actions on deliveries: resend, send a test message, sweep."""

import logging
import uuid
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from notifications.models import (
    AttemptOutcome,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    NotificationConfiguration,
    RecipientType,
)
from notifications.recipients import Recipient, address_for
from notifications.scheduling import schedule_send
from notifications.schemas import FAMILY, with_defaults
from notifications.services.dispatch import build_delivery
from notifications.services.sending import delivery_send
from tenants.configuration.contexts import context_for_entity
from tenants.configuration.resolver import resolve

logger = logging.getLogger(__name__)

# Queued rows older than this were probably lost (broker outage, eager mode
# ignoring an eta); the sweep queues them again.
LOST_AFTER = timedelta(minutes=2)
# A row still `sending` after this long belongs to a worker that died
# mid-send; whether the provider got the message is unknown.
STUCK_AFTER = timedelta(minutes=15)
SWEEP_BATCH = 500
# TODO: prune sent deliveries, their attempts and development-backend
# messages after a retention period; the tables grow without bound today.


def delivery_resend(delivery: Delivery, now: datetime | None = None) -> bool:
    """Queue a finished delivery again; False if it is still in progress."""
    now = now or timezone.now()
    reopened = Delivery.objects.filter(
        pk=delivery.pk, status__in=(DeliveryStatus.SENT, DeliveryStatus.FAILED)
    ).update(
        status=DeliveryStatus.PENDING,
        attempt_count=0,
        scheduled_for=now,
        last_error="",
        updated_at=now,
    )
    if reopened:
        schedule_send(delivery.pk)
        logger.info("delivery %s queued again by an operator", delivery.pk)
    return reopened == 1


def notification_send_test(
    config: NotificationConfiguration, user, now: datetime | None = None
) -> Delivery:
    """Send a sample of `config`'s event to `user` through the real backend.

    The message goes to the user's staff profile (email or phone, by channel)
    or their account email, at once, without retries, fallback or quiet hours.
    """
    now = now or timezone.now()
    effective = resolve(context_for_entity(config.target), FAMILY, config.kind)
    settings = {
        **with_defaults(effective.values),
        "retry_count": 0,
        "fallback_channel": None,
        "critical": True,
    }
    staff = getattr(user, "staff_profile", None)
    recipient = Recipient(
        type=RecipientType.USER,
        id=user.pk,
        name=(staff.name if staff else user.get_full_name()) or user.get_username(),
        email=(staff.email if staff else "") or user.email,
        phone=staff.phone if staff else "",
        time_zone="UTC",
        context=context_for_entity(config.target),
    )
    delivery = build_delivery(
        config.company_id,
        config.kind,
        f"test-{uuid.uuid4().hex}",
        {"test": True},
        recipient,
        settings,
        now,
    )
    delivery.address = address_for(recipient, delivery.channel, settings["webhook_url"])
    delivery.save()
    delivery_send(delivery.pk, now=now)
    delivery.refresh_from_db()
    return delivery


def deliveries_sweep(now: datetime | None = None) -> dict[str, int]:
    """Queue due deliveries whose task was lost and close abandoned sends."""
    now = now or timezone.now()
    due = list(
        Delivery.objects.filter(
            status__in=(DeliveryStatus.PENDING, DeliveryStatus.RETRYING),
            scheduled_for__lte=now - LOST_AFTER,
        )
        .order_by("scheduled_for")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for delivery_id in due:
        schedule_send(delivery_id)
    stuck = Delivery.objects.filter(
        status=DeliveryStatus.SENDING, updated_at__lte=now - STUCK_AFTER
    )
    stuck_ids = list(stuck.values_list("pk", flat=True)[:SWEEP_BATCH])
    error = (
        "the worker stopped during the send, so whether it arrived is unknown; "
        "resend it if needed"
    )
    closed = Delivery.objects.filter(
        pk__in=stuck_ids, status=DeliveryStatus.SENDING
    ).update(status=DeliveryStatus.FAILED, last_error=error, updated_at=now)
    DeliveryAttempt.objects.filter(
        Q(delivery_id__in=stuck_ids), outcome=AttemptOutcome.STARTED
    ).update(outcome=AttemptOutcome.PERMANENT, error=error, finished_at=now)
    if due or closed:
        logger.info("sweep queued %s deliveries and closed %s", len(due), closed)
    return {"queued": len(due), "closed": closed}
