"""Retell in-call functions replayed from the sample requests through the real URL.

The samples refer to Friday, June 5 2026 at 10:30 in New York. The tests run
on Monday, June 1 2026, so that appointment is in the future.
"""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine

from appointments.models import Appointment, AppointmentModification
from callbacks.models import CallbackRequest
from integrations.models import EventStatus, WebhookEvent
from policies.models import PolicyConfiguration
from tenants.configuration.services import config_set
from tests.appointments.factories import AppointmentFactory
from tests.factories import CustomerFactory
from tests.integrations.signing import (
    fixture_body,
    functions_url,
    post_retell,
    retell_headers,
)

pytestmark = pytest.mark.django_db

CALL_ID = "call_5c1e0a7d2b9f4e3a8d6c0b1a2f3e4d5c"
NOW = datetime(2026, 6, 1, 16, 0, tzinfo=UTC)  # Monday 12:00 in New York
STARTS_AT = datetime(2026, 6, 5, 14, 30, tzinfo=UTC)  # Friday 10:30 in New York
VALID_CALLER = "+12025550142"


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def appointment(studio):
    return AppointmentFactory(
        company=studio.company,
        branch=studio.branch,
        customer=studio.customer,
        service=studio.service,
        staff=studio.staff,
        starts_at=STARTS_AT,
        ends_at=datetime(2026, 6, 5, 15, 15, tzinfo=UTC),
        price="45.00",
        currency="USD",
    )


@pytest.fixture
def call_function(client, django_capture_on_commit_callbacks):
    def call_function(name: str, body: bytes | None = None):
        body = fixture_body(f"retell/function_{name}.json") if body is None else body
        with django_capture_on_commit_callbacks(execute=False):
            return post_retell(client, functions_url(), body)

    return call_function


def edited(name: str, **args) -> bytes:
    data = json.loads(fixture_body(f"retell/function_{name}.json"))
    data["args"].update(args)
    return json.dumps(data).encode()


def test_request_callback_sample_creates_callback(call_function, studio):
    response = call_function("request_callback")

    callback = CallbackRequest.objects.get()
    assert response.status_code == 200
    assert response.json() == {
        "result": "created",
        "reference": callback.reference,
        "due_at": "2026-06-02T16:00:00+00:00",
        "message": "Thank you. A colleague will call you back tomorrow by 12 PM. "
        f"Your reference is {callback.reference}.",
    }
    assert callback.phone == "+15555550142"
    assert callback.name == "Sam Example"
    event = WebhookEvent.objects.get()
    assert event.kind == "function_call"
    assert event.status == EventStatus.PROCESSED


def test_request_callback_impossible_number_is_refused(call_function, studio):
    response = call_function(
        "request_callback", edited("request_callback", phone_number="+1555")
    )

    assert response.status_code == 200
    assert response.json() == {
        "result": "invalid_phone",
        "message": "I could not use the number +1555. Could you tell me "
        "the number again, with the area code?",
    }
    assert CallbackRequest.objects.count() == 0
    event = WebhookEvent.objects.get()
    assert event.status == EventStatus.PROCESSED
    assert event.outcome == "invalid_phone"


def test_request_callback_creates_callback(call_function, studio):
    customer = CustomerFactory(
        company=studio.company, name="Robin Valid", phone=VALID_CALLER
    )

    response = call_function(
        "request_callback", edited("request_callback", phone_number=VALID_CALLER)
    )

    callback = CallbackRequest.objects.get()
    assert response.status_code == 200
    assert response.json() == {
        "result": "created",
        "reference": callback.reference,
        "due_at": "2026-06-02T16:00:00+00:00",
        "message": "Thank you. A colleague will call you back tomorrow by 12 PM. "
        f"Your reference is {callback.reference}.",
    }
    assert callback.company == studio.company
    assert callback.branch == studio.branch
    assert callback.service == studio.service
    assert callback.customer == customer
    assert callback.phone == VALID_CALLER
    assert callback.name == "Sam Example"
    assert callback.priority == "normal"
    assert callback.retell_call_id == CALL_ID
    assert callback.notes == (
        "Wants to move Friday's appointment\nPreferred time: today between 2 and 5 pm"
    )
    assert callback.metadata == {
        "reason": "Wants to move Friday's appointment",
        "preferred_time": "today between 2 and 5 pm",
        "service_name": "Haircut",
    }
    event = WebhookEvent.objects.get()
    assert event.response == response.json()
    assert event.idempotency_key.startswith(f"{CALL_ID}:request_callback:")


