"""Retell in-call functions: `{"name": ..., "call": {...}, "args": {...}}`.

The argument names are ours: they are defined in the agent's function
settings, so these schemas are the contract with the agent configuration.
"""

from datetime import date, time
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from integrations.schemas.base import Identifier, LongText, Payload, ShortText
from integrations.schemas.retell import RetellCall


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


class FunctionCall(Payload):
    name: Identifier
    call: RetellCall
    args: dict[str, Any]


class RequestCallbackArgs(Payload):
    customer_name: ShortText = ""
    phone_number: ShortText | None = None
    reason: LongText = ""
    preferred_time: ShortText = ""
    service_name: ShortText = ""
    urgency: Annotated[Literal["normal", "high", "urgent"], BeforeValidator(_lower)] = (
        "normal"
    )


# Dates the agent may ask about; the bounds keep time zone arithmetic away
# from the ends of the calendar.
EARLIEST = date(2000, 1, 1)
LATEST = date(2999, 12, 31)
CallDate = Annotated[date, Field(ge=EARLIEST, le=LATEST)]


class AppointmentArgs(Payload):
    """The caller's appointment, by its local date and time in the branch."""

    appointment_date: CallDate
    appointment_time: time


class CancelAppointmentArgs(AppointmentArgs):
    reason: LongText = ""


class RescheduleAppointmentArgs(AppointmentArgs):
    new_date: CallDate
    new_time: time
    reason: LongText = ""
