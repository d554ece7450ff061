"""Physical floors measured in the same run: a database and a cache round trip."""

import statistics

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from integrations.benchmark.measure import time_calls


def pg_select1_us(iterations: int) -> float:
    """Median of a raw `SELECT 1` on the driver connection, bypassing the ORM."""
    connection.ensure_connection()
    raw = connection.connection

    def select_one() -> None:
        cursor = raw.cursor()
        cursor.execute("SELECT 1")
        cursor.fetchone()
        cursor.close()

    time_calls(select_one, 50)
    return statistics.median(time_calls(select_one, iterations))


def redis_get_us(iterations: int) -> float:
    """Median of a raw GET of 500 bytes; the local memory cache without Redis."""
    if settings.REDIS_URL:
        client = redis.Redis.from_url(settings.REDIS_URL)
        client.set("benchmark:floor", b"x" * 500, ex=300)

        def get() -> None:
            client.get("benchmark:floor")

    else:
        cache.set("benchmark:floor", b"x" * 500, 300)

        def get() -> None:
            cache.get("benchmark:floor")

    time_calls(get, 50)
    median = statistics.median(time_calls(get, iterations))
    if settings.REDIS_URL:
        client.delete("benchmark:floor")
    else:
        cache.delete("benchmark:floor")
    return median
