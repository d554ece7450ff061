"""Signed but unusable bodies get 400 with a message and store nothing."""

import json

import pytest

from integrations.models import WebhookEvent
from tests.integrations.signing import (
    events_url,
    fixture_body,
    functions_url,
    post_calcom,
    post_retell,
    retell_headers,
)

pytestmark = pytest.mark.django_db


def fixture_json(name: str) -> dict:
    return json.loads(fixture_body(name))


def encode(data) -> bytes:
    return json.dumps(data).encode()


@pytest.mark.parametrize("url", [events_url(), functions_url()])
@pytest.mark.parametrize("body", [b"", b"{", b"not json", b"\xff\xfe{}", b"[]", b"1"])
def test_retell_unparseable_body_is_400(client, studio, url, body):
    response = post_retell(client, url, body)

    assert response.status_code == 400
    assert response.json()["error"] in {"invalid_json", "invalid_payload"}
    assert response.json()["message"]
    assert WebhookEvent.objects.count() == 0


def test_retell_event_missing_call_id_is_400(client, studio):
    data = fixture_json("retell/call_started.json")
    del data["call"]["call_id"]

    response = post_retell(client, events_url(), encode(data))

    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_payload",
        "message": "call.call_id: Field required.",
    }
    assert WebhookEvent.objects.count() == 0


def test_retell_event_wrong_type_is_400(client, studio):
    data = fixture_json("retell/call_ended.json")
    data["call"]["duration_ms"] = "121500"

    response = post_retell(client, events_url(), encode(data))

    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_payload",
        "message": "call.duration_ms: Input should be a valid integer.",
    }
    assert WebhookEvent.objects.count() == 0


def test_retell_nul_character_is_400(client, studio):
    data = fixture_json("retell/call_started.json")
    data["call"]["metadata"] = {"note": "a\u0000b"}

    response = post_retell(client, events_url(), encode(data))

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_payload"
    assert WebhookEvent.objects.count() == 0


def test_unknown_function_is_400(client, studio):
    data = fixture_json("retell/function_request_callback.json")
    data["name"] = "book_flight"

    response = post_retell(client, functions_url(), encode(data))

    assert response.status_code == 400
    assert response.json() == {
        "error": "unknown_function",
        "message": "'book_flight' is not a function of this endpoint; use one of "
        "cancel_appointment, check_cancellation, request_callback, "
        "reschedule_appointment.",
    }
    assert WebhookEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({}, "appointment_date: Field required."),
        (
            {"appointment_date": "June 5", "appointment_time": "10:30"},
            "appointment_date: Input should be a valid date in the format "
            "YYYY-MM-DD, input is too short.",
        ),
        (
            {"appointment_date": "2026-06-05", "appointment_time": 1030},
            "appointment_time: Input should be a valid time.",
        ),
    ],
)
def test_function_bad_arguments_are_400(client, studio, args, message):
    data = fixture_json("retell/function_check_cancellation.json")
    data["args"] = args

    response = post_retell(client, functions_url(), encode(data))

    assert response.status_code == 400
    assert response.json() == {"error": "invalid_payload", "message": message}
    assert WebhookEvent.objects.count() == 0


def test_request_callback_unknown_urgency_is_400(client, studio):
    data = fixture_json("retell/function_request_callback.json")
    data["args"]["urgency"] = "whenever"

    response = post_retell(client, functions_url(), encode(data))

    assert response.status_code == 400
    assert response.json()["message"] == (
        "urgency: Input should be 'normal', 'high' or 'urgent'."
    )


@pytest.mark.parametrize(
    "body", [b"{", b"{}", b'{"triggerEvent": 1, "payload": {}}', b'{"payload": []}']
)
def test_calcom_unusable_envelope_is_400(client, studio, body):
    response = post_calcom(client, body)

    assert response.status_code == 400
    assert WebhookEvent.objects.count() == 0


def test_calcom_booking_without_start_is_400(client, studio):
    data = fixture_json("calcom/booking_created.json")
    del data["payload"]["startTime"]

    response = post_calcom(client, encode(data))

    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_payload",
        "message": "startTime: Field required.",
    }
    assert WebhookEvent.objects.count() == 0


def test_calcom_naive_start_time_is_400(client, studio):
    data = fixture_json("calcom/booking_created.json")
    data["payload"]["startTime"] = "2026-06-05T14:30:00"

    response = post_calcom(client, encode(data))

    assert response.status_code == 400
    assert response.json()["message"].startswith("startTime: Input should have")
    assert WebhookEvent.objects.count() == 0


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml"])
def test_non_json_content_type_is_rejected(client, studio, content_type):
    body = fixture_body("retell/call_started.json")
    headers = retell_headers(body)

    response = client.post(
        events_url(), body, content_type=content_type, headers=headers
    )

    assert response.status_code == 415
    assert response.json()["error"] == "unsupported_media_type"
    assert content_type in response.json()["message"]
    assert WebhookEvent.objects.count() == 0
