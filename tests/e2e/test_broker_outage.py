"""Call events that arrive while the broker is down are stored and processed once.

The test runs its own redis-server as the Celery broker, never the shared
one. While it is stopped, signed call events still get 200 and are kept
as `received`; once it is back, the sweep queues them and a real worker
processes each one exactly once.
"""

import json

import kombu.pools
import pytest
from django.db import connection
from django.test import Client, override_settings

from config.celery import app as celery_app
from integrations.benchmark.database import database_url
from integrations.benchmark.processes import celery_worker
from integrations.models import Call, EventStatus, WebhookEvent
from integrations.tasks import sweep_webhook_events
from tests.e2e.redis_server import RedisServer
from tests.integrations.signing import events_url, fixture_body, post_retell
from tests.waiting import settle, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

CALLS = 5


def _reset_broker_pools() -> None:
    """Close every broker connection so the next task opens one to the new URL.

    kombu keeps its pools in a process-wide registry, and Celery caches the
    pool it took from there; both are cleared.
    """
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker(monkeypatch, worker_queue):
    """Point this process and the workers it starts at a private Redis."""
    server = RedisServer()
    previous = celery_app.conf.broker_url
    server.start()
    try:
        _reset_broker_pools()
        celery_app.conf.broker_url = server.url
        monkeypatch.setenv("CELERY_BROKER_URL", server.url)
        yield server
    finally:
        _reset_broker_pools()
        celery_app.conf.broker_url = previous
        server.stop()


def call_event(call_number: int) -> bytes:
    data = json.loads(fixture_body("retell/call_started.json"))
    data["call"]["call_id"] = f"call_outage_{call_number}"
    return json.dumps(data).encode()


def test_broker_outage_events_processed_once(studio, broker, worker_queue):
    broker.stop()

    responses = [
        post_retell(Client(), events_url(), call_event(n)) for n in range(CALLS)
    ]

    assert [r.status_code for r in responses] == [200] * CALLS
    assert [r.json()["status"] for r in responses] == ["accepted"] * CALLS
    assert WebhookEvent.objects.filter(status=EventStatus.RECEIVED).count() == CALLS

    broker.start()
    with override_settings(WEBHOOK_SWEEP_AFTER_SECONDS=0):
        queued = sweep_webhook_events()
    assert queued == CALLS
    url = database_url(connection.settings_dict["NAME"])
    with celery_worker(url, worker_queue, concurrency=2):
        wait_for(
            lambda: (
                WebhookEvent.objects.filter(status=EventStatus.PROCESSED).count()
                == CALLS
            )
        )
        # A second sweep and the worker's redeliveries must not act again.
        with override_settings(WEBHOOK_SWEEP_AFTER_SECONDS=0):
            assert sweep_webhook_events() == 0
        settle(lambda: Call.objects.count() == CALLS)

    events = WebhookEvent.objects.order_by("external_id")
    assert [event.external_id for event in events] == [
        f"call_outage_{n}" for n in range(CALLS)
    ]
    assert [event.attempts for event in events] == [1] * CALLS
    assert sorted(Call.objects.values_list("call_id", flat=True)) == [
        f"call_outage_{n}" for n in range(CALLS)
    ]
