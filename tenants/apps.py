from django.apps import AppConfig
from django.core import checks


class TenantsConfig(AppConfig):
    name = "tenants"

    def ready(self) -> None:
        from tenants.checks import check_config_cache
        from tenants.configuration import invalidation  # noqa: F401 - connects signals

        checks.register(check_config_cache, checks.Tags.caches)
