"""A caller asking about an appointment that is already cancelled hears so.

The samples refer to Friday, June 5 2026 at 10:30 in New York, and the tests
run on Monday, June 1 2026.
"""

import json
from datetime import UTC, datetime

import pytest
import time_machine

from appointments.models import AppointmentModification
from tests.appointments.factories import AppointmentFactory
from tests.integrations.signing import fixture_body, functions_url, post_retell

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 16, 0, tzinfo=UTC)
STARTS_AT = datetime(2026, 6, 5, 14, 30, tzinfo=UTC)
ALREADY_CANCELLED = (
    "Your appointment on Friday, June 5 at 10:30 AM is already cancelled."
)


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def cancelled(studio):
    return AppointmentFactory(
        company=studio.company,
        branch=studio.branch,
        customer=studio.customer,
        starts_at=STARTS_AT,
        ends_at=datetime(2026, 6, 5, 15, 15, tzinfo=UTC),
        currency="USD",
        status="cancelled",
    )


def call(client, name: str, call_id: str):
    data = json.loads(fixture_body(f"retell/function_{name}.json"))
    data["call"]["call_id"] = call_id
    return post_retell(client, functions_url(), json.dumps(data).encode())


@pytest.mark.parametrize(
    "name", ["check_cancellation", "cancel_appointment", "reschedule_appointment"]
)
def test_function_on_cancelled_appointment_says_so(client, cancelled, name):
    response = call(client, name, "call_second_caller")

    assert response.status_code == 200
    assert response.json() == {
        "result": "already_cancelled",
        "appointment_id": cancelled.pk,
        "message": ALREADY_CANCELLED,
    }
    cancelled.refresh_from_db()
    assert cancelled.status == "cancelled"
    assert AppointmentModification.objects.count() == 0


def test_cancel_from_second_call_says_already_cancelled(client, studio):
    appointment = AppointmentFactory(
        company=studio.company,
        branch=studio.branch,
        customer=studio.customer,
        starts_at=STARTS_AT,
        ends_at=datetime(2026, 6, 5, 15, 15, tzinfo=UTC),
        currency="USD",
    )

    first = call(client, "cancel_appointment", "call_first")
    second = call(client, "cancel_appointment", "call_second")

    assert first.json()["result"] == "cancelled"
    assert second.json() == {
        "result": "already_cancelled",
        "appointment_id": appointment.pk,
        "message": ALREADY_CANCELLED,
    }
    assert AppointmentModification.objects.count() == 1
