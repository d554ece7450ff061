"""Test-wide fixtures. The suite runs on PostgreSQL and Redis, never on SQLite."""

import os
import uuid

import pytest
import redis
from celery._state import _set_task_join_will_block
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from redis.client import Pipeline

from config.celery import app as celery_app
from integrations.benchmark.database import database_url
from integrations.benchmark.processes import celery_worker

READS = frozenset({"GET", "MGET"})


def pytest_configure(config) -> None:
    database = settings.DATABASES["default"]["ENGINE"]
    problems = []
    if "postgresql" not in database:
        problems.append(
            "DATABASE_URL is not a PostgreSQL URL; set it, for example "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/switchboard"
        )
    if not settings.REDIS_URL:
        problems.append("REDIS_URL is missing; set it, e.g. redis://127.0.0.1:6379/0")
    else:
        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
        except redis.RedisError as error:
            problems.append(f"Redis at {settings.REDIS_URL} is unreachable: {error}")
    if problems:
        pytest.exit("; ".join(problems), returncode=1)
    # Unit tests run tasks inline; the end-to-end tests start a real worker
    # and switch this off for their duration.
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    # Factories hash a password per user, and the default hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _reset_celery_join_guard():
    yield
    # Eager apply_async() sets a process-wide "joining would block" flag and
    # restores it on exit. Threads running eager tasks at once can leave it
    # set, and a later test's result.get() would then raise.
    _set_task_join_will_block(False)


@pytest.fixture
def cache_reads(monkeypatch):
    """Record the keys of every cache read, one network round trip each.

    Counts GET and MGET commands sent by redis-py outside pipelines; the real
    command still runs, and the wrapper only counts.
    """
    real_execute = redis.Redis.execute_command
    calls = []

    def counting_execute(client, *args, **options):
        if not isinstance(client, Pipeline) and args and args[0] in READS:
            calls.append([key for key in args[1:]])
        return real_execute(client, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counting_execute)
    return calls


@pytest.fixture
def worker_queue():
    """Send tasks to a queue of this test's own, consumed by a real worker."""
    queue = f"test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    yield queue
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
    redis.Redis.from_url(settings.REDIS_URL).delete(queue)


@pytest.fixture
def live_worker(transactional_db, worker_queue):
    """A Celery worker with two processes on the test database."""
    url = database_url(connection.settings_dict["NAME"])
    with celery_worker(url, worker_queue, concurrency=2) as process:
        yield process
