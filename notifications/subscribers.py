"""Turn domain events into notifications."""

import json
import logging
import uuid

from django.core.serializers.json import DjangoJSONEncoder

from tenants.events import DomainEvent, domain_event

logger = logging.getLogger(__name__)


def on_domain_event(sender, event: DomainEvent, **kwargs) -> None:
    """Write and queue the event's deliveries.

    The rows are written here rather than in a task so that a broker outage
    cannot lose the event: the sweep queues pending rows again. Publishers
    call this after their transaction committed, so an error here is logged
    and never reaches them. An `event_id` in the payload makes a republished
    event a no-op.
    """
    from notifications.services.dispatch import notification_event_dispatch

    payload = json.loads(json.dumps(event.payload, cls=DjangoJSONEncoder))
    event_key = str(payload.get("event_id") or uuid.uuid4().hex)[:64]
    try:
        notification_event_dispatch(event.name, event.company_id, payload, event_key)
    except Exception:
        logger.exception(
            "notifications for event %s of company %s failed",
            event.name,
            event.company_id,
        )


def connect() -> None:
    from config.celery import app
    from notifications.tasks import SWEEP_SCHEDULE

    domain_event.connect(on_domain_event, dispatch_uid="notifications")
    app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **SWEEP_SCHEDULE}
