"""Retell call events replayed from the sample requests through the real URL."""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from callbacks.models import CallbackRequest
from integrations.handlers import HANDLERS
from integrations.models import Call, CallEvent, EventStatus, WebhookEvent
from integrations.services.inbox import webhook_event_process
from tests.factories import CustomerFactory
from tests.integrations.signing import (
    events_url,
    fixture_body,
    post_retell,
    retell_headers,
)

pytestmark = pytest.mark.django_db

CALL_ID = "call_5c1e0a7d2b9f4e3a8d6c0b1a2f3e4d5c"
STARTED_AT = datetime(2026, 6, 2, 15, 0, tzinfo=UTC)
ENDED_AT = datetime(2026, 6, 2, 15, 2, 1, 500000, tzinfo=UTC)
VALID_CALLER = "+12025550142"
SUMMARY = (
    "The caller wants to move Friday's appointment and asked for a callback "
    "this afternoon."
)
TRANSCRIPT = json.loads(fixture_body("retell/call_ended.json"))["call"]["transcript"]


def with_valid_caller(body: bytes) -> bytes:
    return body.replace(b"+15555550142", VALID_CALLER.encode())


@pytest.fixture
def deliver(client, django_capture_on_commit_callbacks):
    """Post a sample event with a valid signature and run the queued task."""

    def deliver(name: str, body: bytes | None = None):
        body = fixture_body(f"retell/{name}.json") if body is None else body
        with django_capture_on_commit_callbacks(execute=True):
            return post_retell(client, events_url(), body)

    return deliver


def test_call_started_creates_call(deliver, studio):
    response = deliver("call_started")

    event = WebhookEvent.objects.get()
    assert response.status_code == 200
    assert response.json() == {"status": "accepted", "event_id": event.pk}
    assert event.provider == "retell"
    assert event.kind == "call_event"
    assert event.event == "call_started"
    assert event.external_id == CALL_ID
    assert event.idempotency_key == f"call_started:{CALL_ID}"
    assert event.body == fixture_body("retell/call_started.json").decode()
    assert event.headers["Content-Type"] == "application/json"
    assert event.status == EventStatus.PROCESSED
    assert event.attempts == 1
    call = Call.objects.get()
    assert event.outcome == f"call {call.pk} ongoing"
    assert call.company == studio.company
    assert call.call_id == CALL_ID
    assert call.branch == studio.branch
    assert call.customer == studio.customer
    assert call.agent_id == "agent_3d2c1b0a99887766554433"
    assert call.direction == "inbound"
    assert call.from_number == "+15555550142"
    assert call.to_number == "+15555550100"
    assert call.status == "ongoing"
    assert call.started_at == STARTED_AT
    assert call.ended_at is None
    assert call.duration_ms is None
    assert list(call.events.values_list("event", "status_after")) == [
        ("call_started", "ongoing")
    ]


def test_call_ended_fills_end_of_call(deliver, studio):
    deliver("call_started")
    deliver("call_ended")

    call = Call.objects.get()
    assert call.status == "ended"
    assert call.started_at == STARTED_AT
    assert call.ended_at == ENDED_AT
    assert call.duration_ms == 121500
    assert call.disconnection_reason == "user_hangup"
    assert call.transcript == TRANSCRIPT
    assert call.recording_url == "https://recordings.example.invalid/call_5c1e0a7d.wav"
    assert call.cost_cents == Decimal("14.1800")
    assert call.summary == ""
    assert list(call.events.values_list("event", flat=True)) == [
        "call_started",
        "call_ended",
    ]


def test_call_analyzed_adds_analysis(deliver, studio):
    deliver("call_started")
    deliver("call_ended")
    deliver("call_analyzed")

    call = Call.objects.get()
    assert call.summary == SUMMARY
    assert call.sentiment == "Neutral"
    assert call.successful is True
    assert call.in_voicemail is False
    assert call.custom_analysis == {
        "callback_requested": True,
        "callback_reason": "reschedule",
        "preferred_window": "today 14:00-17:00",
    }
    callback = CallbackRequest.objects.get()
    assert callback.phone == "+15555550142"
    assert callback.retell_call_id == call.call_id
    analyzed = WebhookEvent.objects.get(event="call_analyzed")
    assert analyzed.status == EventStatus.PROCESSED
    assert analyzed.outcome == (
        f"call {call.pk} analyzed; callback {callback.reference} created"
    )


def test_call_analyzed_creates_requested_callback(deliver, studio):
    customer = CustomerFactory(
        company=studio.company, name="Robin Valid", phone=VALID_CALLER
    )

    deliver(
        "call_analyzed", with_valid_caller(fixture_body("retell/call_analyzed.json"))
    )

    call = Call.objects.get()
    assert call.customer == customer
    callback = CallbackRequest.objects.get()
    assert callback.company == studio.company
    assert callback.branch == studio.branch
    assert callback.customer == customer
    assert callback.phone == VALID_CALLER
    assert callback.name == "Robin Valid"
    assert callback.retell_call_id == CALL_ID
    assert callback.source == "phone_agent"
    assert callback.priority == "normal"
    assert callback.notes == (
        "reschedule\nPreferred time: today 14:00-17:00\n" + SUMMARY
    )
    assert callback.metadata == {
        "from_call_analysis": True,
        "callback_reason": "reschedule",
        "preferred_window": "today 14:00-17:00",
    }
    analyzed = WebhookEvent.objects.get()
    assert analyzed.outcome == (
        f"call {call.pk} analyzed; callback {callback.reference} created"
    )


