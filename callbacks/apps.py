from django.apps import AppConfig


class CallbacksConfig(AppConfig):
    name = "callbacks"

    def ready(self) -> None:
        # signals connects the receivers; tasks registers the Celery tasks
        # that services queue by name.
        from callbacks import signals, tasks  # noqa: F401
