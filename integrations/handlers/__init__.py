"""The table from (provider, event type) to the handler that processes it."""

from integrations.handlers.calcom_bookings import CALCOM_BOOKING_HANDLERS
from integrations.handlers.retell_events import RETELL_EVENT_HANDLERS
from integrations.models import Provider

HANDLERS = {
    **{(Provider.RETELL.value, name): fn for name, fn in RETELL_EVENT_HANDLERS.items()},
    **{
        (Provider.CALCOM.value, name): fn
        for name, fn in CALCOM_BOOKING_HANDLERS.items()
    },
}
