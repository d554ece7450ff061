"""The escalation ladder: another staff member, the branch, then the company."""

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from callbacks.candidates import choose_assignee
from callbacks.events import publish_callback_event
from callbacks.locks import with_row_and_pool_lock
from callbacks.models import (
    UNREACHED_STATUSES,
    CallbackRequest,
    DecisionOutcome,
    Escalation,
    EscalationLevel,
    EscalationReason,
    Status,
)
from callbacks.policy import sla_policy
from callbacks.services.assign import store_decision
from callbacks.services.errors import CallbackStateError
from callbacks.services.transitions import Actor, change_status, user_of
from tenants import events
from tenants.models import Role, Staff

logger = logging.getLogger(__name__)

TOP_LEVEL = max(EscalationLevel.values)


def _branch_manager(callback: CallbackRequest, exclude: set[int]) -> Staff | None:
    return (
        Staff.objects.filter(
            branch_id=callback.branch_id, is_manager=True, is_active=True
        )
        .exclude(pk__in=exclude)
        .order_by("pk")
        .first()
    )


def _company_manager(callback: CallbackRequest, exclude: set[int]) -> Staff | None:
    """Return an active staff member whose admin user manages the company."""
    return (
        Staff.objects.filter(
            company_id=callback.company_id,
            is_active=True,
            user__membership__company_id=callback.company_id,
            user__membership__role__in=[Role.OWNER, Role.MANAGER],
        )
        .exclude(pk__in=exclude)
        .order_by("pk")
        .first()
    )


def _climb(
    callback: CallbackRequest, start_level: int, now: datetime
) -> tuple[int, Staff | None, str]:
    """Return the level reached, its staff member and what happened on the way.

    A rung with nobody to take the request is skipped; the top rung is
    recorded even without a company manager so the event still goes out.
    """
    exclude = {callback.assignee_id} if callback.assignee_id else set()
    skipped = []
    level = start_level
    while level <= TOP_LEVEL:
        if level == EscalationLevel.REASSIGN:
            choice = choose_assignee(
                callback, now=now, exclude_staff_ids=frozenset(exclude)
            )
            if choice.winner is not None:
                store_decision(callback, choice, DecisionOutcome.ASSIGNED, "escalation")
                staff = Staff.objects.get(pk=choice.winner.staff_id)
                return level, staff, f"reassigned ({choice.tier} tier)"
            store_decision(callback, choice, DecisionOutcome.NO_CANDIDATE, "escalation")
            skipped.append("nobody else eligible")
        elif level == EscalationLevel.BRANCH_MANAGER:
            staff = _branch_manager(callback, exclude)
            if staff is not None:
                return level, staff, "; ".join([*skipped, "branch manager"])
            skipped.append("no branch manager")
        else:
            staff = _company_manager(callback, exclude)
            note = "company manager" if staff else "no company manager"
            return level, staff, "; ".join([*skipped, note])
        level += 1
    raise AssertionError("the ladder ends at its top level")


def callback_escalate(
    callback_id: int,
    *,
    reason: str = EscalationReason.MANUAL,
    details: str = "",
    actor: Actor = None,
    now: datetime | None = None,
    respect_cooldown: bool = False,
) -> Escalation | None:
    """Move a waiting request one rung up the ladder and hand it over.

    Automatic escalations pass `respect_cooldown` and return None while the
    cooldown stored on the request runs, or once the top was reached. Manual
    escalation skips the cooldown but raises CallbackStateError at the top or
    when the caller was already reached.
    """
    if reason not in EscalationReason.values:
        raise ValueError(
            f"{reason!r} is not an escalation reason; use one of "
            f"{', '.join(EscalationReason.values)}."
        )
    now = now or timezone.now()
    with transaction.atomic():
        callback = with_row_and_pool_lock(
            CallbackRequest.objects.select_related("branch")
        ).get(pk=callback_id)
        if callback.status not in UNREACHED_STATUSES:
            raise CallbackStateError(
                f"Callback {callback_id} is {callback.status}; only pending or "
                "assigned requests can be escalated."
            )
        if respect_cooldown and (
            callback.next_escalation_at is None or callback.next_escalation_at > now
        ):
            return None
        if callback.escalation_level >= TOP_LEVEL:
            if respect_cooldown:
                return None
            raise CallbackStateError(
                f"Callback {callback_id} is already escalated to a company manager; "
                "reassign it by hand instead."
            )

        level, staff, outcome = _climb(callback, callback.escalation_level + 1, now)
        from_staff_id = callback.assignee_id
        escalation = Escalation.objects.create(
            callback=callback,
            level=level,
            reason=reason,
            details="; ".join(part for part in (details, outcome) if part),
            from_staff_id=from_staff_id,
            to_staff=staff,
            created_at=now,
            created_by=user_of(actor),
        )
        cooldown = sla_policy(
            callback.company_id, callback.branch_id, callback.service_id
        ).escalation_cooldown
        callback.escalation_level = level
        callback.escalated_at = now
        callback.next_escalation_at = now + cooldown if level < TOP_LEVEL else None
        fields = ("escalation_level", "escalated_at", "next_escalation_at")
        if staff is not None and staff.pk != from_staff_id:
            callback.assignee = staff
            change_status(
                callback,
                Status.ASSIGNED,
                actor=actor,
                reason=f"escalated to level {level}: {reason}",
                extra_fields=("assignee", *fields),
            )
        else:
            callback.save(update_fields=fields)
        publish_callback_event(
            events.CALLBACK_ESCALATED,
            callback,
            level=level,
            reason=reason,
            from_staff_id=from_staff_id,
            to_staff_id=staff.pk if staff else None,
        )
    logger.info("callback %s escalated to level %s (%s)", callback_id, level, reason)
    return escalation