def test_retried_call_analyzed_creates_one_callback(deliver, studio):
    body = with_valid_caller(fixture_body("retell/call_analyzed.json"))
    deliver("call_analyzed", body)
    event = WebhookEvent.objects.get()
    WebhookEvent.objects.filter(pk=event.pk).update(status=EventStatus.RECEIVED)

    assert webhook_event_process(event.pk, HANDLERS) == EventStatus.PROCESSED

    assert CallbackRequest.objects.count() == 1
    assert WebhookEvent.objects.get().outcome.endswith("callback already exists")


def test_call_analyzed_keeps_callback_made_during_call(deliver, studio):
    from callbacks.services.create import callback_create

    existing, _ = callback_create(
        company=studio.company,
        branch=studio.branch,
        phone=VALID_CALLER,
        retell_call_id=CALL_ID,
    )

    deliver(
        "call_analyzed", with_valid_caller(fixture_body("retell/call_analyzed.json"))
    )

    assert list(CallbackRequest.objects.all()) == [existing]
    assert WebhookEvent.objects.get().outcome.endswith("callback already exists")


def test_call_analyzed_without_request_creates_no_callback(deliver, studio):
    data = json.loads(fixture_body("retell/call_analyzed.json"))
    data["call"]["call_analysis"]["custom_analysis_data"]["callback_requested"] = False

    deliver("call_analyzed", json.dumps(data).encode())

    assert CallbackRequest.objects.count() == 0
    assert Call.objects.get().summary.startswith("The caller wants")


def test_late_call_started_does_not_reopen_call(deliver, studio):
    deliver("call_ended")
    deliver("call_started")

    call = Call.objects.get()
    assert call.status == "ended"
    assert call.ended_at == ENDED_AT
    assert list(call.events.values_list("event", "status_after")) == [
        ("call_ended", "ended"),
        ("call_started", "ended"),
    ]


def test_redelivered_event_is_duplicate_noop(deliver, studio):
    first = deliver("call_started")
    second = deliver("call_started")

    event = WebhookEvent.objects.get()
    assert second.status_code == 200
    assert second.json() == {"status": "duplicate", "event_id": event.pk}
    assert first.json()["event_id"] == event.pk
    assert CallEvent.objects.count() == 1
    assert WebhookEvent.objects.get().attempts == 1


def test_unused_event_type_is_ignored(deliver, studio):
    data = json.loads(fixture_body("retell/call_ended.json"))
    data["event"] = "transcript_updated"

    response = deliver("call_ended", json.dumps(data).encode())

    event = WebhookEvent.objects.get()
    assert response.status_code == 200
    assert response.json() == {"status": "ignored", "event_id": event.pk}
    assert event.status == EventStatus.IGNORED
    assert event.attempts == 0
    assert Call.objects.count() == 0


def test_call_to_unknown_number_has_no_branch(deliver, studio):
    data = json.loads(fixture_body("retell/call_started.json"))
    data["call"]["to_number"] = "+15555550199"

    deliver("call_started", json.dumps(data).encode())

    call = Call.objects.get()
    assert call.branch is None
    assert call.customer == studio.customer


def test_analyzed_call_to_unknown_number_fails_visibly(deliver, studio):
    data = json.loads(fixture_body("retell/call_analyzed.json"))
    data["call"]["to_number"] = "+15555550199"

    deliver("call_analyzed", json.dumps(data).encode())

    event = WebhookEvent.objects.get()
    assert event.status == EventStatus.FAILED
    assert event.error == (
        f"ValueError: call {CALL_ID} reached +15555550199, which is not a phone "
        "line of any branch; add the number to a branch and retry."
    )
    assert Call.objects.count() == 0
    assert CallbackRequest.objects.count() == 0


def test_line_of_other_company_is_not_used(deliver, studio):
    from tests.factories import PhoneLineFactory

    PhoneLineFactory(number="+15555550177")
    data = json.loads(fixture_body("retell/call_started.json"))
    data["call"]["to_number"] = "+15555550177"

    deliver("call_started", json.dumps(data).encode())

    assert Call.objects.get().branch is None


@pytest.mark.parametrize("name", ["call_started", "call_ended", "call_analyzed"])
def test_broken_signature_changes_nothing(client, studio, name):
    body = fixture_body(f"retell/{name}.json")
    headers = retell_headers(body)
    headers["X-Retell-Signature"] = headers["X-Retell-Signature"][:-1] + (
        "0" if headers["X-Retell-Signature"][-1] != "0" else "1"
    )

    response = post_retell(client, events_url(), body, headers)

    assert response.status_code == 401
    assert WebhookEvent.objects.count() == 0
    assert Call.objects.count() == 0
    assert CallbackRequest.objects.count() == 0
