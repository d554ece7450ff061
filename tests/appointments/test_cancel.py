from datetime import timedelta
from decimal import Decimal

import pytest

from appointments.models import AppointmentModification, AppointmentStatus
from policies.engine import Reason
from policies.services import appointment_cancel
from tenants import events
from tests.appointments.factories import AppointmentFactory
from tests.appointments.fixtures import STARTS_AT

pytestmark = pytest.mark.django_db


def _modifications():
    return list(AppointmentModification.objects.all())


def test_appointment_cancel_allowed_records_fee(
    appointment, set_policy, published, django_capture_on_commit_callbacks
):
    set_policy(appointment.company, "cancellation", {"hours_before": 24, "fee": 15})
    at = STARTS_AT - timedelta(hours=30)

    with django_capture_on_commit_callbacks(execute=True):
        decision = appointment_cancel(
            appointment, actor="phone_agent", reason="sick", at=at, by_phone=True
        )

    appointment.refresh_from_db()
    [modification] = _modifications()
    assert decision.allowed is True
    assert decision.forced is False
    assert appointment.status == AppointmentStatus.CANCELLED
    assert modification.kind == "cancel"
    assert modification.customer_id == appointment.customer_id
    assert modification.company_id == appointment.company_id
    assert modification.occurred_at == at
    assert modification.notice_hours == Decimal("30.00")
    assert modification.previous_starts_at == STARTS_AT
    assert modification.fee_charged == Decimal("15.00")
    assert modification.currency == "USD"
    assert modification.within_policy is True
    assert modification.policy_reason == "allowed"
    assert modification.actor == "phone_agent"
    assert modification.reason == "sick"
    assert [(e.name, e.company_id) for e in published] == [
        (events.APPOINTMENT_CANCELLED, appointment.company_id)
    ]
    assert published[0].payload == {
        "appointment_id": appointment.pk,
        "customer_id": appointment.customer_id,
        "branch_id": appointment.branch_id,
        "reason": "allowed",
        "fee": "15.00",
        "currency": "USD",
        "actor": "phone_agent",
        "forced": False,
    }


@pytest.mark.parametrize(
    ("values", "hours_before_start", "reason"),
    [
        ({"hours_before": 24}, 23, Reason.DEADLINE_MISSED),
        ({"max_cancellations_per_month": 0}, 48, Reason.QUOTA_EXCEEDED),
    ],
)
def test_appointment_cancel_rejected_changes_nothing(
    appointment,
    set_policy,
    published,
    django_capture_on_commit_callbacks,
    values,
    hours_before_start,
    reason,
):
    set_policy(appointment.company, "cancellation", {**values, "fee": 9})
    before = appointment.updated_at

    with django_capture_on_commit_callbacks(execute=True):
        decision = appointment_cancel(
            appointment,
            actor="phone_agent",
            at=STARTS_AT - timedelta(hours=hours_before_start),
        )

    appointment.refresh_from_db()
    assert decision.allowed is False
    assert decision.reason == reason
    assert appointment.status == AppointmentStatus.BOOKED
    assert appointment.updated_at == before
    assert _modifications() == []
    assert [e.name for e in published] == [events.POLICY_VIOLATION]
    payload = published[0].payload
    assert payload["appointment_id"] == appointment.pk
    assert payload["customer_id"] == appointment.customer_id
    assert payload["branch_id"] == appointment.branch_id
    assert payload["reason"] == str(reason)
    assert payload["fee"] == "9.00"
    assert payload["action"] == "cancel"
    assert payload["message"] == decision.message


def test_appointment_cancel_by_phone_switch_off_rejected(
    appointment, set_policy, published, django_capture_on_commit_callbacks
):
    set_policy(appointment.branch, "cancellation_by_phone", {"enabled": False})

    with django_capture_on_commit_callbacks(execute=True):
        decision = appointment_cancel(
            appointment,
            actor="phone_agent",
            at=STARTS_AT - timedelta(days=3),
            by_phone=True,
        )

    appointment.refresh_from_db()
    assert decision.reason == Reason.NOT_ALLOWED_BY_PHONE
    assert appointment.status == AppointmentStatus.BOOKED
    assert _modifications() == []
    assert [e.name for e in published] == [events.POLICY_VIOLATION]


def test_appointment_cancel_forced_charges_fee(
    appointment, set_policy, published, django_capture_on_commit_callbacks
):
    set_policy(appointment.company, "cancellation", {"hours_before": 24, "fee": 20})

    with django_capture_on_commit_callbacks(execute=True):
        decision = appointment_cancel(
            appointment,
            actor="manager@example.com",
            reason="customer called the desk",
            at=STARTS_AT - timedelta(hours=2),
            force=True,
        )

    appointment.refresh_from_db()
    [modification] = _modifications()
    assert decision.allowed is False
    assert decision.forced is True
    assert decision.reason == Reason.DEADLINE_MISSED
    assert appointment.status == AppointmentStatus.CANCELLED
    assert modification.within_policy is False
    assert modification.policy_reason == "deadline_missed"
    assert modification.fee_charged == Decimal("20.00")
    assert [e.name for e in published] == [events.APPOINTMENT_CANCELLED]
    assert published[0].payload["forced"] is True


@pytest.mark.parametrize(
    ("status", "offset", "reason"),
    [
        (AppointmentStatus.CANCELLED, timedelta(days=-1), Reason.ALREADY_CANCELLED),
        (AppointmentStatus.BOOKED, timedelta(hours=1), Reason.APPOINTMENT_IN_PAST),
        (AppointmentStatus.COMPLETED, timedelta(days=-1), Reason.APPOINTMENT_IN_PAST),
    ],
)
def test_appointment_cancel_force_cannot_undo_state(
    appointment, published, django_capture_on_commit_callbacks, status, offset, reason
):
    appointment.status = status
    appointment.save()

    with django_capture_on_commit_callbacks(execute=True):
        decision = appointment_cancel(
            appointment, actor="manager", at=STARTS_AT + offset, force=True
        )

    appointment.refresh_from_db()
    assert decision.reason == reason
    assert decision.forced is False
    assert appointment.status == status
    assert _modifications() == []
    assert [e.name for e in published] == [events.POLICY_VIOLATION]


def test_appointment_cancel_quota_counts_earlier_cancellation(appointment, set_policy):
    set_policy(appointment.company, "cancellation", {"max_cancellations_per_month": 1})
    second = AppointmentFactory(
        company=appointment.company,
        branch=appointment.branch,
        customer=appointment.customer,
        starts_at=STARTS_AT + timedelta(days=1),
    )
    at = STARTS_AT - timedelta(days=2)

    first_decision = appointment_cancel(appointment, actor="phone_agent", at=at)
    second_decision = appointment_cancel(
        second, actor="phone_agent", at=at + timedelta(minutes=1)
    )

    second.refresh_from_db()
    assert first_decision.allowed is True
    assert second_decision.reason == Reason.QUOTA_EXCEEDED
    assert second_decision.details["quota_used"] == 1
    assert second.status == AppointmentStatus.BOOKED
    assert AppointmentModification.objects.count() == 1
