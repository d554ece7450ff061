from django.apps import AppConfig
from django.conf import settings


class IntegrationsConfig(AppConfig):
    name = "integrations"

    def ready(self) -> None:
        from config.celery import app
        from integrations import tasks  # noqa: F401 - registers the tasks

        # Celery beat's database scheduler copies this entry into its table,
        # where staff can see and change the schedule in the admin.
        app.conf.beat_schedule = {
            **(app.conf.beat_schedule or {}),
            "integrations-sweep-webhook-events": {
                "task": "integrations.sweep_webhook_events",
                "schedule": float(settings.WEBHOOK_SWEEP_INTERVAL_SECONDS),
            },
        }
