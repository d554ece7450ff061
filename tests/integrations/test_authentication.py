"""Every endpoint rejects what is not signed by the company's own key."""

import json

import pytest
from django.core.cache import cache

from integrations.models import WebhookEvent
from integrations.rejections import rejection_count
from tests.integrations.signing import (
    CALCOM_SECRET,
    RETELL_KEY,
    calcom_headers,
    calcom_url,
    events_url,
    fixture_body,
    functions_url,
    post_calcom,
    post_retell,
    retell_headers,
)

pytestmark = pytest.mark.django_db

STARTED = fixture_body("retell/call_started.json")
FUNCTION = fixture_body("retell/function_request_callback.json")
BOOKING = fixture_body("calcom/booking_created.json")


def assert_nothing_stored():
    assert WebhookEvent.objects.count() == 0


@pytest.mark.parametrize("url", [events_url(), functions_url()])
def test_retell_without_header_is_401(client, studio, url):
    response = client.post(url, STARTED, content_type="application/json")

    assert response.status_code == 401
    assert response.json() == {
        "error": "signature_missing",
        "message": "The X-Retell-Signature header is missing.",
    }
    assert rejection_count("retell", "signature_missing") == 1
    assert_nothing_stored()


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"X-Retell-Signature": "garbage"}, "signature_malformed"),
        (retell_headers(STARTED, key="wrong-key"), "signature_invalid"),
        (retell_headers(STARTED, at_ms=1_000_000_000_000), "signature_stale"),
    ],
)
def test_retell_events_bad_signature_is_401(client, studio, headers, reason):
    response = post_retell(client, events_url(), STARTED, headers)

    assert response.status_code == 401
    assert response.json()["error"] == reason
    assert rejection_count("retell", reason) == 1
    assert_nothing_stored()


def test_retell_signature_of_other_body_is_401(client, studio):
    headers = retell_headers(STARTED.replace(b"ongoing", b"ended"))

    response = post_retell(client, events_url(), STARTED, headers)

    assert response.status_code == 401
    assert response.json()["error"] == "signature_invalid"
    assert_nothing_stored()


def test_retell_unknown_company_is_401(client, studio):
    response = post_retell(client, events_url("nobody"), STARTED)

    assert response.status_code == 401
    assert response.json() == {
        "error": "unknown_company",
        "message": "No company has this URL.",
    }
    assert rejection_count("retell", "unknown_company") == 1
    assert_nothing_stored()


def test_retell_company_without_key_is_401(client, studio):
    studio.company.retell_api_key = ""
    studio.company.save()

    response = post_retell(client, events_url(), STARTED)

    assert response.status_code == 401
    assert response.json()["error"] == "key_not_configured"
    assert_nothing_stored()


def test_retell_key_of_other_company_is_401(client, studio):
    from tests.factories import CompanyFactory

    other = CompanyFactory(slug="other", retell_api_key="other-key")

    response = post_retell(
        client,
        events_url(studio.company.slug),
        STARTED,
        retell_headers(STARTED, key=other.retell_api_key),
    )

    assert response.status_code == 401
    assert_nothing_stored()


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({}, "signature_missing"),
        ({"X-Cal-Signature-256": "sha256=abc"}, "signature_malformed"),
        (calcom_headers(BOOKING, secret="wrong"), "signature_invalid"),
    ],
)
def test_calcom_bad_signature_is_401(client, studio, headers, reason):
    response = post_calcom(client, BOOKING, headers)

    assert response.status_code == 401
    assert response.json()["error"] == reason
    assert rejection_count("calcom", reason) == 1
    assert_nothing_stored()


def test_calcom_unknown_company_is_401(client, studio):
    response = post_calcom(client, BOOKING, slug="nobody")

    assert response.status_code == 401
    assert response.json()["error"] == "unknown_company"
    assert_nothing_stored()


def test_rejection_log_has_no_secret_or_body(client, studio, caplog):
    post_retell(client, events_url(), STARTED, retell_headers(STARTED, key="wrong"))
    post_calcom(client, BOOKING, calcom_headers(BOOKING, secret="wrong"))

    logged = caplog.text
    assert "webhook rejected: provider=retell company=studio" in logged
    assert "webhook rejected: provider=calcom company=studio" in logged
    assert RETELL_KEY not in logged
    assert CALCOM_SECRET not in logged
    assert "call_5c1e0a7d" not in logged
    assert "+15555550142" not in logged


def test_rejections_are_counted_per_reason(client, studio):
    for _ in range(3):
        post_retell(client, events_url(), STARTED, {"X-Retell-Signature": "x"})

    assert rejection_count("retell", "signature_malformed") == 3
    assert rejection_count("retell", "signature_invalid") == 0
    cache.clear()
    assert rejection_count("retell", "signature_malformed") == 0


@pytest.mark.parametrize("url", [events_url(), functions_url(), calcom_url()])
def test_get_is_405(client, studio, url):
    response = client.get(url)

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json()["error"] == "method_not_allowed"


@pytest.mark.parametrize("url", [events_url(), functions_url(), calcom_url()])
def test_body_over_limit_is_413(client, studio, settings, url):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"event": "call_started", "pad": "x" * 2000}).encode()

    response = client.post(url, body, content_type="application/json")

    assert response.status_code == 413
    assert response.json()["error"] == "body_too_large"
    assert "limit of 1 KiB" in response.json()["message"]
    assert_nothing_stored()


def test_function_body_on_events_url_is_400(client, studio):
    # The signature covers the body, not the URL: the same signed body is
    # valid on both Retell URLs, and each URL reads it by its own schema.
    response = post_retell(client, events_url(), FUNCTION)

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_payload"
    assert_nothing_stored()
