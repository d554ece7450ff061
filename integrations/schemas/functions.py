"""Retell in-call functions: `{"name": ..., "call": {...}, "args": {...}}`.

The argument names are ours: they are defined in the agent's function
settings, so these schemas are the contract with the agent configuration.
"""

from datetime import date, time
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from integrations.schemas.base import Identifier, LongText, Payload, ShortText
from integrations.schemas.retell import RetellCall


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


class FunctionCall(Payload):
    name: Identifier
    call: RetellCall
    args: dict[str, Any]


# Dates the agent may ask about; the bounds keep time zone arithmetic away
# from the ends of the calendar.
EARLIEST = date(2000, 1, 1)
LATEST = date(2999, 12, 31)
CallDate = Annotated[date, Field(ge=EARLIEST, le=LATEST)]


class RequestCallbackArgs(Payload):
    customer_name: ShortText = ""
    phone_number: ShortText | None = None
    reason: LongText = ""
    preferred_time: ShortText = ""
    service_name: ShortText = ""
    urgency: Annotated[Literal["normal", "high", "urgent"], BeforeValidator(_lower)] = (
        "normal"
    )
    # The caller's preferred window in the branch's local time, when the agent
    # can tell it; the date defaults to today.
    window_date: CallDate | None = None
    window_start: time | None = None
    window_end: time | None = None

    @model_validator(mode="after")
    def window_in_order(self) -> "RequestCallbackArgs":
        if self.window_end is not None and self.window_start is None:
            raise ValueError("window_end needs window_start; send both or neither")
        if (
            self.window_start is not None
            and self.window_end is not None
            and self.window_end <= self.window_start
        ):
            raise ValueError(
                f"window_end {self.window_end:%H:%M} is not after window_start "
                f"{self.window_start:%H:%M}; send the end of the window"
            )
        return self


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
