"""A small closed-loop HTTP load generator for loopback servers."""

import http.client
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class LoadResult:
    latencies_us: list[float]
    elapsed_s: float
    statuses: dict[int, int]

    @property
    def throughput(self) -> float:
        return len(self.latencies_us) / self.elapsed_s if self.elapsed_s else 0.0


def run_load(
    base_url: str,
    requests: list[tuple[str, bytes, Callable[[], dict[str, str]]]],
    concurrency: int = 8,
) -> LoadResult:
    """Send every (path, body, headers factory) once, `concurrency` at a time.

    Headers are built just before sending so signatures carry a fresh time.
    """
    target = urlsplit(base_url)
    pending = list(reversed(requests))
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[int, int] = {}

    def worker() -> None:
        while True:
            with lock:
                if not pending:
                    return
                path, body, make_headers = pending.pop()
            headers = {"Content-Type": "application/json", **make_headers()}
            started = time.perf_counter_ns()
            conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            finally:
                conn.close()
            elapsed = (time.perf_counter_ns() - started) / 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return LoadResult(latencies, time.perf_counter() - started, statuses)
