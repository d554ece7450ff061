"""Turn domain events into notifications."""

import json
import logging
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from config.celery import queue_task
from tenants.events import DomainEvent, domain_event

logger = logging.getLogger(__name__)

BROKER_ERRORS = (OperationalError, RedisError, OSError)


def on_domain_event(sender, event: DomainEvent, **kwargs) -> None:
    """Queue the writing of the event's deliveries in a worker.

    The publisher's request then pays for one message to the broker instead
    of a row and a message per recipient. When the broker cannot take the
    message, the deliveries are written here instead, so an outage does not
    lose the event. Publishers call this after their transaction committed,
    so an error here is logged and never reaches them. An `event_id` in the
    payload makes a republished event a no-op.
    """
    payload = json.loads(json.dumps(event.payload, cls=DjangoJSONEncoder))
    event_key = str(payload.get("event_id") or uuid.uuid4().hex)[:64]
    try:
        queue_task(
            "notifications.tasks.dispatch_event",
            event.name,
            event.company_id,
            payload,
            event_key,
        )
        return
    except BROKER_ERRORS as error:
        logger.warning(
            "cannot queue notifications for event %s of company %s, writing "
            "them now: %s",
            event.name,
            event.company_id,
            type(error).__name__,
        )
    except Exception:
        # Tasks run inline (eager mode) raise here.
        logger.exception(
            "notifications for event %s of company %s failed",
            event.name,
            event.company_id,
        )
        return
    dispatch_now(event.name, event.company_id, payload, event_key)


def dispatch_now(name: str, company_id: int, payload: dict, event_key: str) -> None:
    from notifications.services.dispatch import notification_event_dispatch

    try:
        notification_event_dispatch(name, company_id, payload, event_key)
    except Exception:
        logger.exception(
            "notifications for event %s of company %s failed",
            name,
            company_id,
        )


def connect() -> None:
    from config.celery import app
    from notifications.tasks import SWEEP_SCHEDULE

    domain_event.connect(on_domain_event, dispatch_uid="notifications")
    app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **SWEEP_SCHEDULE}
