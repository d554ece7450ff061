"""The interface every delivery backend implements.

`send(message)` returns when the provider accepted the message and raises
TransientError when a later retry may succeed (timeouts, 4xx SMTP replies,
HTTP 429 and 5xx) or PermanentError when it cannot (invalid number, rejected
address, other HTTP 4xx).
"""

from dataclasses import dataclass, field
from typing import Any, Protocol


class DeliveryError(Exception):
    """A failed send. Its message describes the failure and is shown in the admin."""


class TransientError(DeliveryError):
    pass


class PermanentError(DeliveryError):
    pass


@dataclass(frozen=True)
class Message:
    channel: str
    to: str
    text: str
    company_id: int
    subject: str = ""
    html: str = ""
    event_type: str = ""
    delivery_id: int | None = None
    # The event as the webhook channel posts it.
    data: dict[str, Any] = field(default_factory=dict)


class Backend(Protocol):
    def send(self, message: Message) -> None: ...
