from notifications.models.configuration import (
    Backoff,
    Channel,
    NotificationConfiguration,
)
from notifications.models.delivery import (
    AttemptOutcome,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    RecipientType,
)
from notifications.models.sent_message import SentMessage
from notifications.models.webhook_key import WebhookSigningKey

__all__ = [
    "AttemptOutcome",
    "Backoff",
    "Channel",
    "Delivery",
    "DeliveryAttempt",
    "DeliveryStatus",
    "NotificationConfiguration",
    "RecipientType",
    "SentMessage",
    "WebhookSigningKey",
]
