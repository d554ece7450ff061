"""Notification operations: the configuration lookup and delivery throughput."""

import time

from django.db import transaction

from integrations.benchmark.dataset import Dataset
from integrations.benchmark.measure import Result, count_queries, summarise, time_calls
from integrations.benchmark.processes import celery_worker
from integrations.benchmark.queues import queue_name, routed_to
from notifications.models import Delivery, DeliveryStatus
from notifications.selectors import notification_settings_for
from notifications.services.dispatch import notification_event_dispatch
from notifications.tasks import send_delivery
from tenants import events

# Seconds to wait for the worker to send every delivery.
DELIVERY_TIMEOUT_S = 120


def notification_config_resolve_cached(data: Dataset, iterations: int) -> Result:
    member = data.staff[0]
    arguments = (
        events.CALLBACK_ASSIGNED,
        data.company.pk,
        member.branch_id,
        data.services[0].pk,
        member.pk,
    )
    settings = notification_settings_for(*arguments)

    def operation():
        return notification_settings_for(*arguments)

    queries = count_queries(operation)
    samples = time_calls(operation, iterations)
    result = summarise("notification_config_resolve_cached", samples, queries)
    result.note = "levels=" + ",".join(
        sorted({source.level for source in settings.sources.values()})
    )
    return result


def create_deliveries(data: Dataset, count: int, tag: str) -> list[int]:
    """Write at least `count` email deliveries through the dispatch service.

    Each callback_created event goes to the whole team of a branch. The send
    tasks go to a queue that no worker consumes and that is removed, so the
    caller decides when a worker sees the deliveries.
    """
    ids: list[int] = []
    index = 0
    with routed_to(queue_name(f"{tag}-created")):
        while len(ids) < count:
            branch = data.branches[index % len(data.branches)]
            with transaction.atomic():
                created = notification_event_dispatch(
                    events.CALLBACK_CREATED,
                    data.company.pk,
                    {"callback_id": None, "branch_id": branch.pk},
                    event_key=f"{tag}-{index}",
                )
            ids.extend(delivery.pk for delivery in created)
            index += 1
    return ids


def wait_until_sent(ids: list[int], timeout_s: float = DELIVERY_TIMEOUT_S) -> int:
    """Poll until every delivery of `ids` is sent; return how many are sent."""
    deadline = time.monotonic() + timeout_s
    sent = 0
    while time.monotonic() < deadline:
        sent = Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.SENT).count()
        if sent == len(ids):
            break
        time.sleep(0.02)
    return sent


def notification_deliver_throughput(
    data: Dataset, count: int, database_url: str
) -> Result:
    ids = create_deliveries(data, count, "deliver")
    queue = queue_name("deliver")
    with celery_worker(database_url, queue, NOTIFICATION_BACKEND="development"):
        with routed_to(queue):
            started = time.perf_counter()
            for delivery_id in ids:
                send_delivery.delay(delivery_id)
            sent = wait_until_sent(ids)
            elapsed = time.perf_counter() - started
    failed = len(ids) - sent
    per_second = sent / elapsed if elapsed else 0.0
    result = Result(
        name="notification_deliver_throughput",
        median_us=round(elapsed / max(sent, 1) * 1_000_000, 1),
        p99_us=None,
        ops_per_s=round(per_second, 1),
        queries=None,
        note=f"{sent} of {len(ids)} sent, {failed} not sent",
    )
    return result
