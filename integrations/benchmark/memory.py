"""Resident memory of web and worker processes before and after sustained work."""

from integrations.benchmark.dataset import Dataset
from integrations.benchmark.load import run_load
from integrations.benchmark.notification_ops import create_deliveries, wait_until_sent
from integrations.benchmark.processes import (
    celery_worker,
    child_pids,
    gunicorn_server,
    rss_kib,
)
from integrations.benchmark.queues import queue_name, remove, routed_to
from integrations.benchmark.retell_ops import (
    CONCURRENCY,
    WARM_UP_REQUESTS,
    call_started_request,
)
from notifications.tasks import send_delivery

OPERATIONS = 10_000
# Limits of a single process, in MiB, and of its growth over OPERATIONS.
GUNICORN_LIMIT_MIB = 150
CELERY_LIMIT_MIB = 200
GROWTH_LIMIT = 0.05


def _rss_mib(pids: list[int]) -> dict[int, float]:
    return {pid: round(rss_kib(pid) / 1024, 1) for pid in pids}


def _figures(kind: str, before: dict, after: dict, limit_mib: float) -> dict:
    processes = []
    for pid, start in before.items():
        end = after.get(pid)
        growth = (end - start) / start if end is not None and start else None
        processes.append(
            {
                "pid": pid,
                "before_mib": start,
                "after_mib": end,
                "growth": None if growth is None else round(growth, 3),
            }
        )
    met = all(
        p["after_mib"] is not None
        and p["after_mib"] <= limit_mib
        and p["growth"] <= GROWTH_LIMIT
        for p in processes
    )
    return {
        "kind": kind,
        "operations": OPERATIONS,
        "goal": f"< {limit_mib} MB per process, growth <= {GROWTH_LIMIT:.0%}",
        "met": met,
        "processes": processes,
    }


def gunicorn_memory(data: Dataset, database_url: str) -> dict:
    """RSS of each gunicorn worker before and after OPERATIONS signed events."""
    queue = queue_name("memory-web")
    with gunicorn_server(database_url, workers=2, queue=queue) as server:
        warm_up = [
            call_started_request(data, index, "memwarm")
            for index in range(WARM_UP_REQUESTS)
        ]
        run_load(server.url, warm_up, concurrency=CONCURRENCY)
        workers = child_pids(server.pid)
        before = _rss_mib(workers)
        requests = [
            call_started_request(data, index, "memory") for index in range(OPERATIONS)
        ]
        load = run_load(server.url, requests, concurrency=CONCURRENCY)
        after = _rss_mib(workers)
    remove(queue)
    figures = _figures("gunicorn worker", before, after, GUNICORN_LIMIT_MIB)
    figures["statuses"] = {str(k): v for k, v in load.statuses.items()}
    return figures


def celery_memory(data: Dataset, database_url: str) -> dict:
    """RSS of each Celery pool process before and after OPERATIONS deliveries."""
    warm_up = create_deliveries(data, 20, "memwarm")
    ids = create_deliveries(data, OPERATIONS, "memory")
    queue = queue_name("memory-worker")
    with celery_worker(database_url, queue, NOTIFICATION_BACKEND="development") as main:
        with routed_to(queue):
            for delivery_id in warm_up:
                send_delivery.delay(delivery_id)
            wait_until_sent(warm_up)
            workers = child_pids(main.pid)
            before = _rss_mib(workers)
            for delivery_id in ids:
                send_delivery.delay(delivery_id)
            sent = wait_until_sent(ids, timeout_s=600)
            after = _rss_mib(workers)
    figures = _figures("celery pool process", before, after, CELERY_LIMIT_MIB)
    figures["sent"] = sent
    return figures


def measure_memory(data: Dataset, database_url: str) -> list[dict]:
    return [gunicorn_memory(data, database_url), celery_memory(data, database_url)]
