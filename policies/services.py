"""Cancel and move appointments under the policies that govern them.

Cancel and reschedule lock the customer and then the appointment, so two
concurrent changes of one customer's bookings see each other's modification
rows when they count the quota. A rejected change writes nothing and only
publishes a policy violation.
"""

import logging
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from appointments.models import (
    Appointment,
    AppointmentModification,
    AppointmentStatus,
    ModificationKind,
)
from appointments.services import require_aware
from policies.engine import PolicyDecision, Reason, can_cancel, can_reschedule
from tenants import events
from tenants.models import Customer

logger = logging.getLogger(__name__)

# A forced change still cannot undo what already happened: these reasons are
# about the appointment's state, not about a rule staff may override.
UNFORCEABLE = frozenset({Reason.ALREADY_CANCELLED, Reason.APPOINTMENT_IN_PAST})


def _lock(appointment: Appointment) -> Appointment:
    """Lock the customer row, then the appointment row, and reload the latter."""
    Customer.objects.select_for_update().filter(pk=appointment.customer_id).exists()
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("branch")
        .get(pk=appointment.pk)
    )


def _event_payload(appointment: Appointment, decision: PolicyDecision) -> dict:
    return {
        "appointment_id": appointment.pk,
        "customer_id": appointment.customer_id,
        "branch_id": appointment.branch_id,
        "reason": str(decision.reason),
        "fee": str(decision.fee),
        "currency": decision.currency,
    }


def _reject(
    appointment: Appointment, decision: PolicyDecision, action: str, actor: str
) -> PolicyDecision:
    events.publish(
        events.POLICY_VIOLATION,
        appointment.company_id,
        action=action,
        actor=actor,
        message=decision.message,
        **_event_payload(appointment, decision),
    )
    logger.info(
        "%s of appointment %s rejected: %s", action, appointment.pk, decision.reason
    )
    return decision


def _applies(decision: PolicyDecision, force: bool) -> bool:
    return decision.allowed or (force and decision.reason not in UNFORCEABLE)


def _record(
    appointment: Appointment,
    decision: PolicyDecision,
    kind: ModificationKind,
    *,
    at: datetime,
    actor: str,
    reason: str,
    new_appointment: Appointment | None = None,
) -> AppointmentModification:
    notice = Decimal(str(decision.details["notice_hours"]))
    return AppointmentModification.objects.create(
        company_id=appointment.company_id,
        appointment=appointment,
        customer_id=appointment.customer_id,
        kind=kind,
        occurred_at=at,
        notice_hours=notice,
        previous_starts_at=appointment.starts_at,
        new_appointment=new_appointment,
        fee_charged=decision.fee,
        currency=decision.currency,
        within_policy=decision.allowed,
        policy_reason=str(decision.reason),
        actor=actor,
        reason=reason,
    )


@transaction.atomic
def appointment_cancel(
    appointment: Appointment,
    *,
    actor: str,
    reason: str = "",
    at: datetime | None = None,
    by_phone: bool = False,
    force: bool = False,
) -> PolicyDecision:
    """Cancel `appointment` if the policy allows it, or anyway when `force` is set.

    Return the engine's decision, with `forced` set when a rejected change was
    applied. `force` overrides rules, not the appointment's state, so a
    cancelled or past appointment stays as it is.
    """
    at = at or timezone.now()
    locked = _lock(appointment)
    decision = can_cancel(locked, at=at, by_phone=by_phone)
    if not _applies(decision, force):
        return _reject(locked, decision, ModificationKind.CANCEL.value, actor)
    if not decision.allowed:
        decision = replace(decision, forced=True)

    locked.status = AppointmentStatus.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    _record(
        locked, decision, ModificationKind.CANCEL, at=at, actor=actor, reason=reason
    )
    events.publish(
        events.APPOINTMENT_CANCELLED,
        locked.company_id,
        actor=actor,
        forced=decision.forced,
        **_event_payload(locked, decision),
    )
    appointment.status = locked.status
    logger.info("appointment %s cancelled by %s", locked.pk, actor)
    return decision


@transaction.atomic
def appointment_reschedule(
    appointment: Appointment,
    new_starts_at: datetime,
    *,
    actor: str,
    reason: str = "",
    at: datetime | None = None,
    by_phone: bool = False,
    force: bool = False,
) -> PolicyDecision:
    """Move `appointment` to `new_starts_at`, keeping its duration.

    The old row becomes `rescheduled` history and a new booking points back
    to it. The decision's details carry `new_appointment_id` when the move
    was applied.
    """
    require_aware(new_starts_at, "new_starts_at")
    at = at or timezone.now()
    locked = _lock(appointment)
    decision = can_reschedule(
        locked, new_starts_at=new_starts_at, at=at, by_phone=by_phone
    )
    if not _applies(decision, force):
        return _reject(locked, decision, ModificationKind.RESCHEDULE.value, actor)
    if not decision.allowed:
        decision = replace(decision, forced=True)

    # TODO: the new time is not checked against staff availability, because
    # the booking system owns the free slots.
    moved = Appointment.objects.create(
        company_id=locked.company_id,
        branch_id=locked.branch_id,
        service_id=locked.service_id,
        staff_id=locked.staff_id,
        customer_id=locked.customer_id,
        starts_at=new_starts_at,
        ends_at=new_starts_at + (locked.ends_at - locked.starts_at),
        price=locked.price,
        currency=locked.currency,
        source=locked.source,
        notes=locked.notes,
        rescheduled_from=locked,
        reschedule_count=locked.reschedule_count + 1,
    )
    locked.status = AppointmentStatus.RESCHEDULED
    locked.save(update_fields=["status", "updated_at"])
    _record(
        locked,
        decision,
        ModificationKind.RESCHEDULE,
        at=at,
        actor=actor,
        reason=reason,
        new_appointment=moved,
    )
    decision = replace(
        decision, details={**decision.details, "new_appointment_id": moved.pk}
    )
    events.publish(
        events.APPOINTMENT_RESCHEDULED,
        locked.company_id,
        actor=actor,
        forced=decision.forced,
        new_appointment_id=moved.pk,
        previous_starts_at=locked.starts_at.isoformat(),
        new_starts_at=new_starts_at.isoformat(),
        **_event_payload(locked, decision),
    )
    appointment.status = locked.status
    logger.info(
        "appointment %s moved to appointment %s by %s", locked.pk, moved.pk, actor
    )
    return decision
