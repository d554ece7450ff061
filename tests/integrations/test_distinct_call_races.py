"""Different calls from one caller racing on one appointment or one number.

Unlike redelivered copies, each request here has its own call id, so the
inbox does not deduplicate them and the services' locks must.
"""

import json
import threading
from collections import Counter
from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client

from appointments.models import AppointmentModification
from callbacks.models import CallbackRequest
from tests.appointments.factories import AppointmentFactory
from tests.integrations.signing import fixture_body, functions_url, retell_headers

pytestmark = pytest.mark.django_db(transaction=True)

CALLS = 6


@pytest.fixture(autouse=True)
def june_first():
    with time_machine.travel(datetime(2026, 6, 1, 16, 0, tzinfo=UTC), tick=True):
        yield


def bodies(name: str) -> list[bytes]:
    data = json.loads(fixture_body(f"retell/function_{name}.json"))
    result = []
    for index in range(CALLS):
        data["call"]["call_id"] = f"call_race_{index}"
        result.append(json.dumps(data).encode())
    return result


def post_together(payloads: list[bytes]) -> list:
    barrier = threading.Barrier(len(payloads))
    responses = [None] * len(payloads)

    def deliver(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            body = payloads[index]
            responses[index] = Client().post(
                functions_url(),
                body,
                content_type="application/json",
                headers=retell_headers(body),
            )
        finally:
            connection.close()

    threads = [
        threading.Thread(target=deliver, args=(index,))
        for index in range(len(payloads))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


def test_cancel_from_several_calls_cancels_once(studio):
    appointment = AppointmentFactory(
        company=studio.company,
        branch=studio.branch,
        customer=studio.customer,
        starts_at=datetime(2026, 6, 5, 14, 30, tzinfo=UTC),
        ends_at=datetime(2026, 6, 5, 15, 15, tzinfo=UTC),
        currency="USD",
    )

    responses = post_together(bodies("cancel_appointment"))

    assert [response.status_code for response in responses] == [200] * CALLS
    results = Counter(response.json()["result"] for response in responses)
    assert results["cancelled"] == 1
    assert set(results) <= {"cancelled", "already_cancelled", "not_cancelled"}
    for response in responses:
        if response.json()["result"] == "not_cancelled":
            assert response.json()["reason"] == "already_cancelled"
    assert AppointmentModification.objects.count() == 1
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"


def test_request_callback_from_several_calls_opens_one(studio):
    responses = post_together(bodies("request_callback"))

    assert [response.status_code for response in responses] == [200] * CALLS
    results = Counter(response.json()["result"] for response in responses)
    assert results == {"created": 1, "merged": CALLS - 1}
    references = {response.json()["reference"] for response in responses}
    callback = CallbackRequest.objects.get()
    assert references == {callback.reference}
