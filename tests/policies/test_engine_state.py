from datetime import timedelta

import pytest

from appointments.models import AppointmentStatus
from policies.engine import Reason, can_cancel, can_reschedule
from tests.appointments.fixtures import STARTS_AT

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "reason", "message"),
    [
        (
            AppointmentStatus.CANCELLED,
            Reason.ALREADY_CANCELLED,
            "This appointment is already cancelled.",
        ),
        (
            AppointmentStatus.RESCHEDULED,
            Reason.ALREADY_CANCELLED,
            "This appointment was moved to another time. Please change the new "
            "booking instead.",
        ),
        (
            AppointmentStatus.COMPLETED,
            Reason.APPOINTMENT_IN_PAST,
            "This appointment is marked completed and can't be changed.",
        ),
        (
            AppointmentStatus.NO_SHOW,
            Reason.APPOINTMENT_IN_PAST,
            "This appointment is marked no-show and can't be changed.",
        ),
    ],
)
def test_can_cancel_rejects_inactive_status(appointment, status, reason, message):
    appointment.status = status

    decision = can_cancel(appointment, at=STARTS_AT - timedelta(days=2))

    assert decision.allowed is False
    assert decision.reason == reason
    assert decision.message == message


@pytest.mark.parametrize(
    ("offset", "allowed"),
    [
        (timedelta(seconds=-1), True),
        (timedelta(0), False),
        (timedelta(hours=2), False),
    ],
)
def test_can_cancel_past_appointment(appointment, offset, allowed):
    decision = can_cancel(appointment, at=STARTS_AT + offset)

    assert decision.allowed is allowed
    if not allowed:
        assert decision.reason == Reason.APPOINTMENT_IN_PAST
        assert decision.message == (
            "This appointment has already started, so it can't be cancelled."
        )


def test_can_reschedule_past_appointment(appointment):
    decision = can_reschedule(appointment, at=STARTS_AT + timedelta(minutes=5))

    assert decision.reason == Reason.APPOINTMENT_IN_PAST
    assert decision.message == (
        "This appointment has already started, so it can't be moved."
    )


def test_can_reschedule_new_time_in_past(appointment):
    at = STARTS_AT - timedelta(days=1)

    decision = can_reschedule(appointment, new_starts_at=at, at=at)

    assert decision.reason == Reason.APPOINTMENT_IN_PAST
    assert decision.message == (
        "The new time has already passed. Please choose a later time."
    )
    assert decision.details["new_starts_at"] == at.isoformat()


@pytest.mark.parametrize(
    ("count", "allowed"),
    [(0, True), (1, True), (2, False), (3, False)],
)
def test_can_reschedule_max_reschedules(appointment, set_policy, count, allowed):
    set_policy(
        appointment.company, "reschedule", {"max_reschedules_per_appointment": 2}
    )
    appointment.reschedule_count = count

    decision = can_reschedule(appointment, at=STARTS_AT - timedelta(days=1))

    assert decision.allowed is allowed
    assert decision.details["reschedules"] == count
    assert decision.details["max_reschedules"] == 2
    if not allowed:
        assert decision.reason == Reason.MAX_RESCHEDULES_REACHED
        assert decision.message == (
            f"This appointment has already been moved {count} times, which is "
            "the limit of 2, so it can't be moved again."
        )


def test_can_cancel_ignores_max_reschedules(appointment, set_policy):
    set_policy(
        appointment.company, "cancellation", {"max_reschedules_per_appointment": 0}
    )

    decision = can_cancel(appointment, at=STARTS_AT - timedelta(days=1))

    assert decision.allowed is True
    assert decision.details["max_reschedules"] is None
