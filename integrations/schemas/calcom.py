"""Cal.com webhooks: `{"triggerEvent": ..., "createdAt": ..., "payload": {...}}`."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, Field, model_validator

from integrations.schemas.base import (
    Identifier,
    LongText,
    Payload,
    PhoneText,
    ShortText,
)


def _within_calendar(value: datetime) -> datetime:
    if not 2000 <= value.year <= 2999:
        raise ValueError("the year must be between 2000 and 2999")
    return value


BookingTime = Annotated[AwareDatetime, AfterValidator(_within_calendar)]


class CalcomEnvelope(Payload):
    triggerEvent: Identifier
    createdAt: ShortText | None = None
    payload: dict[str, Any]


class Person(Payload):
    email: ShortText | None = None
    name: ShortText | None = None
    timeZone: ShortText | None = None
    phoneNumber: PhoneText | None = None


class BookingPayload(Payload):
    uid: Identifier
    type: ShortText | None = None
    eventTypeId: int | None = Field(default=None, ge=0)
    title: ShortText | None = None
    startTime: BookingTime
    endTime: BookingTime
    organizer: Person | None = None
    attendees: list[Person] = Field(default_factory=list, max_length=100)
    # Booking questions answer with strings, lists or {"label", "value"}
    # objects; only the phone number question is read.
    responses: dict[str, Any] = Field(default_factory=dict)
    additionalNotes: LongText | None = None
    # Minor units of the currency, e.g. 4500 for 45.00 USD.
    price: float | None = Field(default=None, ge=0, le=10**9, allow_inf_nan=False)
    currency: ShortText | None = None
    status: ShortText | None = None
    rescheduleUid: ShortText | None = None
    cancellationReason: LongText | None = None

    @model_validator(mode="after")
    def ends_after_start(self) -> "BookingPayload":
        if self.endTime <= self.startTime:
            raise ValueError("endTime must be after startTime")
        return self

    def attendee_phone(self) -> str:
        answer = self.responses.get("attendeePhoneNumber")
        if isinstance(answer, dict):
            answer = answer.get("value")
        if isinstance(answer, str) and answer.strip():
            return answer.strip()
        for person in self.attendees:
            if person.phoneNumber:
                return person.phoneNumber
        return ""

    def attendee(self) -> Person | None:
        return self.attendees[0] if self.attendees else None
