"""Races on one phone number or one request, each thread on its own connection."""

import pytest

from callbacks.models import CallbackRequest, CallbackStatusChange, Status
from callbacks.services import callback_auto_assign, callback_create
from tests.appointments.test_concurrency import _run_together as run_together
from tests.callbacks.factories import CallbackRequestFactory
from tests.factories import BranchFactory, StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


def test_create_same_number_concurrently_merges_into_one():
    branch = BranchFactory()

    def create(index: int):
        return callback_create(
            company=branch.company,
            branch=branch,
            phone="+12025550199",
            notes=f"note {index}",
        )

    # run_together asserts that no thread raised.
    results = run_together(
        [lambda index=index: create(index) for index in range(THREADS)]
    )

    assert sorted(created for _, created in results) == [False] * (THREADS - 1) + [True]
    callback = CallbackRequest.objects.get()
    assert {request.pk for request, _ in results} == {callback.pk}
    assert callback.metadata["merged_requests"] == THREADS - 1
    assert sorted(callback.notes.split("\n")) == sorted(
        f"note {index}" for index in range(THREADS)
    )


def test_auto_assign_same_request_concurrently_assigns_once():
    branch = BranchFactory()
    StaffFactory(branch=branch)
    StaffFactory(branch=branch)
    callback = CallbackRequestFactory(branch=branch)

    run_together([lambda: callback_auto_assign(callback.pk) for _ in range(THREADS)])

    callback.refresh_from_db()
    assert callback.status == Status.ASSIGNED
    changes = CallbackStatusChange.objects.filter(
        callback=callback, to_status=Status.ASSIGNED
    )
    assert changes.count() == 1
    assert changes.get().assignee_id == callback.assignee_id
