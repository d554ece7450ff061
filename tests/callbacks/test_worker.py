"""Assignment through a real Celery worker with two processes and Redis."""

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from callbacks.models import CallbackRequest, CallbackStatusChange, Status
from callbacks.services import callback_create
from config.celery import app as celery_app
from policies.models import PolicyConfiguration
from tenants.configuration.services import config_set
from tests.factories import BranchFactory, StaffFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = 100
STAFF = 5
WAIT_SECONDS = 60
# A queue of this test's own, so the worker takes no task left by another.
QUEUE = f"callbacks-worker-{os.getpid()}"


def _test_database_url() -> str:
    database = settings.DATABASES["default"]
    user = database.get("USER") or "postgres"
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{database['NAME']}"


@pytest.fixture
def worker():
    """Start a worker on the test database; stop it after the test."""
    environment = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--concurrency=2",
            "--pool=prefork",
            "-Q",
            QUEUE,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=environment,
    )
    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = QUEUE
    try:
        yield process
    finally:
        celery_app.conf.task_always_eager = True
        celery_app.conf.task_default_queue = previous_queue
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            # A warm shutdown waits for running tasks; do not let one hang CI.
            process.kill()
            process.wait()


def _wait_until_assigned(count: int) -> int:
    deadline = time.monotonic() + WAIT_SECONDS
    assigned = 0
    while time.monotonic() < deadline:
        assigned = CallbackRequest.objects.filter(status=Status.ASSIGNED).count()
        if assigned == count:
            break
        time.sleep(0.2)
    return assigned


def test_worker_assigns_created_callbacks_evenly(worker):
    branch = BranchFactory()
    config_set(
        PolicyConfiguration, branch.company, "callback_assignment", {"capacity": 1000}
    )
    staff = [StaffFactory(branch=branch) for _ in range(STAFF)]

    for index in range(REQUESTS):
        callback_create(
            company=branch.company, branch=branch, phone=f"+1202555{index:04d}"
        )

    assert _wait_until_assigned(REQUESTS) == REQUESTS
    assignments = Counter(
        CallbackStatusChange.objects.filter(to_status=Status.ASSIGNED).values_list(
            "callback_id", flat=True
        )
    )
    assert set(assignments.values()) == {1}
    loads = Counter(CallbackRequest.objects.values_list("assignee_id", flat=True))
    assert set(loads) == {member.pk for member in staff}
    assert max(loads.values()) - min(loads.values()) <= 1
