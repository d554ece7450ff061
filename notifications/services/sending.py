"""Send one delivery: claim it, render, call the backend, record the outcome."""

import logging
from datetime import datetime, timedelta

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from notifications.backends.base import Message, PermanentError, TransientError
from notifications.backends.registry import get_backend
from notifications.backoff import retry_delay
from notifications.models import (
    AttemptOutcome,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
)
from notifications.recipients import address_for, load_recipient
from notifications.rendering import RenderError, render_message, template_context
from notifications.scheduling import schedule_send
from notifications.services.dispatch import hold_until

logger = logging.getLogger(__name__)

CLAIMABLE = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)


def delivery_claim(delivery_id: int, now: datetime) -> bool:
    """Move a due delivery to `sending` and count the attempt.

    Returns False when the delivery is not due or another worker claimed it.
    The update runs in a transaction because a worker killed while the update
    waits for a row lock leaves its database session behind. In autocommit
    that session would still commit the claim once the lock is free, and the
    redelivered task would find the delivery taken and never send it. Inside
    a transaction the session never receives COMMIT, so the claim rolls back.
    """
    with transaction.atomic():
        claimed = Delivery.objects.filter(
            pk=delivery_id, status__in=CLAIMABLE, scheduled_for__lte=now
        ).update(
            status=DeliveryStatus.SENDING,
            attempt_count=F("attempt_count") + 1,
            updated_at=now,
        )
    return claimed == 1


def _message(delivery: Delivery) -> Message:
    rendered = render_message(delivery, template_context(delivery))
    Delivery.objects.filter(pk=delivery.pk).update(
        subject=rendered.subject[:300], body=rendered.text
    )
    return Message(
        channel=delivery.channel,
        to=delivery.address,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        company_id=delivery.company_id,
        event_type=delivery.event_type,
        delivery_id=delivery.pk,
        data={
            "payload": delivery.payload,
            "recipient": {
                "type": delivery.recipient_type,
                "id": delivery.recipient_id,
                "name": delivery.recipient_name,
            },
        },
    )


def _finish_attempt(
    attempt: DeliveryAttempt,
    outcome: str,
    error: str = "",
    retry_in: int | None = None,
) -> None:
    attempt.outcome = outcome
    attempt.error = error
    attempt.retry_in_seconds = retry_in
    attempt.finished_at = timezone.now()
    attempt.save(update_fields=["outcome", "error", "retry_in_seconds", "finished_at"])


def delivery_send(delivery_id: int, now: datetime | None = None) -> str:
    """Make one attempt at a delivery and return what happened.

    Returns "skipped" when the delivery is not due or not claimable, else the
    new status: sent, retrying or failed.
    """
    now = now or timezone.now()
    if not delivery_claim(delivery_id, now):
        logger.info("delivery %s is not due or already handled", delivery_id)
        return "skipped"
    delivery = Delivery.objects.get(pk=delivery_id)
    # Written before the send so that a crash mid-send still leaves a trace.
    attempt = DeliveryAttempt.objects.create(
        delivery=delivery,
        number=DeliveryAttempt.objects.filter(delivery=delivery).count() + 1,
        channel=delivery.channel,
        started_at=now,
    )
    try:
        if not delivery.address:
            raise PermanentError(
                f"{delivery.recipient_type} {delivery.recipient_id} has no address "
                f"for {delivery.channel}; add one or choose another channel."
            )
        message = _message(delivery)
        get_backend(delivery.channel).send(message)
    except RenderError as error:
        # Every channel renders the same templates, so no fallback can help.
        _finish_attempt(attempt, AttemptOutcome.PERMANENT, str(error))
        return _fail(delivery, str(error), now, fall_back=False)
    except (ImproperlyConfigured, PermanentError) as error:
        _finish_attempt(attempt, AttemptOutcome.PERMANENT, str(error))
        return _fail(delivery, str(error), now, fall_back=True)
    except TransientError as error:
        return _retry_or_fail(delivery, attempt, str(error), now)
    except Exception as error:
        # A bug in a backend. Record it instead of leaving the row in
        # `sending`, and try the fallback channel.
        logger.exception("delivery %s failed with an unexpected error", delivery.pk)
        text = f"unexpected error: {type(error).__name__}: {error}"
        _finish_attempt(attempt, AttemptOutcome.PERMANENT, text)
        return _fail(delivery, text, now, fall_back=True)

    _finish_attempt(attempt, AttemptOutcome.SENT)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    logger.info("delivery %s sent by %s", delivery.pk, delivery.channel)
    return DeliveryStatus.SENT


