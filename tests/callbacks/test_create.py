import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from callbacks.models import CallbackRequest, CallbackStatusChange, Status
from callbacks.services import callback_create
from tenants import events
from tests.factories import BranchFactory, CompanyFactory, StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def branch():
    return BranchFactory()


def test_create_stores_pending_request_with_deadline(branch, published):
    callback, created = callback_create(
        company=branch.company,
        branch=branch,
        phone="(202) 555-0143",
        name="Ada",
        priority="urgent",
        notes="wants to move her appointment",
    )

    assert created is True
    callback.refresh_from_db()
    assert callback.phone == "+12025550143"
    assert callback.status == Status.PENDING
    assert callback.reference.startswith("CB-")
    assert len(callback.reference) == 9
    assert callback.due_at == callback.created_at + timedelta(minutes=120)
    assert callback.warn_at == callback.due_at - timedelta(minutes=30)
    assert callback.expires_at == callback.due_at + timedelta(days=3)
    change = CallbackStatusChange.objects.get(callback=callback)
    assert (change.from_status, change.to_status) == ("", Status.PENDING)
    assert published[0][0] == events.CALLBACK_CREATED
    assert published[0][1]["callback_id"] == callback.pk
    assert published[0][1]["branch_id"] == branch.pk


def test_create_assigns_after_commit(branch, published):
    staff = StaffFactory(branch=branch)

    callback, _ = callback_create(
        company=branch.company, branch=branch, phone="+12025550143"
    )

    callback.refresh_from_db()
    assert callback.status == Status.ASSIGNED
    assert callback.assignee_id == staff.pk
    assert [name for name, _ in published] == [
        events.CALLBACK_CREATED,
        events.CALLBACK_ASSIGNED,
    ]
    assert published[1][1]["assignee_id"] == staff.pk


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("phone", {"phone": "12"}),
        ("priority", {"priority": "asap"}),
        ("source", {"source": "fax"}),
        (
            "window_ends_at",
            {
                "window_starts_at": datetime(2026, 3, 2, 15, tzinfo=UTC),
                "window_ends_at": datetime(2026, 3, 2, 14, tzinfo=UTC),
            },
        ),
    ],
)
def test_create_rejects_bad_input(branch, field, kwargs):
    arguments = {"phone": "+12025550143"} | kwargs

    with pytest.raises(ValidationError) as raised:
        callback_create(company=branch.company, branch=branch, **arguments)

    assert field in raised.value.message_dict
    assert not CallbackRequest.objects.exists()


def test_create_rejects_branch_of_other_company(branch):
    other = CompanyFactory()

    with pytest.raises(ValidationError) as raised:
        callback_create(company=other, branch=branch, phone="+12025550143")

    assert raised.value.message_dict == {
        "branch": [f"Branch {branch.pk} belongs to another company."]
    }
    assert not CallbackRequest.objects.exists()


def test_create_merges_repeat_into_open_request(branch):
    early = datetime(2030, 3, 4, 14, tzinfo=UTC)
    first, _ = callback_create(
        company=branch.company,
        branch=branch,
        phone="+12025550143",
        priority="high",
        notes="first call",
        window_starts_at=early + timedelta(hours=2),
        window_ends_at=early + timedelta(hours=3),
    )

    second, created = callback_create(
        company=branch.company,
        branch=branch,
        phone="202-555-0143",
        priority="normal",
        notes="second call",
        window_starts_at=early,
        window_ends_at=early + timedelta(hours=1),
    )

    assert created is False
    assert second.pk == first.pk
    merged = CallbackRequest.objects.get()
    assert merged.priority == "high"
    assert merged.notes == "first call\nsecond call"
    assert merged.window_starts_at == early
    assert merged.window_ends_at == early + timedelta(hours=1)
    assert merged.metadata["merged_requests"] == 1


def test_create_merge_raises_priority_and_tightens_deadline(branch):
    first, _ = callback_create(
        company=branch.company, branch=branch, phone="+12025550143"
    )

    callback_create(
        company=branch.company, branch=branch, phone="+12025550143", priority="urgent"
    )

    merged = CallbackRequest.objects.get(pk=first.pk)
    assert merged.priority == "urgent"
    assert merged.due_at == merged.created_at + timedelta(minutes=120)


def test_create_after_close_opens_new_request(branch):
    first, _ = callback_create(
        company=branch.company, branch=branch, phone="+12025550143"
    )
    CallbackRequest.objects.filter(pk=first.pk).update(status=Status.COMPLETED)

    second, created = callback_create(
        company=branch.company, branch=branch, phone="+12025550143"
    )

    assert created is True
    assert second.pk != first.pk


def test_create_same_phone_other_company_is_separate(branch):
    other_branch = BranchFactory()

    callback_create(company=branch.company, branch=branch, phone="+12025550143")
    callback_create(
        company=other_branch.company, branch=other_branch, phone="+12025550143"
    )

    assert CallbackRequest.objects.count() == 2


def test_create_concurrent_same_phone_leaves_one_row(branch):
    threads_count = 8
    barrier = threading.Barrier(threads_count, timeout=20)
    results, errors = [], []

    def create(index: int) -> None:
        try:
            barrier.wait()
            results.append(
                callback_create(
                    company=branch.company,
                    branch=branch,
                    phone="+12025550143",
                    notes=f"call {index}",
                    priority="urgent" if index == 5 else "normal",
                )
            )
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=create, args=(index,)) for index in range(threads_count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert CallbackRequest.objects.count() == 1
    merged = CallbackRequest.objects.get()
    assert sum(created for _callback, created in results) == 1
    assert {callback.pk for callback, _created in results} == {merged.pk}
    assert merged.priority == "urgent"
    assert sorted(merged.notes.split("\n")) == sorted(
        f"call {index}" for index in range(threads_count)
    )
    assert merged.metadata["merged_requests"] == threads_count - 1
