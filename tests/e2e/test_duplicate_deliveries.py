"""Five copies of one signed request, sent at once to gunicorn, act once.

Two gunicorn worker processes serve the project on a loopback port, so the
copies are handled by separate processes with their own database
connections, as redeliveries from Retell would be.
"""

import json
import threading
import urllib.error
import urllib.request

import pytest
import redis
from django.conf import settings
from django.db import connection

from callbacks.models import CallbackRequest
from integrations.benchmark.database import database_url
from integrations.benchmark.processes import gunicorn_server
from integrations.models import Call, CallEvent, WebhookEvent
from tests.integrations.signing import (
    events_url,
    fixture_body,
    functions_url,
    retell_headers,
)

pytestmark = pytest.mark.django_db(transaction=True)

COPIES = 5


@pytest.fixture
def server(monkeypatch):
    """Serve the test database; tasks the server queues go to a private queue."""
    queue = f"e2e-duplicates-{id(monkeypatch)}"
    monkeypatch.setenv("CELERY_TASK_DEFAULT_QUEUE", queue)
    monkeypatch.setenv("CELERY_TASK_ALWAYS_EAGER", "false")
    try:
        with gunicorn_server(database_url(connection.settings_dict["NAME"])) as server:
            yield server.url
    finally:
        redis.Redis.from_url(settings.REDIS_URL).delete(queue)


def post_concurrently(url: str, body: bytes, headers: dict) -> list[tuple[int, bytes]]:
    barrier = threading.Barrier(COPIES)
    responses: list[tuple[int, bytes] | None] = [None] * COPIES

    def deliver(index: int) -> None:
        request = urllib.request.Request(
            url,
            data=body,
            headers={**headers, "Content-Type": "application/json"},
            method="POST",
        )
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                responses[index] = (response.status, response.read())
        except urllib.error.HTTPError as error:
            responses[index] = (error.code, error.read())

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(COPIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


def test_duplicate_call_events_over_gunicorn_act_once(studio, server):
    body = fixture_body("retell/call_ended.json")

    responses = post_concurrently(server + events_url(), body, retell_headers(body))

    assert [status for status, _ in responses] == [200] * COPIES
    replies = sorted(text for _, text in responses)
    event = WebhookEvent.objects.get()
    assert replies == sorted(
        [f'{{"status": "accepted", "event_id": {event.pk}}}'.encode()]
        + [f'{{"status": "duplicate", "event_id": {event.pk}}}'.encode()] * (COPIES - 1)
    )
    assert Call.objects.count() == 0
    assert CallEvent.objects.count() == 0


def test_duplicate_callback_requests_over_gunicorn_act_once(studio, server):
    body = fixture_body("retell/function_request_callback.json")

    responses = post_concurrently(server + functions_url(), body, retell_headers(body))

    assert [status for status, _ in responses] == [200] * COPIES
    answers = [json.loads(text) for _, text in responses]
    callback = CallbackRequest.objects.get()
    assert answers == [answers[0]] * COPIES
    assert answers[0]["result"] == "created"
    assert answers[0]["reference"] == callback.reference
    assert WebhookEvent.objects.count() == 1
