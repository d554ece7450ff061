"""System checks for settings the configuration cache depends on."""

from django.conf import settings
from django.core.checks import CheckMessage, Error

LOCAL_MEMORY_CACHE = "django.core.cache.backends.locmem.LocMemCache"


def check_config_cache(app_configs=None, **kwargs) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    database = settings.DATABASES.get("default", {}).get("ENGINE", "")
    production = getattr(settings, "ENVIRONMENT", "") == "production"
    if production and backend == LOCAL_MEMORY_CACHE and "postgresql" in database:
        errors.append(
            Error(
                "The default cache is a local memory cache while the database is "
                "PostgreSQL, so each process would serve its own stale copy of "
                "the configuration after another process changes it.",
                hint="Set REDIS_URL so every process shares one cache.",
                id="tenants.E001",
            )
        )
    timeout = getattr(settings, "CONFIG_CACHE_TIMEOUT", None)
    if not isinstance(timeout, int) or isinstance(timeout, bool) or timeout <= 0:
        errors.append(
            Error(
                f"CONFIG_CACHE_TIMEOUT is {timeout!r}, but it must be a positive "
                "number of seconds.",
                hint="Set it to the seconds a cached configuration may live, "
                "for example 86400.",
                id="tenants.E002",
            )
        )
    return errors
