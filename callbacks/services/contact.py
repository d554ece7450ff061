"""Record calls to the caller: reached, or another failed try."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction

from callbacks.models import (
    UNREACHED_STATUSES,
    AttemptOutcome,
    CallbackRequest,
    ContactAttempt,
    EscalationReason,
    Status,
)
from callbacks.services.errors import CallbackStateError
from callbacks.services.transitions import (
    Actor,
    change_status,
    lock_callback,
    user_of,
)

logger = logging.getLogger(__name__)

# Failed attempts in a row after which the request climbs the escalation ladder.
FAILED_ATTEMPTS_BEFORE_ESCALATION = 3


def callback_mark_contacted(
    callback_id: int, *, actor: Actor = None, notes: str = ""
) -> CallbackRequest:
    """Record that staff reached the caller. Raise InvalidTransition if closed."""
    with transaction.atomic():
        callback = lock_callback(callback_id)
        change_status(callback, Status.CONTACTED, actor=actor, reason=notes)
        ContactAttempt.objects.create(
            callback=callback,
            staff_id=callback.assignee_id,
            outcome=AttemptOutcome.REACHED,
            notes=notes,
            attempted_at=callback.contacted_at,
            recorded_by=user_of(actor),
        )
    logger.info("callback %s contacted", callback_id)
    return callback


def callback_record_failed_attempt(
    callback_id: int,
    *,
    outcome: str = AttemptOutcome.NO_ANSWER,
    actor: Actor = None,
    notes: str = "",
) -> ContactAttempt:
    """Record a call that did not reach the caller.

    The third failed attempt since the last escalation escalates the request with reason
    `contact_failed`. Raise ValidationError for an outcome that is not a
    failure and CallbackStateError when the request is no longer waiting.
    """
    failed_outcomes = set(AttemptOutcome.values) - {AttemptOutcome.REACHED}
    if outcome not in failed_outcomes:
        raise ValidationError(
            {
                "outcome": f"{outcome!r} is not a failed outcome; use one of "
                f"{', '.join(sorted(failed_outcomes))}, or mark the callback contacted."
            }
        )
    with transaction.atomic():
        callback = lock_callback(callback_id)
        if callback.status not in UNREACHED_STATUSES:
            raise CallbackStateError(
                f"Callback {callback_id} is {callback.status}; contact attempts "
                "are recorded only while it is pending or assigned."
            )
        attempt = ContactAttempt.objects.create(
            callback=callback,
            staff_id=callback.assignee_id,
            outcome=outcome,
            notes=notes,
            recorded_by=user_of(actor),
        )
        # A reached caller closes the request for attempts, so every attempt
        # since the last escalation is a failure.
        failures = callback.contact_attempts.all()
        if callback.escalated_at is not None:
            failures = failures.filter(attempted_at__gt=callback.escalated_at)
        if failures.count() >= FAILED_ATTEMPTS_BEFORE_ESCALATION:
            from callbacks.services.escalate import callback_escalate

            callback_escalate(
                callback_id,
                reason=EscalationReason.CONTACT_FAILED,
                details=f"{FAILED_ATTEMPTS_BEFORE_ESCALATION} failed contact attempts",
                actor=actor,
            )
    logger.info("callback %s contact attempt failed: %s", callback_id, outcome)
    return attempt
