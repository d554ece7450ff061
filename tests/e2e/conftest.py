"""Fixtures that run real processes: a Celery worker on the test database."""

import os
import uuid

import pytest
from django.db import connection

from config.celery import app as celery_app
from integrations.benchmark.database import database_url
from integrations.benchmark.processes import celery_worker
from tests.integrations.conftest import studio  # noqa: F401 - shared fixture


@pytest.fixture
def worker_queue():
    """Send tasks to a queue of this test's own, consumed by a real worker."""
    queue = f"test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    yield queue
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous


@pytest.fixture
def live_worker(transactional_db, worker_queue):
    """A Celery worker with two processes on the test database."""
    url = database_url(connection.settings_dict["NAME"])
    with celery_worker(url, worker_queue, concurrency=2) as process:
        yield process
