import pytest
from django.utils import timezone

from callbacks.models import CallbackRequest, CallbackStatusChange, Status
from callbacks.services import (
    InvalidTransition,
    callback_assign,
    callback_cancel,
    callback_complete,
    callback_expire,
    callback_mark_contacted,
)
from tests.callbacks.factories import CallbackRequestFactory
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)

LEGAL = {
    (Status.PENDING, Status.ASSIGNED),
    (Status.PENDING, Status.CONTACTED),
    (Status.PENDING, Status.CANCELLED),
    (Status.PENDING, Status.EXPIRED),
    (Status.ASSIGNED, Status.ASSIGNED),
    (Status.ASSIGNED, Status.CONTACTED),
    (Status.ASSIGNED, Status.COMPLETED),
    (Status.ASSIGNED, Status.CANCELLED),
    (Status.ASSIGNED, Status.EXPIRED),
    (Status.CONTACTED, Status.COMPLETED),
    (Status.CONTACTED, Status.CANCELLED),
}
TARGETS = [
    Status.ASSIGNED,
    Status.CONTACTED,
    Status.COMPLETED,
    Status.CANCELLED,
    Status.EXPIRED,
]
ALL_PAIRS = [(source, target) for source in Status.values for target in TARGETS]


def _move(callback: CallbackRequest, target: str, other_staff) -> None:
    if target == Status.ASSIGNED:
        callback_assign(callback.pk, staff=other_staff)
    elif target == Status.CONTACTED:
        callback_mark_contacted(callback.pk)
    elif target == Status.COMPLETED:
        callback_complete(callback.pk)
    elif target == Status.CANCELLED:
        callback_cancel(callback.pk, reason="caller hung up")
    else:
        callback_expire(callback.pk)


@pytest.fixture
def staff_pair():
    first = StaffFactory()
    second = StaffFactory(branch=first.branch)
    return first, second


def _callback_in(status: str, assignee) -> CallbackRequest:
    has_assignee = status not in (Status.PENDING,)
    return CallbackRequestFactory(
        branch=assignee.branch,
        status=status,
        assignee=assignee if has_assignee else None,
        assigned_at=timezone.now() if has_assignee else None,
    )


@pytest.mark.parametrize(("source", "target"), sorted(LEGAL))
def test_transition_legal_moves_and_records(source, target, staff_pair):
    first, second = staff_pair
    callback = _callback_in(source, first)

    _move(callback, target, second)

    callback.refresh_from_db()
    assert callback.status == target
    change = CallbackStatusChange.objects.get(callback=callback)
    assert change.from_status == source
    assert change.to_status == target
    stamp = {
        Status.ASSIGNED: callback.assigned_at,
        Status.CONTACTED: callback.contacted_at,
        Status.COMPLETED: callback.completed_at,
        Status.CANCELLED: callback.cancelled_at,
        Status.EXPIRED: callback.expired_at,
    }[target]
    assert stamp is not None


@pytest.mark.parametrize(
    ("source", "target"), [pair for pair in ALL_PAIRS if pair not in LEGAL]
)
def test_transition_illegal_raises_and_writes_nothing(source, target, staff_pair):
    first, second = staff_pair
    callback = _callback_in(source, first)

    with pytest.raises(InvalidTransition) as raised:
        _move(callback, target, second)

    assert raised.value.from_status == source
    assert raised.value.to_status == target
    assert f"from {source} to {target}" in str(raised.value)
    callback.refresh_from_db()
    assert callback.status == source
    assert callback.assignee_id == (None if source == Status.PENDING else first.pk)
    assert not CallbackStatusChange.objects.filter(callback=callback).exists()


def test_transition_complete_from_assigned_stamps_contact(staff_pair):
    first, _second = staff_pair
    callback = _callback_in(Status.ASSIGNED, first)

    callback_complete(callback.pk)

    callback.refresh_from_db()
    assert callback.contacted_at is not None
    assert callback.completed_at >= callback.contacted_at
