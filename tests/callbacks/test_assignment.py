from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from callbacks.models import (
    AssignmentDecision,
    CallbackRequest,
    DecisionOutcome,
    Status,
)
from callbacks.services import callback_auto_assign
from callbacks.tasks import sweep_unassigned
from policies.models import PolicyConfiguration
from tenants.configuration.services import config_set
from tenants.models import StaffAbsence
from tests.callbacks.factories import CallbackRequestFactory
from tests.factories import (
    WEEKDAYS_9_TO_17,
    BranchFactory,
    ServiceFactory,
    StaffFactory,
    StaffServiceFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

# Monday 10:00 in New York (EST), inside 9-17 working hours.
MONDAY_MORNING = datetime(2030, 3, 4, 15, 0, tzinfo=UTC)


@pytest.fixture
def branch():
    return BranchFactory()


def _assign(callback, **kwargs) -> AssignmentDecision:
    decision = callback_auto_assign(callback.pk, **kwargs)
    callback.refresh_from_db()
    return decision


def _dropped(decision: AssignmentDecision) -> dict[int, str]:
    return {c["staff_id"]: c["dropped"] for c in decision.candidates}


def test_assign_prefers_preferred_staff(branch):
    StaffFactory(branch=branch)
    preferred = StaffFactory(branch=branch)
    callback = CallbackRequestFactory(branch=branch, preferred_staff=preferred)

    decision = _assign(callback)

    assert callback.assignee_id == preferred.pk
    assert callback.status == Status.ASSIGNED
    assert decision.tier == "preferred"
    assert decision.winner_id == preferred.pk


def test_assign_service_tier_puts_experts_first(branch):
    service = ServiceFactory(company=branch.company)
    StaffFactory(branch=branch)  # no skill: branch tier only
    plain = StaffServiceFactory(staff__branch=branch, service=service).staff
    expert = StaffServiceFactory(
        staff__branch=branch, service=service, is_expert=True
    ).staff
    CallbackRequestFactory(branch=branch, assignee=expert, status=Status.ASSIGNED)
    callback = CallbackRequestFactory(branch=branch, service=service)

    decision = _assign(callback)

    assert decision.tier == "service"
    assert callback.assignee_id == expert.pk
    tiers = {c["staff_id"]: c["tiers"] for c in decision.candidates}
    assert tiers[plain.pk] == ["service", "branch"]


def test_assign_falls_back_to_branch_when_preferred_absent(branch):
    preferred = StaffFactory(branch=branch)
    other = StaffFactory(branch=branch)
    StaffAbsence.objects.create(
        staff=preferred,
        starts_at=MONDAY_MORNING - timedelta(hours=1),
        ends_at=MONDAY_MORNING + timedelta(days=1),
    )
    callback = CallbackRequestFactory(branch=branch, preferred_staff=preferred)

    decision = _assign(callback, now=MONDAY_MORNING)

    assert callback.assignee_id == other.pk
    assert decision.tier == "branch"
    assert _dropped(decision)[preferred.pk] == "absent"


def test_assign_drops_inactive_off_duty_and_full_staff(branch):
    config_set(PolicyConfiguration, branch, "callback_assignment", {"capacity": 1})
    inactive = StaffFactory(branch=branch, is_active=False)
    off_duty = StaffFactory(branch=branch, working_hours={"sat": [["09:00", "17:00"]]})
    full = StaffFactory(branch=branch)
    CallbackRequestFactory(branch=branch, assignee=full, status=Status.ASSIGNED)
    free = StaffFactory(branch=branch, working_hours=WEEKDAYS_9_TO_17)
    callback = CallbackRequestFactory(branch=branch)

    decision = _assign(callback, now=MONDAY_MORNING)

    assert callback.assignee_id == free.pk
    assert _dropped(decision) == {
        inactive.pk: "inactive",
        off_duty.pk: "not working",
        full.pk: "at capacity",
        free.pk: "",
    }


def test_assign_uses_requested_window_for_working_hours(branch):
    evening = StaffFactory(branch=branch, working_hours={"tue": [["18:00", "22:00"]]})
    # Tuesday 19:00-20:00 New York time.
    window_start = datetime(2030, 3, 6, 0, 0, tzinfo=UTC)
    callback = CallbackRequestFactory(
        branch=branch,
        window_starts_at=window_start,
        window_ends_at=window_start + timedelta(hours=1),
    )

    decision = _assign(callback, now=MONDAY_MORNING)

    assert callback.assignee_id == evening.pk
    assert decision.reference_time == window_start


def test_assign_tie_break_order(branch):
    busy, idle_longer, idle_shorter = (StaffFactory(branch=branch) for _ in range(3))
    CallbackRequestFactory(branch=branch, assignee=busy, status=Status.ASSIGNED)
    for staff, hours_ago in ((idle_longer, 5), (idle_shorter, 1)):
        CallbackRequestFactory(
            branch=branch,
            assignee=staff,
            status=Status.COMPLETED,
            assigned_at=MONDAY_MORNING - timedelta(hours=hours_ago),
        )
    callback = CallbackRequestFactory(branch=branch)

    decision = _assign(callback, now=MONDAY_MORNING)

    assert callback.assignee_id == idle_longer.pk
    loads = {c["staff_id"]: c["load"] for c in decision.candidates}
    assert loads == {busy.pk: 1, idle_longer.pk: 0, idle_shorter.pk: 0}


def test_assign_lowest_id_wins_full_tie(branch):
    first, _second = StaffFactory(branch=branch), StaffFactory(branch=branch)
    callback = CallbackRequestFactory(branch=branch)

    _assign(callback)

    assert callback.assignee_id == first.pk


def test_assign_nobody_eligible_stays_pending(branch):
    StaffFactory(branch=branch, is_active=False)
    callback = CallbackRequestFactory(branch=branch)

    decision = _assign(callback)

    assert callback.status == Status.PENDING
    assert callback.assignee_id is None
    assert decision.outcome == DecisionOutcome.NO_CANDIDATE
    assert decision.winner_id is None


def test_assign_twice_is_idempotent(branch):
    StaffFactory(branch=branch)
    callback = CallbackRequestFactory(branch=branch)
    _assign(callback)

    again = callback_auto_assign(callback.pk)

    assert again is None
    assert AssignmentDecision.objects.filter(callback=callback).count() == 1


def _data_statements(captured: CaptureQueriesContext) -> list[str]:
    """Drop transaction control (BEGIN, COMMIT, savepoints), which does no work."""
    control = ("BEGIN", "COMMIT", "SAVEPOINT ", "RELEASE SAVEPOINT ")
    return [
        query["sql"]
        for query in captured.captured_queries
        if not query["sql"].startswith(control)
    ]


def test_assign_runs_at_most_six_statements(branch):
    service = ServiceFactory(company=branch.company)
    for _ in range(5):
        StaffServiceFactory(staff__branch=branch, service=service)
    callback = CallbackRequestFactory(branch=branch, service=service)

    # Subscribers to the assigned event run after commit, outside the
    # assignment's transaction, so the capture ends before the commit.
    with transaction.atomic(), CaptureQueriesContext(connection) as uncached:
        callback_auto_assign(callback.pk)
    second = CallbackRequestFactory(branch=branch, service=service)
    with transaction.atomic(), CaptureQueriesContext(connection) as cached:
        callback_auto_assign(second.pk)

    assert len(_data_statements(uncached)) == 6
    assert len(_data_statements(cached)) == 5


def test_sweep_assigns_request_whose_task_never_ran(branch):
    staff = StaffFactory(branch=branch)
    created = datetime.now(UTC) - timedelta(minutes=5)
    lost = CallbackRequestFactory(branch=branch, created_at=created)
    fresh = CallbackRequestFactory(branch=branch)

    queued = sweep_unassigned()

    assert queued == 1
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == Status.ASSIGNED
    assert lost.assignee_id == staff.pk
    assert fresh.status == Status.PENDING


def test_complete_frees_capacity_for_waiting_request(branch):
    config_set(PolicyConfiguration, branch, "callback_assignment", {"capacity": 1})
    staff = StaffFactory(branch=branch)
    first = CallbackRequestFactory(branch=branch)
    waiting = CallbackRequestFactory(branch=branch)
    callback_auto_assign(first.pk)
    callback_auto_assign(waiting.pk)
    assert CallbackRequest.objects.get(pk=waiting.pk).status == Status.PENDING

    from callbacks.services import callback_complete

    callback_complete(first.pk)

    waiting.refresh_from_db()
    assert waiting.status == Status.ASSIGNED
    assert waiting.assignee_id == staff.pk


def test_assign_repeated_failure_updates_one_decision(branch):
    StaffFactory(branch=branch, is_active=False)
    callback = CallbackRequestFactory(branch=branch)

    for _ in range(3):
        callback_auto_assign(callback.pk)

    decision = AssignmentDecision.objects.get(callback=callback)
    assert decision.outcome == DecisionOutcome.NO_CANDIDATE
    assert decision.repeats == 3
    assert decision.last_attempt_at > decision.created_at


def test_staff_activated_takes_waiting_request(branch):
    staff = StaffFactory(branch=branch, is_active=False)
    callback = CallbackRequestFactory(branch=branch)
    callback_auto_assign(callback.pk)

    staff.is_active = True
    staff.save()

    callback.refresh_from_db()
    assert callback.status == Status.ASSIGNED
    assert callback.assignee_id == staff.pk
