from celery import shared_task

from notifications.services.actions import deliveries_sweep
from notifications.services.dispatch import notification_event_dispatch
from notifications.services.sending import delivery_send

SWEEP_SCHEDULE = {
    "notifications-sweep": {
        "task": "notifications.tasks.sweep_deliveries",
        "schedule": 60.0,
    }
}


@shared_task(name="notifications.tasks.dispatch_event", ignore_result=True)
def dispatch_event(
    event_type: str, company_id: int, payload: dict, event_key: str
) -> int:
    """Write and queue the deliveries of one event; a repeat writes nothing."""
    return len(notification_event_dispatch(event_type, company_id, payload, event_key))


@shared_task(name="notifications.tasks.send_delivery", ignore_result=True)
def send_delivery(delivery_id: int) -> str:
    return delivery_send(delivery_id)


@shared_task(name="notifications.tasks.sweep_deliveries", ignore_result=True)
def sweep_deliveries() -> dict[str, int]:
    return deliveries_sweep()
