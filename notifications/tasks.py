from celery import shared_task

from notifications.services.actions import deliveries_sweep
from notifications.services.sending import delivery_send

SWEEP_SCHEDULE = {
    "notifications-sweep": {
        "task": "notifications.tasks.sweep_deliveries",
        "schedule": 60.0,
    }
}


@shared_task(name="notifications.tasks.send_delivery", ignore_result=True)
def send_delivery(delivery_id: int) -> str:
    return delivery_send(delivery_id)


@shared_task(name="notifications.tasks.sweep_deliveries", ignore_result=True)
def sweep_deliveries() -> dict[str, int]:
    return deliveries_sweep()
