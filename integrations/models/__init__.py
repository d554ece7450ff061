from integrations.models.call import STATUS_RANK, Call, CallEvent, CallStatus, Direction
from integrations.models.webhook_event import (
    EventKind,
    EventStatus,
    Provider,
    WebhookEvent,
)

__all__ = [
    "STATUS_RANK",
    "Call",
    "CallEvent",
    "CallStatus",
    "Direction",
    "EventKind",
    "EventStatus",
    "Provider",
    "WebhookEvent",
]
