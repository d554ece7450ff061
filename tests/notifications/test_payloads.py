import pytest

from notifications import payloads
from notifications.payloads import payload_completed
from tenants import events
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_as_appointment(monkeypatch):
    """Stand in a tenant model that has a branch for an appointment."""
    monkeypatch.setitem(
        payloads.SOURCES,
        events.APPOINTMENT_CANCELLED,
        ("tenants", "Staff", "appointment_id", ("branch_id", "customer_id")),
    )


def test_payload_completed_fills_missing_ids(staff_as_appointment):
    staff = StaffFactory()

    payload = payload_completed(
        events.APPOINTMENT_CANCELLED, staff.company_id, {"appointment_id": staff.pk}
    )

    assert payload == {"appointment_id": staff.pk, "branch_id": staff.branch_id}


def test_payload_completed_keeps_given_ids(
    staff_as_appointment, django_assert_num_queries
):
    staff = StaffFactory()
    original = {"appointment_id": staff.pk, "branch_id": 99, "customer_id": 7}

    with django_assert_num_queries(0):
        payload = payload_completed(
            events.APPOINTMENT_CANCELLED, staff.company_id, original
        )

    assert payload == original


def test_payload_completed_ignores_other_company(staff_as_appointment):
    staff = StaffFactory()
    other = StaffFactory()

    payload = payload_completed(
        events.APPOINTMENT_CANCELLED, other.company_id, {"appointment_id": staff.pk}
    )

    assert payload == {"appointment_id": staff.pk}


def test_payload_completed_without_app_is_unchanged(monkeypatch):
    monkeypatch.setitem(
        payloads.SOURCES,
        events.APPOINTMENT_CANCELLED,
        ("appointments", "Nothing", "appointment_id", ("staff_id",)),
    )

    payload = payload_completed(events.APPOINTMENT_CANCELLED, 1, {"appointment_id": 3})

    assert payload == {"appointment_id": 3}
