"""Cal.com booking events replayed from the sample requests through the real URL.

The samples book Friday, June 5 2026, move it to Tuesday, June 9 and cancel
the moved booking. The tests run on June 1, before all of it.
"""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine

from appointments.models import Appointment, AppointmentModification
from integrations.models import EventStatus, WebhookEvent
from tenants.models import Customer
from tests.integrations.signing import calcom_headers, fixture_body, post_calcom

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 16, 0, tzinfo=UTC)
CREATED_UID = "bk8Qm2ZrT4vN6pL1sX9aYc"
MOVED_UID = "bkR3sch3dul3d00000000"


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def deliver(client, django_capture_on_commit_callbacks):
    def deliver(name: str, body: bytes | None = None):
        body = fixture_body(f"calcom/{name}.json") if body is None else body
        with django_capture_on_commit_callbacks(execute=True):
            return post_calcom(client, body)

    return deliver


def test_booking_created_books_appointment(deliver, studio):
    response = deliver("booking_created")

    event = WebhookEvent.objects.get()
    appointment = Appointment.objects.get()
    assert response.status_code == 200
    assert response.json() == {"status": "accepted", "event_id": event.pk}
    assert event.provider == "calcom"
    assert event.event == "BOOKING_CREATED"
    assert event.external_id == CREATED_UID
    assert event.status == EventStatus.PROCESSED
    assert event.outcome == f"appointment {appointment.pk} created"
    assert appointment.company == studio.company
    assert appointment.branch == studio.branch
    assert appointment.customer == studio.customer
    assert appointment.service == studio.service
    assert appointment.staff == studio.staff
    assert appointment.starts_at == datetime(2026, 6, 5, 14, 30, tzinfo=UTC)
    assert appointment.ends_at == datetime(2026, 6, 5, 15, 15, tzinfo=UTC)
    assert appointment.price == Decimal("45.00")
    assert appointment.currency == "USD"
    assert appointment.status == "booked"
    assert appointment.source == "calcom"
    assert appointment.external_uid == CREATED_UID
    assert appointment.notes == "First visit"
    assert Customer.objects.count() == 1


def test_booking_rescheduled_links_old_booking(deliver, studio):
    deliver("booking_created")
    old = Appointment.objects.get()

    deliver("booking_rescheduled")

    old.refresh_from_db()
    moved = Appointment.objects.get(external_uid=MOVED_UID)
    assert old.status == "rescheduled"
    assert moved.rescheduled_from == old
    assert moved.reschedule_count == 1
    assert moved.status == "booked"
    assert moved.starts_at == datetime(2026, 6, 9, 19, 0, tzinfo=UTC)
    assert moved.ends_at == datetime(2026, 6, 9, 19, 45, tzinfo=UTC)
    assert moved.customer == studio.customer
    assert moved.staff == studio.staff
    assert moved.service == studio.service
    assert moved.price == Decimal("45.00")
    modification = AppointmentModification.objects.get()
    assert modification.kind == "reschedule"
    assert modification.actor == "calcom"
    assert modification.new_appointment == moved
    event = WebhookEvent.objects.get(event="BOOKING_RESCHEDULED")
    assert event.outcome == f"appointment {old.pk} moved to appointment {moved.pk}"


def test_booking_cancelled_cancels_moved_booking(deliver, studio):
    deliver("booking_created")
    deliver("booking_rescheduled")

    deliver("booking_cancelled")

    moved = Appointment.objects.get(external_uid=MOVED_UID)
    assert moved.status == "cancelled"
    cancel = AppointmentModification.objects.get(kind="cancel")
    assert cancel.appointment == moved
    assert cancel.reason == "Schedule conflict"
    assert cancel.actor == "calcom"
    assert Appointment.objects.get(external_uid=CREATED_UID).status == "rescheduled"
    event = WebhookEvent.objects.get(event="BOOKING_CANCELLED")
    assert event.outcome == f"appointment {moved.pk} cancelled"


def test_redelivered_booking_is_duplicate(deliver, studio):
    deliver("booking_created")

    response = deliver("booking_created")

    assert response.json()["status"] == "duplicate"
    assert Appointment.objects.count() == 1
    assert WebhookEvent.objects.count() == 1


def test_reschedule_of_unknown_booking_books_unlinked(deliver, studio):
    response = deliver("booking_rescheduled")

    moved = Appointment.objects.get()
    assert response.json()["status"] == "accepted"
    assert moved.external_uid == MOVED_UID
    assert moved.rescheduled_from is None
    assert WebhookEvent.objects.get().outcome == (
        f"appointment {moved.pk} created (old booking unknown)"
    )


