"""A throw-away database for the benchmark, so real tenants are never touched."""

import contextlib
import os
from collections.abc import Iterator

from django.core.cache import cache
from django.db import connection


@contextlib.contextmanager
def benchmark_database() -> Iterator[str]:
    """Create, migrate and finally drop a database named `<name>_benchmark`.

    Yield the database URL, for subprocesses (gunicorn, Celery) to use.
    """
    settings_dict = connection.settings_dict
    original_name = settings_dict["NAME"]
    settings_dict.setdefault("TEST", {})
    settings_dict["TEST"]["NAME"] = (
        f"{original_name}_benchmark" if connection.vendor != "sqlite" else None
    )
    previous_prefix = cache.key_prefix
    cache.key_prefix = f"{previous_prefix}:benchmark:{os.getpid()}"
    name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False
    )
    try:
        yield database_url(name)
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)
        cache.key_prefix = previous_prefix


def database_url(name: str) -> str:
    settings_dict = connection.settings_dict
    if connection.vendor != "postgresql":
        return ""
    user = settings_dict.get("USER") or "postgres"
    password = settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{password}@" if password else f"{user}@"
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{name}"
