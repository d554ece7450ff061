"""`check_cancellation`, `cancel_appointment` and `reschedule_appointment`.

The caller's appointment is found by the number they call from and the date
and time they give, read in the time zone of the branch they called.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from appointments.models import Appointment, AppointmentStatus
from integrations.functions.speech import appointment_text, money_text
from integrations.schemas.functions import (
    AppointmentArgs,
    CancelAppointmentArgs,
    RescheduleAppointmentArgs,
)
from integrations.services.function_calls import Answer, FunctionContext
from policies.engine import PolicyDecision, can_cancel
from policies.services import appointment_cancel, appointment_reschedule

ACTOR = "phone_agent"


def local_datetime(day: date, clock: time, time_zone: str) -> datetime:
    return datetime.combine(day, clock.replace(tzinfo=None), tzinfo=ZoneInfo(time_zone))


def _appointments_at(context: FunctionContext, args: AppointmentArgs):
    """Return the caller's appointments starting in the minute the caller gave."""
    starts = local_datetime(
        args.appointment_date, args.appointment_time, context.time_zone
    )
    return Appointment.objects.filter(
        company=context.company,
        customer__phone=context.caller_phone,
        starts_at__gte=starts,
        starts_at__lt=starts + timedelta(minutes=1),
    ).order_by("pk")


def find_appointment(
    context: FunctionContext, args: AppointmentArgs
) -> Appointment | None:
    """Return the caller's booked appointment starting in that minute, if any."""
    if not context.caller_phone.startswith("+"):
        return None
    return (
        _appointments_at(context, args)
        .select_related("branch", "service")
        .filter(status=AppointmentStatus.BOOKED)
        .first()
    )


def _missing(context: FunctionContext, args: AppointmentArgs) -> Answer:
    """Build the reply to a request that matched no booked appointment.

    A caller who cancelled on an earlier call hears that it is already
    cancelled instead of being asked to check the date and time.
    """
    if context.caller_phone.startswith("+"):
        cancelled = (
            _appointments_at(context, args)
            .filter(status=AppointmentStatus.CANCELLED)
            .first()
        )
        if cancelled is not None:
            when = appointment_text(cancelled.starts_at, context.time_zone)
            return {
                "result": "already_cancelled",
                "appointment_id": cancelled.pk,
                "message": f"Your appointment on {when} is already cancelled.",
            }
    return _not_found(context, args)


def _not_found(context: FunctionContext, args: AppointmentArgs) -> Answer:
    starts = local_datetime(
        args.appointment_date, args.appointment_time, context.time_zone
    )
    return {
        "result": "not_found",
        "message": "I could not find an appointment on "
        f"{appointment_text(starts, context.time_zone)} for the number you are "
        "calling from. Could you check the date and time?",
    }


def _decision_fields(decision: PolicyDecision) -> Answer:
    return {
        "allowed": decision.allowed,
        "reason": str(decision.reason),
        "fee": str(decision.fee),
        "currency": decision.currency,
    }


def _fee_sentence(decision: PolicyDecision) -> str:
    if decision.fee > 0:
        return f" A fee of {money_text(decision.fee, decision.currency)} applies."
    return ""


def check_cancellation(context: FunctionContext, args: AppointmentArgs) -> Answer:
    appointment = find_appointment(context, args)
    if appointment is None:
        return _missing(context, args)
    decision = can_cancel(appointment, at=context.now, by_phone=True)
    return {
        "result": "allowed" if decision.allowed else "not_allowed",
        **_decision_fields(decision),
        "appointment_id": appointment.pk,
        "message": decision.message,
    }


def cancel_appointment(context: FunctionContext, args: CancelAppointmentArgs) -> Answer:
    appointment = find_appointment(context, args)
    if appointment is None:
        return _missing(context, args)
    decision = appointment_cancel(
        appointment, actor=ACTOR, reason=args.reason, at=context.now, by_phone=True
    )
    when = appointment_text(appointment.starts_at, context.time_zone)
    if decision.allowed:
        message = f"Your appointment on {when} is cancelled.{_fee_sentence(decision)}"
    else:
        message = decision.message
    return {
        "result": "cancelled" if decision.allowed else "not_cancelled",
        **_decision_fields(decision),
        "appointment_id": appointment.pk,
        "message": message,
    }


def reschedule_appointment(
    context: FunctionContext, args: RescheduleAppointmentArgs
) -> Answer:
    appointment = find_appointment(context, args)
    if appointment is None:
        return _missing(context, args)
    new_starts_at = local_datetime(args.new_date, args.new_time, context.time_zone)
    decision = appointment_reschedule(
        appointment,
        new_starts_at,
        actor=ACTOR,
        reason=args.reason,
        at=context.now,
        by_phone=True,
    )
    answer = {
        "result": "rescheduled" if decision.allowed else "not_rescheduled",
        **_decision_fields(decision),
        "appointment_id": appointment.pk,
    }
    if decision.allowed:
        when = appointment_text(new_starts_at, context.time_zone)
        answer["new_appointment_id"] = decision.details["new_appointment_id"]
        answer["message"] = (
            f"Your appointment is moved to {when}.{_fee_sentence(decision)}"
        )
    else:
        answer["message"] = decision.message
    return answer