def test_cancel_before_its_booking_is_kept(deliver, studio):
    deliver("booking_cancelled")

    appointment = Appointment.objects.get()
    assert appointment.external_uid == MOVED_UID
    assert appointment.status == "cancelled"
    assert appointment.starts_at == datetime(2026, 6, 9, 19, 0, tzinfo=UTC)
    event = WebhookEvent.objects.get()
    assert event.status == EventStatus.PROCESSED
    assert event.outcome == f"appointment {appointment.pk} cancelled"


def test_booking_arriving_after_its_cancel_stays_cancelled(deliver, studio):
    deliver("booking_cancelled")
    moved = json.loads(fixture_body("calcom/booking_rescheduled.json"))
    moved["triggerEvent"] = "BOOKING_CREATED"

    deliver("booking_created", json.dumps(moved).encode())

    appointment = Appointment.objects.get()
    assert appointment.status == "cancelled"
    assert WebhookEvent.objects.filter(status=EventStatus.PROCESSED).count() == 2


def test_new_attendee_becomes_customer(deliver, studio):
    data = json.loads(fixture_body("calcom/booking_created.json"))
    data["payload"]["attendees"][0]["email"] = "new.person@example.com"
    data["payload"]["attendees"][0]["name"] = "New Person"
    data["payload"]["responses"]["attendeePhoneNumber"]["value"] = "+1 202 555 0177"

    deliver("booking_created", json.dumps(data).encode())

    customer = Appointment.objects.get().customer
    assert customer.company == studio.company
    assert customer.name == "New Person"
    assert customer.email == "new.person@example.com"
    assert customer.phone == "+12025550177"
    assert customer.phone_raw == "+1 202 555 0177"


def test_service_found_by_event_type_id(deliver, studio):
    studio.service.external_event_type = "311"
    studio.service.save()

    deliver("booking_created")

    assert Appointment.objects.get().service == studio.service


def test_unknown_organizer_in_multi_branch_company_fails(deliver, studio):
    from tests.factories import BranchFactory

    BranchFactory(company=studio.company)
    studio.service.branches.clear()
    data = json.loads(fixture_body("calcom/booking_created.json"))
    data["payload"]["organizer"]["email"] = "stranger@example.com"

    deliver("booking_created", json.dumps(data).encode())

    event = WebhookEvent.objects.get()
    assert event.status == EventStatus.FAILED
    assert event.error.startswith("ValueError: cannot tell the branch of a booking")
    assert Appointment.objects.count() == 0


def test_ping_is_ignored(deliver, studio):
    body = json.dumps(
        {"triggerEvent": "PING", "createdAt": "2026-06-01T00:00:00Z", "payload": {}}
    ).encode()

    response = deliver("booking_created", body)

    event = WebhookEvent.objects.get()
    assert response.json() == {"status": "ignored", "event_id": event.pk}
    assert event.status == EventStatus.IGNORED


@pytest.mark.parametrize(
    "name", ["booking_created", "booking_rescheduled", "booking_cancelled"]
)
def test_broken_signature_changes_nothing(client, studio, name):
    body = fixture_body(f"calcom/{name}.json")
    headers = calcom_headers(body + b"\n")

    response = post_calcom(client, body, headers)

    assert response.status_code == 401
    assert WebhookEvent.objects.count() == 0
    assert Appointment.objects.count() == 0


def test_sync_after_the_fact_links_and_cancels(deliver, studio):
    # Delivered in July, when both bookings already lie in the past: the
    # policy services would reject the changes, so the statuses follow Cal.com.
    deliver("booking_created")
    with time_machine.travel(datetime(2026, 7, 1, tzinfo=UTC), tick=False):
        deliver("booking_rescheduled")
        deliver("booking_cancelled")

    old = Appointment.objects.get(external_uid=CREATED_UID)
    moved = Appointment.objects.get(external_uid=MOVED_UID)
    assert old.status == "rescheduled"
    assert moved.rescheduled_from == old
    assert moved.reschedule_count == 1
    assert moved.status == "cancelled"
    assert AppointmentModification.objects.count() == 0
    outcomes = list(
        # The frozen clock gives two events one received_at; ids keep the order.
        WebhookEvent.objects.order_by("received_at", "pk").values_list(
            "outcome", flat=True
        )
    )
    assert outcomes == [
        f"appointment {old.pk} created",
        f"appointment {moved.pk} created from appointment {old.pk}",
        f"appointment {moved.pk} cancelled",
    ]
