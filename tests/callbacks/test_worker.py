"""Assignment through a real Celery worker with two processes and Redis."""

import time
from collections import Counter

import pytest

from callbacks.models import CallbackRequest, CallbackStatusChange, Status
from callbacks.services import callback_create
from policies.models import PolicyConfiguration
from tenants.configuration.services import config_set
from tests.factories import BranchFactory, StaffFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

REQUESTS = 100
STAFF = 5
WAIT_SECONDS = 60


def _wait_until_assigned(count: int) -> int:
    deadline = time.monotonic() + WAIT_SECONDS
    assigned = 0
    while time.monotonic() < deadline:
        assigned = CallbackRequest.objects.filter(status=Status.ASSIGNED).count()
        if assigned == count:
            break
        time.sleep(0.2)
    return assigned


def test_worker_assigns_created_callbacks_evenly(live_worker):
    branch = BranchFactory()
    config_set(
        PolicyConfiguration, branch.company, "callback_assignment", {"capacity": 1000}
    )
    staff = [StaffFactory(branch=branch) for _ in range(STAFF)]

    for index in range(REQUESTS):
        callback_create(
            company=branch.company, branch=branch, phone=f"+1202555{index:04d}"
        )

    assert _wait_until_assigned(REQUESTS) == REQUESTS
    assignments = Counter(
        CallbackStatusChange.objects.filter(to_status=Status.ASSIGNED).values_list(
            "callback_id", flat=True
        )
    )
    assert set(assignments.values()) == {1}
    loads = Counter(CallbackRequest.objects.values_list("assignee_id", flat=True))
    assert set(loads) == {member.pk for member in staff}
    assert max(loads.values()) - min(loads.values()) <= 1