def test_request_callback_again_merges(call_function, studio):
    first = call_function(
        "request_callback", edited("request_callback", phone_number=VALID_CALLER)
    ).json()

    second = call_function(
        "request_callback",
        edited(
            "request_callback",
            phone_number=VALID_CALLER,
            urgency="URGENT",
            reason="Running late",
        ),
    ).json()

    callback = CallbackRequest.objects.get()
    assert second["result"] == "merged"
    assert second["reference"] == first["reference"]
    assert second["message"] == (
        f"You already have a callback request, reference {callback.reference}, "
        "and I have added this to it. A colleague will call you back today by 2 PM."
    )
    assert second["due_at"] == "2026-06-01T18:00:00+00:00"
    assert callback.priority == "urgent"


def test_request_callback_redelivery_returns_same_answer(call_function, studio):
    body = edited("request_callback", phone_number=VALID_CALLER)
    first = call_function("request_callback", body)

    second = call_function("request_callback", body)

    assert second.status_code == 200
    assert second.json() == first.json()
    assert CallbackRequest.objects.count() == 1
    assert WebhookEvent.objects.count() == 1


def test_request_callback_from_unknown_line(call_function, studio):
    data = json.loads(edited("request_callback", phone_number=VALID_CALLER))
    data["call"]["to_number"] = "+15555550199"

    response = call_function("request_callback", json.dumps(data).encode())

    assert response.json() == {
        "result": "unavailable",
        "message": "I'm sorry, I cannot register a callback from this line. "
        "Please call the branch directly.",
    }
    assert CallbackRequest.objects.count() == 0


def test_check_cancellation_without_policy_is_free(call_function, appointment):
    response = call_function("check_cancellation")

    assert response.status_code == 200
    assert response.json() == {
        "result": "allowed",
        "allowed": True,
        "reason": "allowed",
        "fee": "0.00",
        "currency": "USD",
        "appointment_id": appointment.pk,
        "message": "You can cancel free of charge.",
    }
    appointment.refresh_from_db()
    assert appointment.status == "booked"


def test_check_cancellation_reports_fee(call_function, appointment, studio):
    config_set(
        PolicyConfiguration,
        studio.company,
        "cancellation",
        {"hours_before": 24, "fee": "15.00"},
    )

    response = call_function("check_cancellation")

    assert response.json() == {
        "result": "allowed",
        "allowed": True,
        "reason": "allowed",
        "fee": "15.00",
        "currency": "USD",
        "appointment_id": appointment.pk,
        "message": "You can cancel for a fee of 15.00 USD.",
    }


def test_check_cancellation_past_deadline(call_function, appointment, studio):
    config_set(
        PolicyConfiguration, studio.company, "cancellation", {"hours_before": 120}
    )

    response = call_function("check_cancellation")

    body = response.json()
    assert body["result"] == "not_allowed"
    assert body["allowed"] is False
    assert body["reason"] == "deadline_missed"
    assert body["message"] == (
        "Cancellations need 120 hours' notice and this one has 94.5 hours, so it "
        "can't be cancelled by phone."
    )


def test_check_cancellation_not_found(call_function, appointment):
    response = call_function(
        "check_cancellation", edited("check_cancellation", appointment_time="11:30")
    )

    assert response.json() == {
        "result": "not_found",
        "message": "I could not find an appointment on Friday, June 5 at 11:30 AM "
        "for the number you are calling from. Could you check the date and time?",
    }


def test_check_cancellation_ignores_other_callers(call_function, studio):
    other = CustomerFactory(company=studio.company, phone="+12025550199")
    AppointmentFactory(
        company=studio.company,
        branch=studio.branch,
        customer=other,
        starts_at=STARTS_AT,
    )

    response = call_function("check_cancellation")

    assert response.json()["result"] == "not_found"


def test_cancel_appointment_cancels(call_function, appointment, studio):
    config_set(
        PolicyConfiguration,
        studio.company,
        "cancellation",
        {"hours_before": 24, "fee": "15.00"},
    )

    response = call_function("cancel_appointment")

    assert response.status_code == 200
    assert response.json() == {
        "result": "cancelled",
        "allowed": True,
        "reason": "allowed",
        "fee": "15.00",
        "currency": "USD",
        "appointment_id": appointment.pk,
        "message": "Your appointment on Friday, June 5 at 10:30 AM is cancelled. "
        "A fee of 15.00 USD applies.",
    }
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"
    modification = AppointmentModification.objects.get()
    assert modification.appointment == appointment
    assert modification.kind == "cancel"
    assert modification.fee_charged == Decimal("15.00")
    assert modification.actor == "phone_agent"
    assert modification.reason == "Travelling that week"
    assert modification.occurred_at == NOW


