"""Callback auto-assignment: one transaction, and throughput through a worker."""

import contextlib
import time
from collections.abc import Iterator

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from callbacks.models import (
    AssignmentDecision,
    CallbackRequest,
    CallbackStatusChange,
    DecisionOutcome,
    Status,
)
from callbacks.services import callback_auto_assign
from callbacks.tasks import assign_callback
from integrations.benchmark.callback_requests import close_requests, pending_requests
from integrations.benchmark.dataset import Dataset
from integrations.benchmark.measure import Result, summarise
from integrations.benchmark.processes import celery_worker
from integrations.benchmark.queues import queue_name, routed_to
from tenants.events import domain_event

# Statements that only open, close or nest a transaction.
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
# Seconds to wait for the worker to assign every request.
ASSIGN_TIMEOUT_S = 120


@contextlib.contextmanager
def notifications_after_commit_off() -> Iterator[None]:
    """Detach the notification subscriber, which runs after the commit.

    The assignment's transaction is what is measured; the deliveries it
    triggers are measured by notification_deliver_throughput.
    """
    from notifications.subscribers import on_domain_event

    domain_event.disconnect(dispatch_uid="notifications")
    try:
        yield
    finally:
        domain_event.connect(on_domain_event, dispatch_uid="notifications")


def _statements(captured: CaptureQueriesContext) -> list[str]:
    return [
        query["sql"]
        for query in captured.captured_queries
        if not query["sql"].lstrip().upper().startswith(TRANSACTION_CONTROL)
    ]


def callback_assign(data: Dataset, iterations: int) -> Result:
    ids = pending_requests(data, iterations + 1)
    remaining = iter(ids)
    current: list[int] = []

    def prepare() -> None:
        # The previous winner's load goes back down, so every call sees the
        # same pool instead of staff filling up to capacity.
        close_requests(current)
        current[:] = [next(remaining)]

    def operation():
        return callback_auto_assign(current[0], trigger="benchmark")

    samples = []
    with notifications_after_commit_off():
        prepare()
        with CaptureQueriesContext(connection) as captured:
            decision = operation()
        statements = len(_statements(captured))
        for _ in range(iterations):
            prepare()
            started = time.perf_counter_ns()
            operation()
            samples.append((time.perf_counter_ns() - started) / 1000)
    close_requests(current)
    result = summarise("callback_assign", samples, statements)
    result.note = f"outcome={decision.outcome}, tier={decision.tier}"
    return result


def wait_until_assigned(ids: list[int], timeout_s: float = ASSIGN_TIMEOUT_S) -> int:
    deadline = time.monotonic() + timeout_s
    assigned = 0
    while time.monotonic() < deadline:
        assigned = CallbackRequest.objects.filter(
            pk__in=ids, status=Status.ASSIGNED
        ).count()
        if assigned == len(ids):
            break
        time.sleep(0.02)
    return assigned


def double_assignments(ids: list[int]) -> int:
    """Count requests assigned more than once, by history or by decision."""
    by_history = (
        CallbackStatusChange.objects.filter(
            callback_id__in=ids, to_status=Status.ASSIGNED
        )
        .values("callback_id")
        .annotate(times=Count("pk"))
        .filter(times__gt=1)
        .values_list("callback_id", flat=True)
    )
    by_decision = (
        AssignmentDecision.objects.filter(
            callback_id__in=ids, outcome=DecisionOutcome.ASSIGNED
        )
        .values("callback_id")
        .annotate(times=Count("pk"))
        .filter(times__gt=1)
        .values_list("callback_id", flat=True)
    )
    return len(set(by_history) | set(by_decision))


def callback_assign_throughput(data: Dataset, count: int, database_url: str) -> Result:
    ids = pending_requests(data, count, data.branches)
    queue = queue_name("assign")
    with celery_worker(
        database_url, queue, concurrency=2, NOTIFICATION_BACKEND="development"
    ):
        with routed_to(queue):
            started = time.time()
            for callback_id in ids:
                assign_callback.delay(callback_id)
            assigned = wait_until_assigned(ids)
    last = CallbackRequest.objects.filter(pk__in=ids, assigned_at__isnull=False)
    last_at = last.order_by("-assigned_at").values_list("assigned_at", flat=True)[:1]
    elapsed = (last_at[0].timestamp() - started) if last_at else 0.0
    per_second = assigned / elapsed if elapsed > 0 else 0.0
    doubles = double_assignments(ids)
    return Result(
        name="callback_assign_throughput",
        median_us=round(elapsed / max(assigned, 1) * 1_000_000, 1),
        p99_us=None,
        ops_per_s=round(per_second, 1),
        queries=None,
        note=f"double={doubles}, {assigned} of {len(ids)} assigned, "
        f"{len(data.branches)} branches",
    )
