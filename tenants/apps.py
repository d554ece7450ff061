from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"

    def ready(self) -> None:
        from tenants.configuration import invalidation  # noqa: F401 - connects signals
