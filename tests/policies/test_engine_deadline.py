from datetime import timedelta

import pytest

from policies.engine import Reason, can_cancel, can_reschedule
from tests.appointments.fixtures import STARTS_AT

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("notice", "allowed", "reason"),
    [
        (timedelta(hours=25), True, Reason.ALLOWED),
        (timedelta(hours=24), True, Reason.ALLOWED),
        (timedelta(hours=24) - timedelta(seconds=1), False, Reason.DEADLINE_MISSED),
        (timedelta(hours=5), False, Reason.DEADLINE_MISSED),
        (timedelta(seconds=1), False, Reason.DEADLINE_MISSED),
    ],
)
def test_can_cancel_deadline_boundaries(
    appointment, set_policy, notice, allowed, reason
):
    set_policy(appointment.company, "cancellation", {"hours_before": 24})

    decision = can_cancel(appointment, at=STARTS_AT - notice)

    assert decision.allowed is allowed
    assert decision.reason == reason
    assert decision.details["required_hours"] == 24
    assert decision.details["notice_hours"] == round(notice.total_seconds() / 3600, 2)


def test_can_cancel_deadline_message_by_phone(appointment, set_policy):
    set_policy(appointment.company, "cancellation", {"hours_before": 24})

    decision = can_cancel(appointment, at=STARTS_AT - timedelta(hours=5), by_phone=True)

    assert decision.message == (
        "Cancellations need 24 hours' notice and this one has 5 hours, "
        "so it can't be cancelled by phone."
    )


def test_can_cancel_deadline_message_in_admin(appointment, set_policy):
    set_policy(appointment.company, "cancellation", {"hours_before": 1.5})

    decision = can_cancel(appointment, at=STARTS_AT - timedelta(minutes=45))

    assert decision.message == (
        "Cancellations need 1.5 hours' notice and this one has 45 minutes, "
        "so it can't be cancelled."
    )


def test_can_cancel_without_policy_is_free(appointment):
    decision = can_cancel(appointment, at=STARTS_AT - timedelta(minutes=1))

    assert decision.allowed is True
    assert decision.reason == Reason.ALLOWED
    assert decision.message == "You can cancel free of charge."
    assert str(decision.fee) == "0.00"
    assert decision.currency == "USD"
    assert decision.details["fee_rule"] is None
    assert decision.details["levels"] == {}


def test_can_cancel_allowed_with_fee_message(appointment, set_policy):
    set_policy(appointment.company, "cancellation", {"hours_before": 2, "fee": 25})

    decision = can_cancel(appointment, at=STARTS_AT - timedelta(hours=3))

    assert decision.allowed is True
    assert decision.message == "You can cancel for a fee of 25.00 USD."


def test_can_reschedule_uses_reschedule_policy_only(appointment, set_policy):
    set_policy(appointment.company, "cancellation", {"hours_before": 48})
    set_policy(appointment.company, "reschedule", {"hours_before": 12})

    decision = can_reschedule(appointment, at=STARTS_AT - timedelta(hours=12))
    refused = can_reschedule(
        appointment, at=STARTS_AT - timedelta(hours=12) + timedelta(seconds=1)
    )

    assert decision.allowed is True
    assert decision.message == "You can move this appointment free of charge."
    assert refused.reason == Reason.DEADLINE_MISSED
    assert refused.message == (
        "Changes of time need 12 hours' notice and this one has 11.9 hours, "
        "so it can't be moved."
    )
