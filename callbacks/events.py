"""Domain events about callback requests, with one payload shape for all."""

from typing import Any

from callbacks.models import CallbackRequest
from tenants import events


def publish_callback_event(name: str, callback: CallbackRequest, **extra: Any) -> None:
    """Publish `name` after commit with the ids subscribers route on."""
    events.publish(
        name,
        callback.company_id,
        callback_id=callback.pk,
        branch_id=callback.branch_id,
        service_id=callback.service_id,
        assignee_id=callback.assignee_id,
        priority=callback.priority,
        reference=callback.reference,
        due_at=callback.due_at.isoformat() if callback.due_at else None,
        **extra,
    )
