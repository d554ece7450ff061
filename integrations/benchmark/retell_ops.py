"""Signed Retell requests over gunicorn: in-call functions and call events."""

import json
import time
from collections.abc import Callable

from integrations.benchmark.dataset import Dataset
from integrations.benchmark.load import LoadResult, run_load
from integrations.benchmark.measure import Result, percentile, summarise
from integrations.benchmark.processes import gunicorn_server
from integrations.benchmark.queues import purge, queue_name, remove
from integrations.models import EventStatus, WebhookEvent
from integrations.signatures import RETELL_HEADER, retell_signature

# Requests in flight at once: two per gunicorn worker keeps both busy
# without measuring time spent waiting in the listen backlog.
CONCURRENCY = 4
WARM_UP_REQUESTS = 20
# Warm-up requests use caller numbers and call ids above the measured ones.
WARM_UP_OFFSET = 9_000_000

Request = tuple[str, bytes, Callable[[], dict[str, str]]]


def _call(data: Dataset, index: int, tag: str) -> dict:
    line = data.lines[index % len(data.lines)]
    return {
        "call_type": "phone_call",
        "call_id": f"call_bench_{tag}_{index:07d}",
        "agent_id": "agent_benchmark",
        "direction": "inbound",
        "from_number": f"+1557{index:07d}",
        "to_number": line,
        "call_status": "ongoing",
        "start_timestamp": int(time.time() * 1000),
    }


def signed(path: str, payload: dict, api_key: str) -> Request:
    """Return a request whose signature is made just before it is sent."""
    body = json.dumps(payload).encode()

    def headers() -> dict[str, str]:
        now_ms = int(time.time() * 1000)
        return {RETELL_HEADER: retell_signature(body, api_key, now_ms)}

    return path, body, headers


def _request_callback(data: Dataset, index: int, tag: str) -> Request:
    payload = {
        "name": "request_callback",
        "call": _call(data, index, tag),
        "args": {
            "customer_name": f"Caller {index}",
            "reason": "Wants to move an appointment",
            "preferred_time": "this afternoon",
            "service_name": data.services[index % len(data.services)].name,
            "urgency": "normal",
        },
    }
    path = f"/webhooks/retell/{data.company.slug}/functions/"
    return signed(path, payload, data.company.retell_api_key)


def call_started_request(data: Dataset, index: int, tag: str) -> Request:
    payload = {"event": "call_started", "call": _call(data, index, tag)}
    path = f"/webhooks/retell/{data.company.slug}/events/"
    return signed(path, payload, data.company.retell_api_key)


def _result(name: str, load: LoadResult) -> Result:
    result = summarise(name, load.latencies_us, queries=None)
    result.ops_per_s = round(load.throughput, 1)
    statuses = ", ".join(f"{status}x{n}" for status, n in sorted(load.statuses.items()))
    result.note = (
        f"statuses {statuses}; p95_ms={percentile(load.latencies_us, 0.95) / 1000:.1f}"
    )
    return result


def _serve(
    data: Dataset,
    count: int,
    database_url: str,
    build: Callable[[Dataset, int, str], Request],
    tag: str,
) -> tuple[LoadResult, int]:
    """Send `count` requests after a warm-up; return the load and tasks queued."""
    queue = queue_name(tag)
    with gunicorn_server(database_url, workers=2, queue=queue) as server:
        warm_up = [
            build(data, WARM_UP_OFFSET + index, f"{tag}warm")
            for index in range(WARM_UP_REQUESTS)
        ]
        run_load(server.url, warm_up, concurrency=CONCURRENCY)
        purge(queue)
        requests = [build(data, index, tag) for index in range(count)]
        load = run_load(server.url, requests, concurrency=CONCURRENCY)
    return load, remove(queue)


def retell_request_callback_http(
    data: Dataset, count: int, database_url: str
) -> Result:
    load, _ = _serve(data, count, database_url, _request_callback, "function")
    return _result("retell_request_callback_http", load)


def retell_event_ingest_http(data: Dataset, count: int, database_url: str) -> Result:
    load, queued = _serve(data, count, database_url, call_started_request, "events")
    result = _result("retell_event_ingest_http", load)
    stored = WebhookEvent.objects.filter(
        external_id__startswith="call_bench_events_",
        status=EventStatus.RECEIVED,
        event="call_started",
    ).count()
    result.note += f"; {stored} stored as received, {queued} tasks queued"
    return result
