from datetime import UTC, datetime, timedelta

import pytest

from policies.engine import Reason, can_cancel, can_reschedule

pytestmark = pytest.mark.django_db

MONDAY_NINE_TO_FIVE = {"mon": [["09:00", "17:00"]]}


def _at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_can_cancel_by_phone_disabled_reads_custom_message(appointment, set_policy):
    set_policy(
        appointment.company,
        "cancellation_by_phone",
        {"enabled": False, "disabled_message": "Please email us to cancel."},
    )

    decision = can_cancel(appointment, at=_at(2027, 3, 1, 12), by_phone=True)

    assert decision.allowed is False
    assert decision.reason == Reason.NOT_ALLOWED_BY_PHONE
    assert decision.message == "Please email us to cancel."
    assert decision.details["switch"] == "cancellation_by_phone"
    assert decision.details["levels"] == {
        "cancellation_by_phone.enabled": "company",
        "cancellation_by_phone.disabled_message": "company",
    }


def test_can_cancel_by_phone_disabled_default_message(appointment, set_policy):
    set_policy(appointment.branch, "cancellation_by_phone", {"enabled": False})

    decision = can_cancel(appointment, at=_at(2027, 3, 1, 12), by_phone=True)

    assert decision.reason == Reason.NOT_ALLOWED_BY_PHONE
    assert decision.message == (
        "Cancellations can't be made by phone. Please contact the branch directly."
    )


def test_can_cancel_switch_ignored_outside_phone(appointment, set_policy):
    set_policy(appointment.company, "cancellation_by_phone", {"enabled": False})

    decision = can_cancel(appointment, at=_at(2027, 3, 1, 12), by_phone=False)

    assert decision.allowed is True


def test_can_cancel_by_phone_branch_enables_again(appointment, set_policy):
    set_policy(appointment.company, "cancellation_by_phone", {"enabled": False})
    set_policy(appointment.branch, "cancellation_by_phone", {"enabled": True})

    decision = can_cancel(appointment, at=_at(2027, 3, 1, 12), by_phone=True)

    assert decision.allowed is True
    assert decision.details["levels"] == {"cancellation_by_phone.enabled": "branch"}


# Monday 2027-03-08: Los Angeles is on PST (UTC-8) until 14 March, Berlin on
# CET (UTC+1) until 28 March; Tokyo is UTC+9 all year. Monday 2027-07-05
# checks Berlin in summer time (UTC+2).
@pytest.mark.parametrize(
    ("time_zone", "at", "reason"),
    [
        ("America/Los_Angeles", _at(2027, 3, 8, 17, 0), Reason.ALLOWED),
        ("America/Los_Angeles", _at(2027, 3, 8, 16, 59), Reason.OUTSIDE_ALLOWED_HOURS),
        ("America/Los_Angeles", _at(2027, 3, 9, 0, 59), Reason.ALLOWED),
        ("America/Los_Angeles", _at(2027, 3, 9, 1, 0), Reason.OUTSIDE_ALLOWED_HOURS),
        ("Asia/Tokyo", _at(2027, 3, 8, 0, 0), Reason.ALLOWED),
        ("Asia/Tokyo", _at(2027, 3, 7, 23, 59), Reason.OUTSIDE_ALLOWED_HOURS),
        ("Asia/Tokyo", _at(2027, 3, 8, 7, 59), Reason.ALLOWED),
        ("Asia/Tokyo", _at(2027, 3, 8, 8, 0), Reason.OUTSIDE_ALLOWED_HOURS),
        ("Europe/Berlin", _at(2027, 3, 8, 8, 0), Reason.ALLOWED),
        ("Europe/Berlin", _at(2027, 3, 8, 7, 59), Reason.OUTSIDE_ALLOWED_HOURS),
        ("Europe/Berlin", _at(2027, 7, 5, 7, 0), Reason.ALLOWED),
        ("Europe/Berlin", _at(2027, 7, 5, 6, 59), Reason.OUTSIDE_ALLOWED_HOURS),
        ("Europe/Berlin", _at(2027, 7, 5, 15, 0), Reason.OUTSIDE_ALLOWED_HOURS),
    ],
)
def test_can_cancel_allowed_hours_in_branch_zone(
    appointment, set_policy, time_zone, at, reason
):
    appointment.branch.time_zone = time_zone
    appointment.branch.save()
    appointment.starts_at = at + timedelta(days=10)
    set_policy(
        appointment.company,
        "cancellation_by_phone",
        {"allowed_hours": MONDAY_NINE_TO_FIVE},
    )

    decision = can_cancel(appointment, at=at, by_phone=True)

    assert decision.reason == reason
    if reason is Reason.OUTSIDE_ALLOWED_HOURS:
        assert decision.message == (
            "Cancellations by phone are only possible during set hours. "
            "Please call back then."
        )


def test_can_reschedule_by_phone_needs_booking_switch(appointment, set_policy):
    set_policy(
        appointment.company,
        "booking",
        {"enabled": False, "disabled_message": "Booking by phone is paused."},
    )

    by_phone = can_reschedule(appointment, at=_at(2027, 3, 1, 12), by_phone=True)
    cancel = can_cancel(appointment, at=_at(2027, 3, 1, 12), by_phone=True)

    assert by_phone.reason == Reason.NOT_ALLOWED_BY_PHONE
    assert by_phone.message == "Booking by phone is paused."
    assert by_phone.details["switch"] == "booking"
    assert cancel.allowed is True


def test_can_cancel_by_phone_deadline_after_switch(appointment, set_policy):
    set_policy(appointment.company, "cancellation_by_phone", {"enabled": False})
    set_policy(appointment.company, "cancellation", {"hours_before": 1000})

    decision = can_cancel(appointment, at=_at(2027, 3, 1, 12), by_phone=True)

    assert decision.reason == Reason.NOT_ALLOWED_BY_PHONE
