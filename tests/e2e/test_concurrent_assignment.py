"""Four worker processes assign a thousand requests without a double assignment.

Four branches of five equally free staff each receive 250 requests in one
transaction, so every assignment task is queued at once and the processes
keep racing on the same branches.
"""

from collections import Counter, defaultdict

import pytest
from django.db import connection, transaction

from callbacks.models import (
    AssignmentDecision,
    CallbackRequest,
    CallbackStatusChange,
    DecisionOutcome,
    Status,
)
from callbacks.services import callback_create
from integrations.benchmark.database import database_url
from integrations.benchmark.processes import celery_worker
from policies.models import PolicyConfiguration
from tenants.configuration.services import config_set
from tests.factories import BranchFactory, CompanyFactory, StaffFactory
from tests.waiting import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BRANCHES = 4
STAFF_PER_BRANCH = 5
REQUESTS = 1000


@pytest.fixture
def four_processes(worker_queue):
    url = database_url(connection.settings_dict["NAME"])
    with celery_worker(url, worker_queue, concurrency=4) as process:
        yield process


def test_concurrent_assignment_is_single_and_even(four_processes):
    company = CompanyFactory()
    config_set(PolicyConfiguration, company, "callback_assignment", {"capacity": 500})
    branches = [BranchFactory(company=company) for _ in range(BRANCHES)]
    for branch in branches:
        for _ in range(STAFF_PER_BRANCH):
            StaffFactory(branch=branch)

    with transaction.atomic():
        for index in range(REQUESTS):
            callback_create(
                company=company,
                branch=branches[index % BRANCHES],
                phone=f"+1202555{index:04d}",
            )
    wait_for(
        lambda: (
            CallbackRequest.objects.filter(status=Status.ASSIGNED).count() == REQUESTS
        ),
        seconds=60,
    )

    assignments = Counter(
        CallbackStatusChange.objects.filter(to_status=Status.ASSIGNED).values_list(
            "callback_id", flat=True
        )
    )
    assert len(assignments) == REQUESTS
    assert max(assignments.values()) == 1
    loads = Counter(CallbackRequest.objects.values_list("branch_id", "assignee_id"))
    for branch in branches:
        branch_loads = [
            loads[(branch.pk, staff_id)]
            for staff_id in branch.staff.values_list("pk", flat=True)
        ]
        assert len(branch_loads) == STAFF_PER_BRANCH
        assert sum(branch_loads) == REQUESTS // BRANCHES
        assert max(branch_loads) - min(branch_loads) <= 1, branch_loads
    # Each winner saw every earlier assignment of its own: a worker that read
    # the loads while another was claiming would repeat a load.
    loads_seen = defaultdict(list)
    for staff_id, load in AssignmentDecision.objects.filter(
        outcome=DecisionOutcome.ASSIGNED
    ).values_list("winner_id", "winner_load"):
        loads_seen[staff_id].append(load)
    for staff_id, seen in loads_seen.items():
        assert sorted(seen) == list(range(len(seen))), staff_id
