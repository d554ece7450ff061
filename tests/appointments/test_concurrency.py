"""Concurrent changes on real PostgreSQL connections, one per thread."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from appointments.models import Appointment, AppointmentModification, AppointmentStatus
from policies.engine import Reason
from policies.services import appointment_cancel, appointment_reschedule
from tests.appointments.factories import AppointmentFactory
from tests.appointments.fixtures import STARTS_AT

pytestmark = pytest.mark.django_db(transaction=True)

AT = STARTS_AT - timedelta(days=2)


def _run_together(calls):
    """Start every call at once on its own thread and return their results."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    errors = []

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # reported by the assert below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(index, call))
        for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return results


def test_appointment_cancel_concurrent_same_row_once(appointment):
    calls = [
        lambda: appointment_cancel(
            Appointment.objects.get(pk=appointment.pk), actor="phone_agent", at=AT
        )
        for _ in range(4)
    ]

    decisions = _run_together(calls)

    reasons = sorted(str(decision.reason) for decision in decisions)
    assert reasons == ["allowed"] + ["already_cancelled"] * 3
    assert AppointmentModification.objects.count() == 1
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED


def test_appointment_cancel_concurrent_quota_holds(appointment, set_policy):
    set_policy(appointment.company, "cancellation", {"max_cancellations_per_month": 1})
    others = [
        AppointmentFactory(
            company=appointment.company,
            branch=appointment.branch,
            customer=appointment.customer,
            starts_at=STARTS_AT + timedelta(hours=hours),
        )
        for hours in (1, 2, 3)
    ]
    calls = [
        lambda target=target: appointment_cancel(target, actor="phone_agent", at=AT)
        for target in [appointment, *others]
    ]

    decisions = _run_together(calls)

    reasons = sorted(str(decision.reason) for decision in decisions)
    assert reasons == ["allowed"] + [str(Reason.QUOTA_EXCEEDED)] * 3
    assert AppointmentModification.objects.count() == 1
    assert Appointment.objects.filter(status=AppointmentStatus.CANCELLED).count() == 1


def test_appointment_reschedule_concurrent_books_once(appointment):
    calls = [
        lambda hours=hours: appointment_reschedule(
            Appointment.objects.get(pk=appointment.pk),
            STARTS_AT + timedelta(days=1, hours=hours),
            actor="phone_agent",
            at=AT,
        )
        for hours in range(3)
    ]

    decisions = _run_together(calls)

    assert sum(decision.allowed for decision in decisions) == 1
    assert Appointment.objects.filter(rescheduled_from=appointment).count() == 1
    assert AppointmentModification.objects.count() == 1