def _retry_or_fail(
    delivery: Delivery, attempt: DeliveryAttempt, error: str, now: datetime
) -> str:
    settings = delivery.settings
    retries_done = delivery.attempt_count - 1
    if retries_done >= int(settings.get("retry_count", 0)):
        _finish_attempt(attempt, AttemptOutcome.TRANSIENT, error)
        return _fail(
            delivery, f"gave up after {delivery.attempt_count} attempts: {error}", now
        )
    delay = retry_delay(
        retries_done + 1,
        int(settings.get("retry_delay_seconds", 60)),
        settings.get("backoff", "exponential"),
        int(settings.get("max_delay_seconds", 3600)),
    )
    _finish_attempt(attempt, AttemptOutcome.TRANSIENT, error, retry_in=delay)
    due = now + timedelta(seconds=delay)
    after_quiet_hours = hold_until(settings, delivery.time_zone, due)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.RETRYING,
        scheduled_for=after_quiet_hours,
        last_error=error,
    )
    if after_quiet_hours > due:
        schedule_send(delivery.pk, eta=after_quiet_hours)
    else:
        schedule_send(delivery.pk, countdown=delay)
    logger.warning(
        "delivery %s failed transiently, retry %s in %s s",
        delivery.pk,
        retries_done + 1,
        delay,
    )
    return DeliveryStatus.RETRYING


def _fail(delivery: Delivery, error: str, now: datetime, fall_back: bool = True) -> str:
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED, last_error=error
    )
    # The error text stays in the database: provider messages may quote the
    # full phone number, which logs must not contain.
    logger.warning("delivery %s failed on %s", delivery.pk, delivery.channel)
    if fall_back:
        delivery_fall_back(delivery, now)
    return DeliveryStatus.FAILED


def delivery_fall_back(delivery: Delivery, now: datetime) -> Delivery | None:
    """Create and queue the fallback-channel delivery of a failed delivery.

    A fallback never falls back again, and the unique key makes a second call
    for the same delivery a no-op.
    """
    channel = delivery.settings.get("fallback_channel")
    if not channel or channel == delivery.channel or delivery.fallback_of_id:
        return None
    recipient = load_recipient(
        delivery.company,
        delivery.recipient_type,
        delivery.recipient_id,
        delivery.payload,
    )
    if recipient is None:
        logger.warning("delivery %s has no recipient left to fall back to", delivery.pk)
        return None
    settings = {**delivery.settings, "fallback_channel": None}
    fallback, created = Delivery.objects.get_or_create(
        event_key=delivery.event_key,
        recipient_type=delivery.recipient_type,
        recipient_id=delivery.recipient_id,
        channel=channel,
        defaults={
            "company_id": delivery.company_id,
            "event_type": delivery.event_type,
            "recipient_name": recipient.name,
            "address": address_for(recipient, channel, settings.get("webhook_url")),
            "time_zone": recipient.time_zone,
            "payload": delivery.payload,
            "settings": settings,
            "scheduled_for": hold_until(settings, recipient.time_zone, now),
            "fallback_of": delivery,
        },
    )
    if created:
        eta = fallback.scheduled_for if fallback.scheduled_for > now else None
        schedule_send(fallback.pk, eta=eta)
        logger.info(
            "delivery %s falls back to %s as delivery %s",
            delivery.pk,
            channel,
            fallback.pk,
        )
    return fallback if created else None
