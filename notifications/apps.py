from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self) -> None:
        from notifications import checks, schemas, subscribers, tasks  # noqa: F401

        subscribers.connect()
