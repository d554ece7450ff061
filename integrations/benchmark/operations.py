"""The table of measured operations, in the order they run."""

from collections.abc import Callable
from dataclasses import dataclass

from integrations.benchmark import (
    admin_ops,
    assignment_ops,
    notification_ops,
    policy_ops,
    resolver_ops,
    retell_ops,
)
from integrations.benchmark.dataset import Dataset
from integrations.benchmark.measure import Result


@dataclass(frozen=True)
class Scale:
    floor_iterations: int
    iterations: int
    # Requests sent to gunicorn per HTTP operation.
    http_requests: int
    deliveries: int
    admin_pages: int
    # Callback requests assigned by the worker. The goal is stated for 1,000.
    assignments: int


QUICK = Scale(
    floor_iterations=500,
    iterations=300,
    http_requests=300,
    deliveries=300,
    admin_pages=10,
    assignments=300,
)
FULL = Scale(
    floor_iterations=3000,
    iterations=2000,
    http_requests=2000,
    deliveries=2000,
    admin_pages=100,
    assignments=1000,
)

Operation = Callable[[Dataset, Scale, str], Result]


def _timed(function) -> Operation:
    return lambda data, scale, database_url: function(data, scale.iterations)


OPERATIONS: list[tuple[str, Operation]] = [
    ("policy_resolve_cached", _timed(resolver_ops.policy_resolve_cached)),
    ("policy_resolve_uncached", _timed(resolver_ops.policy_resolve_uncached)),
    ("policy_resolve_batch_100", _timed(resolver_ops.policy_resolve_batch_100)),
    (
        "notification_config_resolve_cached",
        _timed(notification_ops.notification_config_resolve_cached),
    ),
    ("can_cancel", _timed(policy_ops.can_cancel_decision)),
    ("callback_assign", _timed(assignment_ops.callback_assign)),
    (
        "callback_assign_throughput",
        lambda data, scale, url: assignment_ops.callback_assign_throughput(
            data, scale.assignments, url
        ),
    ),
    (
        "retell_request_callback_http",
        lambda data, scale, url: retell_ops.retell_request_callback_http(
            data, scale.http_requests, url
        ),
    ),
    (
        "retell_event_ingest_http",
        lambda data, scale, url: retell_ops.retell_event_ingest_http(
            data, scale.http_requests, url
        ),
    ),
    (
        "notification_deliver_throughput",
        lambda data, scale, url: notification_ops.notification_deliver_throughput(
            data, scale.deliveries, url
        ),
    ),
    (
        "admin_callback_changelist_10k",
        lambda data, scale, url: admin_ops.admin_callback_changelist_10k(
            data, scale.admin_pages
        ),
    ),
]

# Operations that start gunicorn or a Celery worker on the benchmark database,
# so they need PostgreSQL and a broker that other processes can reach.
NEEDS_SERVICES = frozenset(
    {
        "callback_assign_throughput",
        "retell_request_callback_http",
        "retell_event_ingest_http",
        "notification_deliver_throughput",
    }
)
