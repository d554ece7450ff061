"""`request_callback` with the caller's preferred window in branch time."""

import json
from datetime import UTC, datetime

import pytest
import time_machine

from callbacks.models import CallbackRequest
from integrations.models import WebhookEvent
from tests.integrations.signing import fixture_body, functions_url, post_retell

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 16, 0, tzinfo=UTC)  # Monday 12:00 in New York


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(NOW, tick=False):
        yield


def request(client, **args):
    data = json.loads(fixture_body("retell/function_request_callback.json"))
    data["args"].update(args)
    return post_retell(client, functions_url(), json.dumps(data).encode())


def test_window_today_sets_callback_window(client, studio):
    response = request(client, window_start="14:00", window_end="17:00")

    callback = CallbackRequest.objects.get()
    assert response.status_code == 200
    assert callback.window_starts_at == datetime(2026, 6, 1, 18, 0, tzinfo=UTC)
    assert callback.window_ends_at == datetime(2026, 6, 1, 21, 0, tzinfo=UTC)
    assert response.json()["message"] == (
        "Thank you. A colleague will call you back today between 2 PM and 5 PM. "
        f"Your reference is {callback.reference}."
    )


def test_window_on_a_date_is_local_time(client, studio):
    request(client, window_date="2026-06-03", window_start="09:30")

    callback = CallbackRequest.objects.get()
    assert callback.window_starts_at == datetime(2026, 6, 3, 13, 30, tzinfo=UTC)
    assert callback.window_ends_at is None


def test_window_ending_before_start_is_rejected(client, studio):
    response = request(client, window_start="17:00", window_end="14:00")

    assert response.status_code == 400
    assert (
        "window_end 14:00 is not after window_start 17:00"
        in (response.json()["message"])
    )
    assert CallbackRequest.objects.count() == 0
    assert WebhookEvent.objects.count() == 0


def test_window_end_without_start_is_rejected(client, studio):
    response = request(client, window_end="14:00")

    assert response.status_code == 400
    assert "window_end needs window_start" in response.json()["message"]
    assert CallbackRequest.objects.count() == 0
