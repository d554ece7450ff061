"""The same signed request delivered five times at once has exactly one effect.

Each thread posts through its own Django test client and database
connection, so the copies race on PostgreSQL as real deliveries would.
"""

import threading
from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client

from appointments.models import Appointment, AppointmentModification
from callbacks.models import CallbackRequest
from integrations.models import Call, CallEvent, WebhookEvent
from tests.appointments.factories import AppointmentFactory
from tests.factories import CustomerFactory
from tests.integrations.signing import (
    calcom_headers,
    events_url,
    fixture_body,
    functions_url,
    retell_headers,
)

pytestmark = pytest.mark.django_db(transaction=True)

COPIES = 5


def post_concurrently(url: str, body: bytes, headers: dict) -> list:
    barrier = threading.Barrier(COPIES)
    responses = [None] * COPIES

    def deliver(index: int) -> None:
        try:
            barrier.wait()
            responses[index] = Client().post(
                url, body, content_type="application/json", headers=headers
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(COPIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


@pytest.fixture
def june_first():
    with time_machine.travel(datetime(2026, 6, 1, 16, 0, tzinfo=UTC), tick=True):
        yield


def test_call_event_copies_have_one_effect(studio):
    body = fixture_body("retell/call_ended.json")

    responses = post_concurrently(events_url(), body, retell_headers(body))

    assert [r.status_code for r in responses] == [200] * COPIES
    statuses = sorted(r.json()["status"] for r in responses)
    assert statuses == ["accepted"] + ["duplicate"] * (COPIES - 1)
    assert WebhookEvent.objects.count() == 1
    assert Call.objects.count() == 1
    assert CallEvent.objects.count() == 1


def test_request_callback_copies_have_one_effect(studio, june_first):
    CustomerFactory(company=studio.company, phone="+12025550142")
    body = fixture_body("retell/function_request_callback.json").replace(
        b"+15555550142", b"+12025550142"
    )

    responses = post_concurrently(functions_url(), body, retell_headers(body))

    assert [r.status_code for r in responses] == [200] * COPIES
    answers = [r.json() for r in responses]
    assert all(answer == answers[0] for answer in answers)
    assert answers[0]["result"] == "created"
    assert CallbackRequest.objects.count() == 1
    assert WebhookEvent.objects.count() == 1


def test_cancel_appointment_copies_have_one_effect(studio, june_first):
    appointment = AppointmentFactory(
        company=studio.company,
        branch=studio.branch,
        customer=studio.customer,
        starts_at=datetime(2026, 6, 5, 14, 30, tzinfo=UTC),
        ends_at=datetime(2026, 6, 5, 15, 15, tzinfo=UTC),
        currency="USD",
    )
    body = fixture_body("retell/function_cancel_appointment.json")

    responses = post_concurrently(functions_url(), body, retell_headers(body))

    answers = [r.json() for r in responses]
    assert [r.status_code for r in responses] == [200] * COPIES
    assert all(answer == answers[0] for answer in answers)
    assert answers[0]["result"] == "cancelled"
    assert AppointmentModification.objects.count() == 1
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"


def test_booking_copies_have_one_effect(studio, june_first):
    body = fixture_body("calcom/booking_created.json")

    responses = post_concurrently(
        f"/webhooks/calcom/{studio.company.slug}/", body, calcom_headers(body)
    )

    assert [r.status_code for r in responses] == [200] * COPIES
    assert WebhookEvent.objects.count() == 1
    assert Appointment.objects.count() == 1
