"""Handlers of Cal.com booking events, one per trigger we use."""

from collections.abc import Callable

from integrations.models import WebhookEvent
from integrations.schemas.calcom import BookingPayload, CalcomEnvelope
from integrations.services.bookings import (
    booking_cancelled_sync,
    booking_created_sync,
    booking_rescheduled_sync,
)
from tenants.models import Company

Sync = Callable[[Company, BookingPayload], str]


def _handler(sync: Sync) -> Callable[[WebhookEvent], str]:
    def handle(event: WebhookEvent) -> str:
        envelope = CalcomEnvelope.model_validate_json(event.body)
        booking = BookingPayload.from_json_data(envelope.payload)
        return sync(event.company, booking)

    handle.__name__ = f"handle_{sync.__name__}"
    return handle


CALCOM_BOOKING_HANDLERS = {
    "BOOKING_CREATED": _handler(booking_created_sync),
    "BOOKING_RESCHEDULED": _handler(booking_rescheduled_sync),
    "BOOKING_CANCELLED": _handler(booking_cancelled_sync),
}
