"""The webhook inbox: store each accepted request, then process it once.

A request is stored before anything acts on it. Call and booking events are
processed by a Celery task scheduled after the row commits. When the broker
is down, the row stays `received` and the sweep queues it later.
"""

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from config.celery import queue_task
from integrations.models import EventStatus, WebhookEvent

logger = logging.getLogger(__name__)

# A handler returns a short outcome that is stored on the event ("created call",
# "appointment cancelled"). IGNORED marks events that needed no change.
Handler = Callable[[WebhookEvent], str]
IGNORED = "ignored"


def webhook_event_receive(
    *,
    company_id: int,
    provider: str,
    kind: str,
    event: str,
    external_id: str,
    idempotency_key: str,
    body: str,
    headers: dict[str, str],
    handled: bool,
) -> tuple[WebhookEvent, bool]:
    """Store an accepted request; return it and whether it is new.

    A redelivery hits the unique constraint and returns the stored row
    instead. Events without a handler are stored as ignored and never queued.
    """
    try:
        with transaction.atomic():
            stored = WebhookEvent.objects.create(
                company_id=company_id,
                provider=provider,
                kind=kind,
                event=event,
                external_id=external_id,
                idempotency_key=idempotency_key,
                body=body,
                headers=headers,
                status=EventStatus.RECEIVED if handled else EventStatus.IGNORED,
            )
            if handled:
                transaction.on_commit(lambda: webhook_event_enqueue(stored.pk))
    except IntegrityError:
        existing = WebhookEvent.objects.get(
            provider=provider, company_id=company_id, idempotency_key=idempotency_key
        )
        logger.info("webhook event %s delivered again; ignoring", existing.pk)
        return existing, False
    return stored, True


def webhook_event_enqueue(event_id: int) -> bool:
    """Queue processing of one event; return False when the broker is down.

    A failure leaves the event `received`, where the sweep finds it.
    """
    try:
        queue_task(
            "integrations.process_webhook_event",
            event_id,
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0.1},
        )
    except (BrokerError, RedisError, OSError) as error:
        logger.warning(
            "could not queue webhook event %s, the sweep will retry: %s",
            event_id,
            error,
        )
        return False
    return True


def webhook_event_process(
    event_id: int, handlers: dict[tuple[str, str], Handler]
) -> str | None:
    """Claim a received event, run its handler and record the result.

    Return the new status, or None when another worker has claimed the event
    or it is already finished. The handler runs in its own transaction, so a
    failure leaves no partial change behind.
    """
    claimed = WebhookEvent.objects.filter(
        pk=event_id, status=EventStatus.RECEIVED
    ).update(
        status=EventStatus.PROCESSING,
        attempts=F("attempts") + 1,
        started_at=timezone.now(),
    )
    if claimed == 0:
        return None
    event = WebhookEvent.objects.select_related("company").get(pk=event_id)
    handler = handlers.get((event.provider, event.event))
    if handler is None:
        return _finish(event, EventStatus.IGNORED, outcome="no handler")
    try:
        with transaction.atomic():
            outcome = handler(event)
    except Exception as error:
        # Any failure is recorded on the row, where the admin can retry it.
        logger.exception("webhook event %s failed", event.pk)
        return _finish(
            event, EventStatus.FAILED, error=f"{type(error).__name__}: {error}"
        )
    status = EventStatus.IGNORED if outcome == IGNORED else EventStatus.PROCESSED
    return _finish(event, status, outcome=outcome)


def _finish(
    event: WebhookEvent, status: str, *, outcome: str = "", error: str = ""
) -> str:
    WebhookEvent.objects.filter(pk=event.pk, status=EventStatus.PROCESSING).update(
        status=status,
        outcome=outcome[:200],
        error=error,
        processed_at=timezone.now(),
    )
    logger.info("webhook event %s %s: %s", event.pk, status, outcome or error)
    return status


def webhook_events_retry(events: Iterable[WebhookEvent]) -> int:
    """Put failed events back to `received` and queue them; return how many."""
    ids = [event.pk for event in events if event.status == EventStatus.FAILED]
    with transaction.atomic():
        reset = list(
            WebhookEvent.objects.filter(pk__in=ids, status=EventStatus.FAILED)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        WebhookEvent.objects.filter(pk__in=reset).update(
            status=EventStatus.RECEIVED, error=""
        )
        for event_id in reset:
            transaction.on_commit(
                lambda event_id=event_id: webhook_event_enqueue(event_id)
            )
    return len(reset)


def webhook_events_requeue_stale(now: datetime | None = None) -> int:
    """Queue events that no worker processed; return how many were queued.

    An event still `received` after WEBHOOK_SWEEP_AFTER_SECONDS was lost on
    the way to the broker. One still `processing` after
    WEBHOOK_STALE_PROCESSING_SECONDS belonged to a worker that died; it goes
    back to `received` first.
    """
    now = now or timezone.now()
    waiting_since = now - timedelta(seconds=settings.WEBHOOK_SWEEP_AFTER_SECONDS)
    stuck_since = now - timedelta(seconds=settings.WEBHOOK_STALE_PROCESSING_SECONDS)
    handled = ~Q(kind="function_call")
    WebhookEvent.objects.filter(
        handled, status=EventStatus.PROCESSING, started_at__lt=stuck_since
    ).update(status=EventStatus.RECEIVED)
    ids = list(
        WebhookEvent.objects.filter(
            handled, status=EventStatus.RECEIVED, received_at__lt=waiting_since
        )
        .order_by("received_at")
        .values_list("pk", flat=True)[: settings.WEBHOOK_SWEEP_BATCH]
    )
    queued = sum(1 for event_id in ids if webhook_event_enqueue(event_id))
    if ids:
        logger.info("webhook sweep queued %s of %s waiting events", queued, len(ids))
    return queued
