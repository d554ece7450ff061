"""End to end through Redis and a real Celery worker process."""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import transaction

from config.celery import app as celery_app
from notifications.models import Delivery, DeliveryStatus, SentMessage
from notifications.tasks import send_delivery
from tenants import events
from tests.factories import StaffFactory
from tests.notifications.factories import notify

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
QUEUE = "notifications-e2e"


def wait_for(condition, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"condition not met within {seconds} s")


def database_url(database: dict) -> str:
    """Return a URL of the test database for the worker process."""
    credentials = quote(database["USER"] or "")
    if database.get("PASSWORD"):
        credentials += ":" + quote(database["PASSWORD"])
    host = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{database['NAME']}"


@pytest.fixture
def worker():
    database = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": database_url(database),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
        "NOTIFICATION_BACKEND": "development",
    }
    # Drop messages a previous, interrupted run may have left in the queue.
    redis.Redis.from_url(settings.REDIS_URL).delete(QUEUE)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            QUEUE,
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
    )
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = QUEUE
    try:
        yield process
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            # A warm shutdown waits for running tasks; do not let one hang CI.
            process.kill()
            process.wait()


def test_worker_redelivered_task_sends_once(worker):
    staff = StaffFactory()
    other = StaffFactory(company=staff.company, branch=staff.branch)
    notify(staff.company, events.CALLBACK_ASSIGNED, channel="email")

    with transaction.atomic():
        events.publish(
            events.CALLBACK_ASSIGNED,
            staff.company_id,
            callback_id=1,
            assignee_id=staff.pk,
        )
    # The worker writes the delivery row, then sends it.
    wait_for(Delivery.objects.exists)
    delivery = Delivery.objects.get()
    wait_for(
        lambda: Delivery.objects.filter(
            pk=delivery.pk, status=DeliveryStatus.SENT
        ).exists()
    )

    # The broker hands the same task out twice more, as after a lost ack.
    send_delivery.apply_async(args=[delivery.pk], queue=QUEUE)
    send_delivery.apply_async(args=[delivery.pk], queue=QUEUE)
    events.publish(
        events.CALLBACK_ASSIGNED, staff.company_id, callback_id=2, assignee_id=other.pk
    )
    # One worker process takes tasks in order, so once the later event is
    # sent the duplicates have run.
    wait_for(lambda: SentMessage.objects.filter(to=other.email).exists())

    assert SentMessage.objects.filter(to=staff.email).count() == 1
    assert delivery.attempts.count() == 1
