"""Timing of one operation: median, p99, throughput and SQL statements."""

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass
class Result:
    name: str
    median_us: float
    p99_us: float | None
    ops_per_s: float
    queries: float | None
    floor: str | None = None
    ratio: float | None = None
    goal: str = ""
    met: bool | None = None
    note: str = ""

    def as_dict(self) -> dict:
        return {key: value for key, value in asdict(self).items()}


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def time_calls(
    operation: Callable[[], object],
    iterations: int,
    before_each: Callable[[], object] | None = None,
) -> list[float]:
    """Return the duration of each call in microseconds."""
    samples = []
    for _ in range(iterations):
        if before_each is not None:
            before_each()
        started = time.perf_counter_ns()
        operation()
        samples.append((time.perf_counter_ns() - started) / 1000)
    return samples


def count_queries(
    operation: Callable[[], object], before: Callable[[], object] | None = None
) -> int:
    if before is not None:
        before()
    with CaptureQueriesContext(connection) as captured:
        operation()
    return len(captured)


def summarise(name: str, samples: list[float], queries: float | None) -> Result:
    median = statistics.median(samples)
    return Result(
        name=name,
        median_us=round(median, 1),
        p99_us=round(percentile(samples, 0.99), 1),
        ops_per_s=round(1_000_000 / median, 1) if median else 0.0,
        queries=queries,
    )
