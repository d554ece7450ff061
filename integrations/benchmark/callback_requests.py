"""Pending callback requests written in bulk, without queueing their assignment."""

import itertools
from datetime import timedelta

from django.utils import timezone

from callbacks.models import CallbackRequest, CallbackStatusChange, Status
from integrations.benchmark.dataset import Dataset
from tenants.models import Branch

# Every request of a run gets its own number and reference, because a company
# may hold only one open request per phone number.
_serial = itertools.count(1)


def pending_requests(
    data: Dataset, count: int, branches: list[Branch] | None = None
) -> list[int]:
    """Insert `count` pending requests spread over `branches`; return their ids.

    The rows carry what callback_create would store (deadlines, the creation
    in the history) but no assignment task is queued, so they stay pending
    until the caller assigns them.
    """
    branches = branches or data.branches
    now = timezone.now()
    rows = []
    for index in range(count):
        serial = next(_serial)
        rows.append(
            CallbackRequest(
                company=data.company,
                branch=branches[index % len(branches)],
                service=data.services[index % len(data.services)],
                reference=f"BM{serial:08d}",
                phone=f"+1556{serial:07d}",
                name=f"Caller {serial}",
                notes="Wants to move an appointment",
                created_at=now,
                due_at=now + timedelta(hours=24),
                warn_at=now + timedelta(hours=23, minutes=30),
                expires_at=now + timedelta(days=3),
                next_escalation_at=now + timedelta(hours=24),
            )
        )
    created = CallbackRequest.objects.bulk_create(rows)
    CallbackStatusChange.objects.bulk_create(
        CallbackStatusChange(
            callback=callback,
            from_status="",
            to_status=Status.PENDING,
            changed_at=now,
            reason="created by benchmark",
        )
        for callback in created
    )
    return [callback.pk for callback in created]


def close_requests(ids: list[int]) -> None:
    """Complete requests so they no longer count against staff capacity."""
    CallbackRequest.objects.filter(pk__in=ids).update(
        status=Status.COMPLETED, completed_at=timezone.now()
    )
