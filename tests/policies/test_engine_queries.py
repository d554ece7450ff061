from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appointments.models import Appointment
from policies.engine import can_cancel, can_reschedule, evaluate_cancellations
from tests.appointments.factories import AppointmentFactory, ModificationFactory
from tests.appointments.fixtures import STARTS_AT
from tests.factories import BranchFactory, CustomerFactory, StaffFactory

# Committed configuration is what gets cached, so these tests commit their
# writes and then drop the invalidation tombstones before measuring.
pytestmark = pytest.mark.django_db(transaction=True)

AT = STARTS_AT - timedelta(days=2)
QUOTA_TABLE = "appointments_appointmentmodification"


def _count_queries(call):
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return result, [query["sql"] for query in captured]


def test_can_cancel_warm_cache_runs_only_quota_query(appointment, set_policy):
    set_policy(
        appointment.company,
        "cancellation",
        {"hours_before": 24, "max_cancellations_per_month": 3, "fee": 5},
    )
    set_policy(appointment.staff, "cancellation", {"hours_before": 12})
    ModificationFactory(appointment=appointment, occurred_at=AT - timedelta(days=1))
    cache.clear()

    _cold, cold_sql = _count_queries(lambda: can_cancel(appointment, at=AT))
    decision, warm_sql = _count_queries(lambda: can_cancel(appointment, at=AT))

    assert len(cold_sql) == 2
    assert len(warm_sql) == 1
    assert QUOTA_TABLE in warm_sql[0]
    assert decision.details["quota_used"] == 1
    assert decision.details["required_hours"] == 12


def test_can_cancel_warm_cache_without_quota_no_query(appointment, set_policy):
    set_policy(appointment.company, "cancellation", {"hours_before": 24})
    cache.clear()
    can_cancel(appointment, at=AT)

    decision, warm_sql = _count_queries(lambda: can_cancel(appointment, at=AT))

    assert warm_sql == []
    assert decision.allowed is True


def test_can_cancel_by_phone_warm_cache_one_query(appointment, set_policy):
    set_policy(
        appointment.company,
        "cancellation_by_phone",
        {"allowed_hours": {"wed": [["00:00", "24:00"]]}},
    )
    set_policy(appointment.company, "cancellation", {"max_cancellations_per_month": 1})
    loaded = Appointment.objects.select_related("branch").get(pk=appointment.pk)
    wednesday = STARTS_AT - timedelta(days=7)
    cache.clear()
    can_cancel(loaded, at=wednesday, by_phone=True)

    decision, warm_sql = _count_queries(
        lambda: can_cancel(loaded, at=wednesday, by_phone=True)
    )

    assert len(warm_sql) == 1
    assert decision.allowed is True


def test_can_reschedule_warm_cache_no_query(appointment, set_policy):
    set_policy(
        appointment.company, "reschedule", {"max_reschedules_per_appointment": 1}
    )
    cache.clear()
    can_reschedule(appointment, at=AT)

    decision, warm_sql = _count_queries(lambda: can_reschedule(appointment, at=AT))

    assert warm_sql == []
    assert decision.allowed is True


@pytest.fixture
def many_appointments(appointment, set_policy):
    company = appointment.company
    set_policy(
        company, "cancellation", {"hours_before": 24, "max_cancellations_per_month": 1}
    )
    customers = [CustomerFactory(company=company) for _ in range(5)]
    ModificationFactory(
        appointment=appointment,
        customer=customers[0],
        occurred_at=AT - timedelta(days=1),
    )
    appointments = []
    for index in range(4):
        branch = BranchFactory(company=company)
        staff = StaffFactory(company=company, branch=branch)
        set_policy(branch, "cancellation", {"hours_before": 12 + 24 * index})
        for number in range(10):
            appointments.append(
                AppointmentFactory(
                    company=company,
                    branch=branch,
                    staff=staff,
                    customer=customers[number % 5],
                    starts_at=STARTS_AT,
                )
            )
    cache.clear()
    return appointments


def test_evaluate_cancellations_forty_within_budget(many_appointments):
    decisions, cold_sql = _count_queries(
        lambda: evaluate_cancellations(many_appointments, at=AT)
    )
    _again, warm_sql = _count_queries(
        lambda: evaluate_cancellations(many_appointments, at=AT)
    )

    assert len(decisions) == 40
    assert len(cold_sql) == 2
    assert len(warm_sql) == 1
    assert QUOTA_TABLE in warm_sql[0]


def test_evaluate_cancellations_matches_single_decisions(many_appointments):
    decisions = evaluate_cancellations(many_appointments, at=AT)

    singles = [can_cancel(a, at=AT) for a in many_appointments]

    assert [d.as_dict() for d in decisions] == [d.as_dict() for d in singles]
    assert {d.reason for d in decisions} == {
        "allowed",
        "deadline_missed",
        "quota_exceeded",
    }


def test_evaluate_cancellations_by_phone_loads_branches_once(
    many_appointments, set_policy
):
    company = many_appointments[0].company
    set_policy(
        company,
        "cancellation_by_phone",
        {"allowed_hours": {"sun": [["09:00", "17:00"]]}},
    )
    fresh = list(Appointment.objects.filter(pk__in=[a.pk for a in many_appointments]))
    cache.clear()
    evaluate_cancellations(many_appointments, at=AT, by_phone=True)

    decisions, warm_sql = _count_queries(
        lambda: evaluate_cancellations(fresh, at=AT, by_phone=True)
    )

    assert len(warm_sql) == 2
    assert "tenants_branch" in warm_sql[0]
    assert QUOTA_TABLE in warm_sql[1]
    assert {str(d.reason) for d in decisions} == {"outside_allowed_hours"}


def test_can_cancel_by_phone_without_hours_skips_branch(appointment, set_policy):
    set_policy(appointment.company, "cancellation_by_phone", {"enabled": True})
    fresh = Appointment.objects.get(pk=appointment.pk)
    cache.clear()
    can_cancel(appointment, at=AT, by_phone=True)

    decision, warm_sql = _count_queries(lambda: can_cancel(fresh, at=AT, by_phone=True))

    assert warm_sql == []
    assert decision.allowed is True
