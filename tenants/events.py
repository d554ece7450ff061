"""Domain events: services publish, other apps (notifications) subscribe.

Publishing inside a transaction delivers the event only after it commits, so
subscribers never see rows that were rolled back. Subscribers connect to
`domain_event` and receive `event=DomainEvent(...)`.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.dispatch import Signal

CALLBACK_CREATED = "callback_created"
CALLBACK_ASSIGNED = "callback_assigned"
CALLBACK_SLA_WARNING = "callback_sla_warning"
CALLBACK_ESCALATED = "callback_escalated"
CALLBACK_EXPIRED = "callback_expired"
APPOINTMENT_CANCELLED = "appointment_cancelled"
APPOINTMENT_RESCHEDULED = "appointment_rescheduled"
POLICY_VIOLATION = "policy_violation"

EVENT_TYPES = (
    CALLBACK_CREATED,
    CALLBACK_ASSIGNED,
    CALLBACK_SLA_WARNING,
    CALLBACK_ESCALATED,
    CALLBACK_EXPIRED,
    APPOINTMENT_CANCELLED,
    APPOINTMENT_RESCHEDULED,
    POLICY_VIOLATION,
)

domain_event = Signal()


@dataclass(frozen=True)
class DomainEvent:
    """A fact about one company's data; `payload` contains ids and plain values."""

    name: str
    company_id: int
    payload: dict[str, Any] = field(default_factory=dict)


def publish(name: str, company_id: int, **payload: Any) -> None:
    """Send `name` to subscribers once the current transaction commits."""
    if name not in EVENT_TYPES:
        raise ValueError(f"{name!r} is not an event type; use one of {EVENT_TYPES}.")
    event = DomainEvent(name=name, company_id=company_id, payload=payload)
    transaction.on_commit(lambda: domain_event.send(sender=name, event=event))
