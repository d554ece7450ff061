"""Webhook URLs as providers' dashboards let people type them."""

import pytest

from integrations.models import WebhookEvent
from tests.integrations.signing import (
    calcom_headers,
    calcom_url,
    events_url,
    fixture_body,
    functions_url,
    post_retell,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug", [False, True])
def test_retell_events_url_without_slash_is_accepted(client, studio, settings, debug):
    # With DEBUG, CommonMiddleware raises on a POST to a URL missing its slash,
    # and without it, it redirects and the client drops the body.
    settings.DEBUG = debug
    body = fixture_body("retell/call_started.json")

    response = post_retell(client, events_url().rstrip("/"), body)

    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert WebhookEvent.objects.count() == 1


def test_retell_functions_url_without_slash_is_answered(client, studio):
    body = fixture_body("retell/function_check_cancellation.json")

    response = post_retell(client, functions_url().rstrip("/"), body)

    assert response.status_code == 200
    assert "result" in response.json()


def test_calcom_url_without_slash_is_accepted(client, studio):
    body = fixture_body("calcom/booking_created.json")

    response = client.post(
        calcom_url().rstrip("/"),
        body,
        content_type="application/json",
        headers=calcom_headers(body),
    )

    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert WebhookEvent.objects.count() == 1
