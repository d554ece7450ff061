"""The policy engine: may this appointment be cancelled or moved, and at what fee.

Checks run in a fixed order and the first failing one decides the reason:
the appointment's state, its start time, the phone switches (only for the
phone agent), the notice deadline, then the quota. No policy means allowed
and free. The fee is computed for every decision, because staff may force a
rejected change and then charge it.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from appointments.models import Appointment, AppointmentStatus, ModificationKind
from policies.engine import messages
from policies.engine.decision import PolicyDecision, Reason
from policies.engine.fees import fee_for
from policies.engine.quota import modification_counts
from policies.engine.rules import AppointmentRules, rules_for
from policies.engine.switches import check_switch
from policies.models import PolicyType
from tenants.models import Branch

QuotaLookup = Callable[[Appointment], int]


@dataclass(frozen=True)
class Action:
    policy_kind: PolicyType
    # Moving a booking by phone releases its slot and books another, so it
    # needs both switches on.
    phone_switches: tuple[PolicyType, ...]
    modification_kind: ModificationKind
    wording: messages.ActionWording


CANCEL = Action(
    PolicyType.CANCELLATION,
    (PolicyType.CANCELLATION_BY_PHONE,),
    ModificationKind.CANCEL,
    messages.CANCEL_WORDING,
)
RESCHEDULE = Action(
    PolicyType.RESCHEDULE,
    (PolicyType.CANCELLATION_BY_PHONE, PolicyType.BOOKING),
    ModificationKind.RESCHEDULE,
    messages.RESCHEDULE_WORDING,
)


def can_cancel(
    appointment: Appointment, at: datetime | None = None, by_phone: bool = False
) -> PolicyDecision:
    """Decide whether `appointment` may be cancelled at `at` (default: now)."""
    return _decide_one(CANCEL, appointment, at, by_phone)


def can_reschedule(
    appointment: Appointment,
    new_starts_at: datetime | None = None,
    at: datetime | None = None,
    by_phone: bool = False,
) -> PolicyDecision:
    """Decide whether `appointment` may be moved, to `new_starts_at` if given."""
    return _decide_one(RESCHEDULE, appointment, at, by_phone, new_starts_at)


def evaluate_cancellations(
    appointments: Sequence[Appointment],
    at: datetime | None = None,
    by_phone: bool = False,
) -> list[PolicyDecision]:
    """Decide the cancellation of many appointments, in the order given.

    Costs one cache round trip, at most one query for uncached configuration,
    at most one quota query and, with `by_phone`, at most one query for the
    time zones of branches that limit phone hours and are not loaded yet.
    """
    at = at or timezone.now()
    rules = rules_for(appointments, CANCEL.policy_kind, CANCEL.phone_switches)
    if by_phone:
        _load_branches(appointments, rules)
    counted = [
        appointment.customer_id
        for appointment, rule in zip(appointments, rules, strict=True)
        if rule.policy.get("max_cancellations_per_month") is not None
    ]
    counts = modification_counts(counted, CANCEL.modification_kind, at)
    return [
        _decide(CANCEL, appointment, rule, at, by_phone, None, _counts_of(counts))
        for appointment, rule in zip(appointments, rules, strict=True)
    ]


def _load_branches(
    appointments: Sequence[Appointment], rules: Sequence[AppointmentRules]
) -> None:
    """Attach the branch to each appointment whose phone hours need its zone."""
    waiting = [
        appointment
        for appointment, rule in zip(appointments, rules, strict=True)
        if any(switch.get("allowed_hours") is not None for switch in rule.switches)
        and not Appointment.branch.is_cached(appointment)
    ]
    if not waiting:
        return
    branches = Branch.objects.in_bulk({a.branch_id for a in waiting})
    for appointment in waiting:
        appointment.branch = branches[appointment.branch_id]


def _counts_of(counts: dict[int, int]) -> QuotaLookup:
    return lambda appointment: counts.get(appointment.customer_id, 0)


def _decide_one(
    action: Action,
    appointment: Appointment,
    at: datetime | None,
    by_phone: bool,
    new_starts_at: datetime | None = None,
) -> PolicyDecision:
    at = at or timezone.now()
    [rules] = rules_for([appointment], action.policy_kind, action.phone_switches)

    def count_one(target: Appointment) -> int:
        counts = modification_counts([target.customer_id], action.modification_kind, at)
        return counts[target.customer_id]

    return _decide(action, appointment, rules, at, by_phone, new_starts_at, count_one)


def _decide(
    action: Action,
    appointment: Appointment,
    rules: AppointmentRules,
    at: datetime,
    by_phone: bool,
    new_starts_at: datetime | None,
    quota_used: QuotaLookup,
) -> PolicyDecision:
    policy = rules.policy
    wording = action.wording
    notice_hours = (appointment.starts_at - at).total_seconds() / 3600
    fee, fee_rule = fee_for(policy.values, max(notice_hours, 0), appointment.price)
    details: dict[str, Any] = {
        "action": action.modification_kind.value,
        "by_phone": by_phone,
        "notice_hours": round(notice_hours, 2),
        "required_hours": policy.get("hours_before"),
        "quota_used": None,
        "quota_max": policy.get("max_cancellations_per_month"),
        "reschedules": appointment.reschedule_count,
        "max_reschedules": None,
        "fee_rule": fee_rule,
        "levels": {key: source.level for key, source in policy.sources.items()},
        "locked": {key: source.level for key, source in policy.locked.items()},
    }
    if action is RESCHEDULE:
        details["max_reschedules"] = policy.get("max_reschedules_per_appointment")
        details["new_starts_at"] = new_starts_at.isoformat() if new_starts_at else None

    def decision(reason: Reason, message: str) -> PolicyDecision:
        return PolicyDecision(
            allowed=reason is Reason.ALLOWED,
            reason=reason,
            message=message,
            fee=fee,
            currency=appointment.currency,
            details=details,
        )

    refusal = _state_refusal(appointment, wording, at, new_starts_at)
    if refusal is not None:
        return decision(*refusal)

    if by_phone:
        refusal = _phone_refusal(appointment, rules, wording, at, details)
        if refusal is not None:
            return decision(*refusal)

    required = policy.get("hours_before")
    if required is not None and notice_hours < required:
        text = messages.deadline_missed(wording, required, notice_hours, by_phone)
        return decision(Reason.DEADLINE_MISSED, text)

    maximum = policy.get("max_cancellations_per_month")
    if maximum is not None:
        used = quota_used(appointment)
        details["quota_used"] = used
        if used >= maximum:
            text = messages.quota_exceeded(wording, used, maximum)
            return decision(Reason.QUOTA_EXCEEDED, text)

    max_moves = details["max_reschedules"]
    if max_moves is not None and appointment.reschedule_count >= max_moves:
        text = messages.max_reschedules_reached(appointment.reschedule_count, max_moves)
        return decision(Reason.MAX_RESCHEDULES_REACHED, text)

    return decision(
        Reason.ALLOWED, messages.allowed(wording, fee, appointment.currency)
    )


def _phone_refusal(
    appointment: Appointment,
    rules: AppointmentRules,
    wording: messages.ActionWording,
    at: datetime,
    details: dict[str, Any],
) -> tuple[Reason, str] | None:
    for switch in rules.switches:
        details["levels"].update(
            {f"{switch.kind}.{key}": s.level for key, s in switch.sources.items()}
        )
    for switch in rules.switches:
        verdict = check_switch(switch, at, lambda: appointment.branch.time_zone)
        if verdict is None:
            continue
        details["switch"] = switch.kind
        if verdict.reason is Reason.NOT_ALLOWED_BY_PHONE:
            text = verdict.custom_message or messages.not_allowed_by_phone(wording)
        else:
            text = messages.outside_allowed_hours(wording)
        return verdict.reason, text
    return None


def _state_refusal(
    appointment: Appointment,
    wording: messages.ActionWording,
    at: datetime,
    new_starts_at: datetime | None,
) -> tuple[Reason, str] | None:
    status = appointment.status
    if status == AppointmentStatus.CANCELLED:
        return Reason.ALREADY_CANCELLED, messages.already_cancelled()
    if status == AppointmentStatus.RESCHEDULED:
        return Reason.ALREADY_CANCELLED, messages.superseded()
    if status != AppointmentStatus.BOOKED:
        label = AppointmentStatus(status).label
        return Reason.APPOINTMENT_IN_PAST, messages.finished(label)
    if appointment.starts_at <= at:
        return Reason.APPOINTMENT_IN_PAST, messages.appointment_in_past(wording)
    if new_starts_at is not None and new_starts_at <= at:
        return Reason.APPOINTMENT_IN_PAST, messages.new_time_in_past()
    return None