def test_cancel_appointment_redelivery_has_one_effect(call_function, appointment):
    first = call_function("cancel_appointment")

    second = call_function("cancel_appointment")

    assert second.json() == first.json()
    assert AppointmentModification.objects.count() == 1
    assert WebhookEvent.objects.get().attempts == 1


def test_cancel_appointment_refused_changes_nothing(call_function, appointment, studio):
    config_set(
        PolicyConfiguration, studio.company, "cancellation", {"hours_before": 120}
    )

    response = call_function("cancel_appointment")

    assert response.json()["result"] == "not_cancelled"
    assert response.json()["reason"] == "deadline_missed"
    appointment.refresh_from_db()
    assert appointment.status == "booked"
    assert AppointmentModification.objects.count() == 0


def test_reschedule_appointment_moves(call_function, appointment):
    response = call_function("reschedule_appointment")

    moved = Appointment.objects.get(rescheduled_from=appointment)
    assert response.status_code == 200
    assert response.json() == {
        "result": "rescheduled",
        "allowed": True,
        "reason": "allowed",
        "fee": "0.00",
        "currency": "USD",
        "appointment_id": appointment.pk,
        "new_appointment_id": moved.pk,
        "message": "Your appointment is moved to Tuesday, June 9 at 3 PM.",
    }
    assert moved.starts_at == datetime(2026, 6, 9, 19, 0, tzinfo=UTC)
    assert moved.ends_at == datetime(2026, 6, 9, 19, 45, tzinfo=UTC)
    assert moved.customer == appointment.customer
    assert moved.service == appointment.service
    appointment.refresh_from_db()
    assert appointment.status == "rescheduled"


def test_reschedule_not_allowed_by_phone(call_function, appointment, studio):
    config_set(
        PolicyConfiguration, studio.company, "cancellation_by_phone", {"enabled": False}
    )

    response = call_function("reschedule_appointment")

    assert response.json()["result"] == "not_rescheduled"
    assert response.json()["reason"] == "not_allowed_by_phone"
    assert Appointment.objects.count() == 1


def test_check_cancellation_query_count(
    call_function, appointment, django_assert_max_num_queries
):
    call_function("check_cancellation")  # warms the policy cache

    # Company, inbox insert, phone line, appointment and inbox update, plus
    # the savepoints around the transaction and the inbox insert.
    with django_assert_max_num_queries(9):
        response = call_function(
            "check_cancellation", edited("check_cancellation", extra="x")
        )

    assert response.json()["result"] == "allowed"


@pytest.mark.parametrize(
    "name",
    [
        "request_callback",
        "check_cancellation",
        "cancel_appointment",
        "reschedule_appointment",
    ],
)
def test_broken_signature_changes_nothing(client, appointment, name):
    body = fixture_body(f"retell/function_{name}.json")
    headers = retell_headers(body, key="not-the-key")

    response = post_retell(client, functions_url(), body, headers)

    assert response.status_code == 401
    assert WebhookEvent.objects.count() == 0
    assert CallbackRequest.objects.count() == 0
    assert AppointmentModification.objects.count() == 0
    assert Appointment.objects.get() == appointment
    assert appointment.status == "booked"


def test_failed_function_is_recorded_and_retried(
    call_function, appointment, monkeypatch
):
    from integrations.functions import FUNCTIONS
    from integrations.schemas.functions import AppointmentArgs
    from integrations.services.function_calls import InCallFunction

    def broken(context, args):
        appointment.status = "cancelled"
        appointment.save()
        raise RuntimeError("engine unavailable")

    working = FUNCTIONS["check_cancellation"]
    monkeypatch.setitem(
        FUNCTIONS,
        "check_cancellation",
        InCallFunction("check_cancellation", AppointmentArgs, broken),
    )

    failed = call_function("check_cancellation")

    assert failed.status_code == 503
    assert failed.json()["error"] == "function_failed"
    event = WebhookEvent.objects.get()
    assert event.status == EventStatus.FAILED
    assert event.error == "RuntimeError: engine unavailable"
    assert event.attempts == 1
    appointment.refresh_from_db()
    assert appointment.status == "booked"  # the function's change was rolled back

    monkeypatch.setitem(FUNCTIONS, "check_cancellation", working)
    retried = call_function("check_cancellation")

    event.refresh_from_db()
    assert retried.status_code == 200
    assert retried.json()["result"] == "allowed"
    assert event.status == EventStatus.PROCESSED
    assert event.attempts == 2
    assert event.error == ""
