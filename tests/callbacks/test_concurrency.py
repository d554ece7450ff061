"""Concurrent workers assigning over one staff pool, on real connections."""

import queue
import threading
from collections import Counter

import pytest
from django.db import connection

from callbacks import candidates as candidates_module
from callbacks.models import (
    AssignmentDecision,
    CallbackRequest,
    CallbackStatusChange,
    DecisionOutcome,
    Status,
)
from callbacks.services import assign as assign_module
from callbacks.services import callback_auto_assign
from policies.models import PolicyConfiguration
from tenants.configuration.services import config_set
from tests.callbacks.factories import CallbackRequestFactory
from tests.factories import BranchFactory, StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 6
REQUESTS = 300
STAFF = 5


def _run_workers(callback_ids: list[int], workers: int) -> list[Exception]:
    """Assign every id from `workers` threads, each with its own connection."""
    work: queue.Queue[int] = queue.Queue()
    for callback_id in callback_ids:
        work.put(callback_id)
    errors: list[Exception] = []

    def worker() -> None:
        try:
            while True:
                try:
                    callback_id = work.get_nowait()
                except queue.Empty:
                    return
                callback_auto_assign(callback_id)
        except Exception as error:  # collected and asserted by the caller
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.fixture
def pool():
    branch = BranchFactory()
    # Capacity well above the share of each staff member, so only the
    # ranking decides who gets what.
    config_set(
        PolicyConfiguration, branch.company, "callback_assignment", {"capacity": 1000}
    )
    staff = [StaffFactory(branch=branch) for _ in range(STAFF)]
    return branch, staff


def test_assign_concurrent_workers_balance_without_doubles(pool):
    branch, staff = pool
    callbacks = CallbackRequestFactory.create_batch(REQUESTS, branch=branch)
    # Every request is queued twice, as after a redelivered task.
    ids = [callback.pk for callback in callbacks] * 2

    errors = _run_workers(ids, WORKERS)

    assert errors == []
    assert CallbackRequest.objects.filter(status=Status.ASSIGNED).count() == REQUESTS
    assignments = Counter(
        CallbackStatusChange.objects.filter(to_status=Status.ASSIGNED).values_list(
            "callback_id", flat=True
        )
    )
    assert len(assignments) == REQUESTS
    assert set(assignments.values()) == {1}
    loads = Counter(CallbackRequest.objects.values_list("assignee_id", flat=True))
    assert set(loads) == {member.pk for member in staff}
    assert max(loads.values()) - min(loads.values()) <= 1
    # Each winner was chosen at a load nobody else saw: no two workers ever
    # read the same counts.
    seen = Counter(
        AssignmentDecision.objects.filter(outcome=DecisionOutcome.ASSIGNED).values_list(
            "winner_id", "winner_load"
        )
    )
    assert set(seen.values()) == {1}


def test_assign_without_pool_lock_piles_onto_one_staff(pool, monkeypatch):
    """The same run without the branch lock: the test above would fail.

    All workers read the loads at the same moment (a barrier holds them
    between reading the loads and claiming), so they all pick the same
    staff member. With the lock in place the barrier would deadlock, because
    only one worker at a time can be between those two steps.
    """
    branch, staff = pool
    callbacks = CallbackRequestFactory.create_batch(WORKERS, branch=branch)
    monkeypatch.setattr(assign_module, "with_pool_lock", lambda queryset: queryset)
    barrier = threading.Barrier(WORKERS, timeout=20)
    read_policies = candidates_module.assignment_policies

    def policies_after_everyone_read(contexts):
        barrier.wait()
        return read_policies(contexts)

    monkeypatch.setattr(
        candidates_module, "assignment_policies", policies_after_everyone_read
    )

    errors = _run_workers([callback.pk for callback in callbacks], WORKERS)

    assert errors == []
    loads = Counter(CallbackRequest.objects.values_list("assignee_id", flat=True))
    assert loads == {staff[0].pk: WORKERS}
    seen = Counter(AssignmentDecision.objects.values_list("winner_id", "winner_load"))
    assert seen == {(staff[0].pk, 0): WORKERS}
