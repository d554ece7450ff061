from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from appointments.models import Appointment, AppointmentModification, AppointmentStatus
from policies.engine import Reason
from policies.services import appointment_reschedule
from tenants import events
from tests.appointments.fixtures import STARTS_AT

pytestmark = pytest.mark.django_db

AT = STARTS_AT - timedelta(days=2)
NEW_START = STARTS_AT + timedelta(days=7, hours=2)


def test_appointment_reschedule_books_new_row(
    appointment, set_policy, published, django_capture_on_commit_callbacks
):
    set_policy(appointment.company, "reschedule", {"fee": 7})

    with django_capture_on_commit_callbacks(execute=True):
        decision = appointment_reschedule(
            appointment, NEW_START, actor="phone_agent", reason="travel", at=AT
        )

    appointment.refresh_from_db()
    moved = Appointment.objects.get(rescheduled_from=appointment)
    [modification] = AppointmentModification.objects.all()
    assert decision.allowed is True
    assert decision.details["new_appointment_id"] == moved.pk
    assert appointment.status == AppointmentStatus.RESCHEDULED
    assert moved.status == AppointmentStatus.BOOKED
    assert moved.starts_at == NEW_START
    assert moved.ends_at == NEW_START + timedelta(minutes=45)
    assert moved.reschedule_count == 1
    assert moved.customer_id == appointment.customer_id
    assert moved.staff_id == appointment.staff_id
    assert moved.service_id == appointment.service_id
    assert moved.price == Decimal("80.00")
    assert modification.kind == "reschedule"
    assert modification.new_appointment_id == moved.pk
    assert modification.previous_starts_at == STARTS_AT
    assert modification.fee_charged == Decimal("7.00")
    assert modification.notice_hours == Decimal("48.00")
    assert [e.name for e in published] == [events.APPOINTMENT_RESCHEDULED]
    assert published[0].payload == {
        "appointment_id": appointment.pk,
        "customer_id": appointment.customer_id,
        "branch_id": appointment.branch_id,
        "reason": "allowed",
        "fee": "7.00",
        "currency": "USD",
        "actor": "phone_agent",
        "forced": False,
        "new_appointment_id": moved.pk,
        "previous_starts_at": STARTS_AT.isoformat(),
        "new_starts_at": NEW_START.isoformat(),
    }


def test_appointment_reschedule_chain_reaches_maximum(
    appointment, set_policy, published, django_capture_on_commit_callbacks
):
    set_policy(
        appointment.company, "reschedule", {"max_reschedules_per_appointment": 2}
    )
    current = appointment
    for step in range(2):
        decision = appointment_reschedule(
            current, NEW_START + timedelta(days=step), actor="phone_agent", at=AT
        )
        assert decision.allowed is True
        current = Appointment.objects.get(pk=decision.details["new_appointment_id"])

    with django_capture_on_commit_callbacks(execute=True):
        refused = appointment_reschedule(
            current, NEW_START + timedelta(days=5), actor="phone_agent", at=AT
        )

    current.refresh_from_db()
    assert current.reschedule_count == 2
    assert refused.reason == Reason.MAX_RESCHEDULES_REACHED
    assert current.status == AppointmentStatus.BOOKED
    assert Appointment.objects.count() == 3
    assert AppointmentModification.objects.count() == 2
    assert [e.name for e in published] == [events.POLICY_VIOLATION]
    assert published[0].payload["action"] == "reschedule"


def test_appointment_reschedule_rejected_books_nothing(
    appointment, set_policy, published, django_capture_on_commit_callbacks
):
    set_policy(appointment.company, "reschedule", {"hours_before": 72})

    with django_capture_on_commit_callbacks(execute=True):
        decision = appointment_reschedule(
            appointment, NEW_START, actor="phone_agent", at=AT
        )

    appointment.refresh_from_db()
    assert decision.reason == Reason.DEADLINE_MISSED
    assert "new_appointment_id" not in decision.details
    assert appointment.status == AppointmentStatus.BOOKED
    assert Appointment.objects.count() == 1
    assert AppointmentModification.objects.count() == 0
    assert [e.name for e in published] == [events.POLICY_VIOLATION]


def test_appointment_reschedule_forced_past_deadline(appointment, set_policy):
    set_policy(appointment.company, "reschedule", {"hours_before": 72})

    decision = appointment_reschedule(
        appointment, NEW_START, actor="manager", at=AT, force=True
    )

    modification = AppointmentModification.objects.get()
    assert decision.forced is True
    assert modification.within_policy is False
    assert Appointment.objects.filter(rescheduled_from=appointment).count() == 1


def test_appointment_reschedule_naive_time_rejected(appointment):
    naive = datetime(2027, 4, 1, 10, 0)

    with pytest.raises(ValidationError) as error:
        appointment_reschedule(appointment, naive, actor="phone_agent", at=AT)

    assert error.value.message_dict == {
        "new_starts_at": [
            "2027-04-01T10:00:00 has no time zone; pass an aware datetime."
        ]
    }
    assert Appointment.objects.count() == 1


def test_appointment_reschedule_to_past_rejected(appointment):
    decision = appointment_reschedule(
        appointment, AT - timedelta(hours=1), actor="phone_agent", at=AT
    )

    appointment.refresh_from_db()
    assert decision.reason == Reason.APPOINTMENT_IN_PAST
    assert appointment.status == AppointmentStatus.BOOKED
    assert Appointment.objects.count() == 1
