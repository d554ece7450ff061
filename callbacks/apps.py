from django.apps import AppConfig


class CallbacksConfig(AppConfig):
    name = "callbacks"

    def ready(self) -> None:
        from callbacks import signals  # noqa: F401 - connects the receivers
