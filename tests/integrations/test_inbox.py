"""The inbox: processing once, the sweep after a broker outage, and retries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from config.celery import app as celery_app
from integrations.handlers import HANDLERS
from integrations.models import Call, EventStatus, WebhookEvent
from integrations.services.inbox import (
    webhook_event_enqueue,
    webhook_event_process,
    webhook_events_requeue_stale,
    webhook_events_retry,
)
from tests.integrations.signing import events_url, fixture_body, post_retell

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down():
    """Point Celery at a port where no broker listens, as during an outage."""
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url)
    conf.task_always_eager = False
    conf.broker_url = "redis://127.0.0.1:9/0"
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield
    conf.task_always_eager, conf.broker_url = saved
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def receive(client, name="call_started") -> WebhookEvent:
    response = post_retell(client, events_url(), fixture_body(f"retell/{name}.json"))
    assert response.status_code == 200
    return WebhookEvent.objects.get(pk=response.json()["event_id"])


def test_broker_down_still_accepts_event(
    client, studio, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_retell(
            client, events_url(), fixture_body("retell/call_started.json")
        )

    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    event = WebhookEvent.objects.get()
    assert event.status == EventStatus.RECEIVED
    assert Call.objects.count() == 0


def test_enqueue_reports_broker_down(studio, broker_down):
    assert webhook_event_enqueue(12345) is False


def test_sweep_processes_events_left_by_outage(client, studio):
    event = receive(client)  # on-commit callbacks do not run: never queued
    assert event.status == EventStatus.RECEIVED

    queued = webhook_events_requeue_stale(now=timezone.now() + timedelta(seconds=61))

    event.refresh_from_db()
    assert queued == 1
    assert event.status == EventStatus.PROCESSED
    assert Call.objects.get().status == "ongoing"


def test_sweep_leaves_recent_events(client, studio):
    event = receive(client)

    queued = webhook_events_requeue_stale(now=timezone.now() + timedelta(seconds=30))

    event.refresh_from_db()
    assert queued == 0
    assert event.status == EventStatus.RECEIVED


def test_sweep_recovers_event_of_dead_worker(client, studio):
    event = receive(client)
    started = timezone.now()
    WebhookEvent.objects.filter(pk=event.pk).update(
        status=EventStatus.PROCESSING, started_at=started, attempts=1
    )

    webhook_events_requeue_stale(now=started + timedelta(seconds=601))

    event.refresh_from_db()
    assert event.status == EventStatus.PROCESSED
    assert event.attempts == 2
    assert Call.objects.count() == 1


def test_sweep_skips_ignored_and_function_events(client, studio):
    ignored = WebhookEvent.objects.create(
        company=studio.company,
        provider="retell",
        kind="call_event",
        event="transcript_updated",
        idempotency_key="a",
        body="{}",
        status=EventStatus.IGNORED,
    )

    queued = webhook_events_requeue_stale(now=timezone.now() + timedelta(hours=1))

    ignored.refresh_from_db()
    assert queued == 0
    assert ignored.status == EventStatus.IGNORED


def test_process_runs_once(client, studio):
    event = receive(client)

    first = webhook_event_process(event.pk, HANDLERS)
    second = webhook_event_process(event.pk, HANDLERS)

    event.refresh_from_db()
    assert first == EventStatus.PROCESSED
    assert second is None
    assert event.attempts == 1
    assert Call.objects.get().events.count() == 1


def test_failed_event_records_error_and_retries(client, studio):
    body = fixture_body("retell/call_analyzed.json").replace(
        b"+15555550100", b"+15555550188"
    )
    response = post_retell(client, events_url(), body)
    event = WebhookEvent.objects.get(pk=response.json()["event_id"])

    webhook_event_process(event.pk, HANDLERS)

    event.refresh_from_db()
    assert event.status == EventStatus.FAILED
    assert "+15555550188, which is not a phone line" in event.error
    assert Call.objects.count() == 0

    studio.branch.phone_lines.create(company=studio.company, number="+15555550188")
    assert webhook_events_retry([event]) == 1

    event.refresh_from_db()
    assert event.status == EventStatus.RECEIVED
    webhook_event_process(event.pk, HANDLERS)
    event.refresh_from_db()
    assert event.status == EventStatus.PROCESSED
    assert event.error == ""
    assert event.attempts == 2
    assert Call.objects.get().branch == studio.branch


def test_retry_skips_events_that_did_not_fail(client, studio):
    event = receive(client)

    assert webhook_events_retry([event]) == 0

    event.refresh_from_db()
    assert event.status == EventStatus.RECEIVED


def test_sweep_schedule_is_registered():
    from config.celery import app

    entry = app.conf.beat_schedule["integrations-sweep-webhook-events"]

    assert entry == {"task": "integrations.sweep_webhook_events", "schedule": 60.0}
