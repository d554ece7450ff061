"""Celery tasks of the webhook inbox. They take ids and call one service."""

from celery import shared_task

from integrations.handlers import HANDLERS
from integrations.services.inbox import (
    webhook_event_process,
    webhook_events_requeue_stale,
)


@shared_task(name="integrations.process_webhook_event", ignore_result=True)
def process_webhook_event(event_id: int) -> str | None:
    return webhook_event_process(event_id, HANDLERS)


@shared_task(name="integrations.sweep_webhook_events", ignore_result=True)
def sweep_webhook_events() -> int:
    return webhook_events_requeue_stale()
