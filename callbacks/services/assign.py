"""Give a callback to a staff member: automatically or by hand."""

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from callbacks.candidates import Choice, choose_assignee
from callbacks.events import publish_callback_event
from callbacks.locks import with_pool_lock, with_row_and_pool_lock
from callbacks.models import (
    AssignmentDecision,
    CallbackRequest,
    CallbackStatusChange,
    DecisionOutcome,
    Status,
)
from callbacks.services.transitions import Actor, change_status, ensure_transition
from tenants import events
from tenants.models import Staff

logger = logging.getLogger(__name__)


def publish_assigned(callback: CallbackRequest, reason: str) -> None:
    publish_callback_event(events.CALLBACK_ASSIGNED, callback, reason=reason)


def store_decision(
    callback: CallbackRequest, choice: Choice, outcome: str, trigger: str
) -> AssignmentDecision:
    winner = choice.winner if outcome == DecisionOutcome.ASSIGNED else None
    return AssignmentDecision.objects.create(
        callback_id=callback.pk,
        outcome=outcome,
        tier=choice.tier,
        winner_id=winner.staff_id if winner else None,
        winner_load=winner.load if winner else None,
        reference_time=choice.reference_time,
        candidates=[candidate.as_json() for candidate in choice.candidates],
        trigger=trigger,
    )


def callback_auto_assign(
    callback_id: int, *, trigger: str = "task", now: datetime | None = None
) -> AssignmentDecision | None:
    """Assign a pending callback to the best eligible staff member.

    Return the stored decision, or None when the request is gone or no longer
    pending. The branch row stays locked from reading the loads to the claim,
    so concurrent workers never pick from the same counts. At most six
    statements: lock and load, the staff pool, the policies (only when not
    cached), the claim, the decision and the history row.
    """
    with transaction.atomic():
        callback = (
            with_pool_lock(CallbackRequest.objects.select_related("branch"))
            .filter(pk=callback_id)
            .first()
        )
        if callback is None:
            logger.info("callback %s no longer exists; nothing to assign", callback_id)
            return None
        if callback.status != Status.PENDING or callback.assignee_id is not None:
            return None

        choice = choose_assignee(callback, now=now)
        if choice.winner is None:
            logger.info("callback %s waits: nobody eligible", callback_id)
            return store_decision(
                callback, choice, DecisionOutcome.NO_CANDIDATE, trigger
            )

        assigned_at = timezone.now()
        claimed = CallbackRequest.objects.filter(
            pk=callback_id, status=Status.PENDING, assignee__isnull=True
        ).update(
            status=Status.ASSIGNED,
            assignee_id=choice.winner.staff_id,
            assigned_at=assigned_at,
        )
        if not claimed:
            return store_decision(callback, choice, DecisionOutcome.SKIPPED, trigger)

        decision = store_decision(callback, choice, DecisionOutcome.ASSIGNED, trigger)
        reason = f"auto-assigned ({choice.tier} tier)"
        CallbackStatusChange.objects.create(
            callback_id=callback_id,
            from_status=Status.PENDING,
            to_status=Status.ASSIGNED,
            changed_at=assigned_at,
            assignee_id=choice.winner.staff_id,
            reason=reason,
        )
        callback.status = Status.ASSIGNED
        callback.assignee_id = choice.winner.staff_id
        callback.assigned_at = assigned_at
        publish_assigned(callback, reason)
        logger.info(
            "callback %s assigned to staff %s", callback_id, choice.winner.staff_id
        )
        return decision


def callback_assign(
    callback_id: int,
    *,
    staff: Staff | None = None,
    actor: Actor = None,
    reason: str = "",
) -> CallbackRequest:
    """Assign a callback to `staff`, or run automatic assignment without one.

    A manual assignment may reassign an assigned request and ignores
    capacity, because a person decided it. Raise ValidationError for staff of
    another company or inactive staff, InvalidTransition for closed requests.
    """
    if staff is None:
        callback_auto_assign(callback_id, trigger="admin")
        return CallbackRequest.objects.get(pk=callback_id)

    with transaction.atomic():
        callback = with_row_and_pool_lock(
            CallbackRequest.objects.select_related("branch")
        ).get(pk=callback_id)
        if staff.company_id != callback.company_id:
            raise ValidationError(
                {"staff": f"Staff {staff.pk} belongs to another company."}
            )
        if not staff.is_active:
            raise ValidationError(
                {"staff": f"{staff.name} is inactive; choose an active staff member."}
            )
        ensure_transition(callback, Status.ASSIGNED)
        if callback.assignee_id == staff.pk:
            return callback
        callback.assignee = staff
        change_status(
            callback,
            Status.ASSIGNED,
            actor=actor,
            reason=reason or f"assigned to {staff.name}",
            extra_fields=("assignee",),
        )
        publish_assigned(callback, reason or "assigned by hand")
        logger.info("callback %s assigned by hand to staff %s", callback_id, staff.pk)
        return callback
