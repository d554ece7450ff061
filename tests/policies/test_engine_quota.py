from datetime import timedelta

import pytest

from appointments.models import ModificationKind
from policies.engine import Reason, can_cancel, can_reschedule
from tests.appointments.factories import AppointmentFactory, ModificationFactory
from tests.appointments.fixtures import STARTS_AT
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

AT = STARTS_AT - timedelta(days=3)


def _past_changes(appointment, ages, kind=ModificationKind.CANCEL, customer=None):
    customer = customer or appointment.customer
    for age in ages:
        earlier = AppointmentFactory(
            branch=appointment.branch, company=appointment.company, customer=customer
        )
        ModificationFactory(
            appointment=earlier, customer=customer, kind=kind, occurred_at=AT - age
        )


@pytest.mark.parametrize(
    ("ages", "allowed", "used"),
    [
        ([], True, 0),
        ([timedelta(days=1)], True, 1),
        ([timedelta(days=1), timedelta(days=2)], False, 2),
        ([timedelta(days=1), timedelta(days=30)], True, 1),
        ([timedelta(days=1), timedelta(days=30) - timedelta(seconds=1)], False, 2),
        ([timedelta(days=1), timedelta(days=45)], True, 1),
        ([timedelta(days=1), -timedelta(hours=1)], True, 1),
    ],
)
def test_can_cancel_quota_rolling_window(appointment, set_policy, ages, allowed, used):
    set_policy(appointment.company, "cancellation", {"max_cancellations_per_month": 2})
    _past_changes(appointment, ages)

    decision = can_cancel(appointment, at=AT)

    assert decision.allowed is allowed
    assert decision.reason == (Reason.ALLOWED if allowed else Reason.QUOTA_EXCEEDED)
    assert decision.details["quota_used"] == used
    assert decision.details["quota_max"] == 2


def test_can_cancel_quota_message(appointment, set_policy):
    set_policy(appointment.company, "cancellation", {"max_cancellations_per_month": 1})
    _past_changes(appointment, [timedelta(days=3)])

    decision = can_cancel(appointment, at=AT)

    assert decision.message == (
        "Cancellations are limited to 1 in 30 days and this customer has already "
        "made 1, so this one can't be cancelled."
    )


def test_can_cancel_quota_zero_rejects_first(appointment, set_policy):
    set_policy(appointment.company, "cancellation", {"max_cancellations_per_month": 0})

    decision = can_cancel(appointment, at=AT)

    assert decision.reason == Reason.QUOTA_EXCEEDED
    assert decision.details["quota_used"] == 0


def test_can_cancel_quota_ignores_others_and_reschedules(appointment, set_policy):
    set_policy(appointment.company, "cancellation", {"max_cancellations_per_month": 1})
    stranger = CustomerFactory(company=appointment.company)
    _past_changes(appointment, [timedelta(days=1)], customer=stranger)
    _past_changes(appointment, [timedelta(days=1)], kind=ModificationKind.RESCHEDULE)

    decision = can_cancel(appointment, at=AT)

    assert decision.allowed is True
    assert decision.details["quota_used"] == 0


def test_can_reschedule_quota_counts_reschedules(appointment, set_policy):
    set_policy(appointment.company, "reschedule", {"max_cancellations_per_month": 1})
    _past_changes(appointment, [timedelta(days=1)])
    allowed = can_reschedule(appointment, at=AT)
    _past_changes(appointment, [timedelta(days=2)], kind=ModificationKind.RESCHEDULE)

    refused = can_reschedule(appointment, at=AT)

    assert allowed.allowed is True
    assert refused.reason == Reason.QUOTA_EXCEEDED
    assert refused.details["quota_used"] == 1


def test_can_cancel_deadline_checked_before_quota(appointment, set_policy):
    set_policy(
        appointment.company,
        "cancellation",
        {"hours_before": 24, "max_cancellations_per_month": 0},
    )

    decision = can_cancel(appointment, at=STARTS_AT - timedelta(hours=1))

    assert decision.reason == Reason.DEADLINE_MISSED
    assert decision.details["quota_used"] is None
