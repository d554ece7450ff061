"""Cal.com webhooks: `{"triggerEvent": ..., "createdAt": ..., "payload": {...}}`."""

from typing import Any

from pydantic import AwareDatetime, Field

from integrations.schemas.base import (
    Identifier,
    LongText,
    Payload,
    PhoneText,
    ShortText,
)


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
    startTime: AwareDatetime
    endTime: AwareDatetime
    organizer: Person | None = None
    attendees: list[Person] = Field(default_factory=list, max_length=100)
    # Booking questions answer with strings, lists or {"label", "value"}
    # objects; only the phone number question is read.
    responses: dict[str, Any] = Field(default_factory=dict)
    additionalNotes: LongText | None = None
    price: float | None = Field(default=None, ge=0)
    currency: ShortText | None = None
    status: ShortText | None = None
    rescheduleUid: ShortText | None = None
    cancellationReason: LongText | None = None

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
