"""Periodic work over every company: warnings, breaches, expiry, lost tasks.

Each function selects a bounded batch of ids with an indexed query and
handles every request in its own transaction, so one failure does not undo
the rest and a rerun continues where the last one stopped.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from callbacks.events import publish_callback_event
from callbacks.models import (
    UNREACHED_STATUSES,
    CallbackRequest,
    EscalationReason,
    Status,
)
from callbacks.services.close import callback_expire
from callbacks.services.errors import CallbackStateError
from callbacks.services.escalate import TOP_LEVEL, callback_escalate
from tenants import events

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
# Pending requests younger than this still have their own task in flight.
SWEEP_GRACE = timedelta(minutes=1)


def callbacks_send_warnings(now: datetime | None = None) -> int:
    """Publish one SLA warning per request whose warning time has come."""
    now = now or timezone.now()
    ids = list(
        CallbackRequest.objects.filter(
            status__in=UNREACHED_STATUSES, warn_at__lte=now, warned_at__isnull=True
        )
        .order_by("warn_at")
        .values_list("pk", flat=True)[:BATCH_SIZE]
    )
    sent = 0
    for callback_id in ids:
        with transaction.atomic():
            claimed = CallbackRequest.objects.filter(
                pk=callback_id, status__in=UNREACHED_STATUSES, warned_at__isnull=True
            ).update(warned_at=now)
            if not claimed:
                continue
            callback = CallbackRequest.objects.get(pk=callback_id)
            publish_callback_event(events.CALLBACK_SLA_WARNING, callback)
            sent += 1
    if sent:
        logger.info("sent %s SLA warnings", sent)
    return sent


def callbacks_escalate_breached(now: datetime | None = None) -> int:
    """Escalate requests past their deadline whose cooldown has run out."""
    now = now or timezone.now()
    ids = list(
        CallbackRequest.objects.filter(
            status__in=UNREACHED_STATUSES,
            next_escalation_at__lte=now,
            escalation_level__lt=TOP_LEVEL,
        )
        .order_by("next_escalation_at")
        .values_list("pk", flat=True)[:BATCH_SIZE]
    )
    escalated = 0
    for callback_id in ids:
        try:
            escalation = callback_escalate(
                callback_id,
                reason=EscalationReason.SLA_BREACH,
                details="SLA deadline passed",
                now=now,
                respect_cooldown=True,
            )
        except CallbackStateError:
            continue  # reached or closed since the batch was read
        escalated += escalation is not None
    if escalated:
        logger.info("escalated %s callbacks past their SLA", escalated)
    return escalated


def callbacks_expire_overdue(now: datetime | None = None) -> int:
    """Expire requests nobody reached before their expiry time."""
    now = now or timezone.now()
    ids = list(
        CallbackRequest.objects.filter(
            status__in=UNREACHED_STATUSES, expires_at__lte=now
        )
        .order_by("expires_at")
        .values_list("pk", flat=True)[:BATCH_SIZE]
    )
    expired = 0
    for callback_id in ids:
        try:
            callback_expire(callback_id)
        except CallbackStateError:
            continue
        expired += 1
    if expired:
        logger.info("expired %s callbacks", expired)
    return expired


def callbacks_waiting_for_assignment(now: datetime | None = None) -> list[int]:
    """Return pending, unassigned requests old enough to have lost their task."""
    now = now or timezone.now()
    return list(
        CallbackRequest.objects.filter(
            status=Status.PENDING,
            assignee__isnull=True,
            created_at__lte=now - SWEEP_GRACE,
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:BATCH_SIZE]
    )
