"""Goals per operation and the printed table."""

from collections.abc import Callable
from dataclasses import dataclass

from integrations.benchmark.measure import Result


@dataclass(frozen=True)
class Goal:
    floor: str | None
    text: str
    check: Callable[[Result], bool]


def _ratio(limit: float) -> Callable[[Result], bool]:
    return lambda r: r.ratio is not None and r.ratio <= limit


def _both(*checks: Callable[[Result], bool]) -> Callable[[Result], bool]:
    return lambda r: all(check(r) for check in checks)


def _queries(limit: float) -> Callable[[Result], bool]:
    return lambda r: r.queries is not None and r.queries <= limit


GOALS: dict[str, Goal] = {
    "policy_resolve_cached": Goal(
        "redis_get", "ratio <= 2.0, 0 queries", _both(_ratio(2.0), _queries(0))
    ),
    "policy_resolve_uncached": Goal(
        "pg_select1",
        "ratio <= 8, exactly 1 query",
        _both(_ratio(8), lambda r: r.queries == 1),
    ),
    "policy_resolve_batch_100": Goal(
        "pg_select1", "<= 2 queries, ratio <= 60", _both(_ratio(60), _queries(2))
    ),
    "notification_config_resolve_cached": Goal(
        "redis_get", "ratio <= 2.0, 0 queries", _both(_ratio(2.0), _queries(0))
    ),
    "can_cancel": Goal(
        "pg_select1", "ratio <= 10, <= 1 query", _both(_ratio(10), _queries(1))
    ),
    "callback_assign": Goal(
        "pg_select1", "ratio <= 30, <= 6 statements", _both(_ratio(30), _queries(6))
    ),
    "callback_assign_throughput": Goal(
        None,
        ">= 300/s, 0 double assignments",
        lambda r: r.ops_per_s >= 300 and "double=0" in r.note,
    ),
    "retell_request_callback_http": Goal(
        None,
        "p99 <= 20 ms, >= 300 req/s",
        lambda r: r.p99_us is not None and r.p99_us <= 20_000 and r.ops_per_s >= 300,
    ),
    "retell_event_ingest_http": Goal(
        None, ">= 800 req/s", lambda r: r.ops_per_s >= 800
    ),
    "notification_deliver_throughput": Goal(
        None, ">= 300/s", lambda r: r.ops_per_s >= 300
    ),
    "admin_callback_changelist_10k": Goal(
        "pg_select1",
        "constant queries (<= 10), p95 <= 100 ms",
        lambda r: (
            r.queries is not None
            and "(constant)" in r.note
            and r.queries <= 10
            and "p95_ms=" in r.note
            and float(r.note.split("p95_ms=")[1].split()[0]) <= 100
        ),
    ),
}


def apply_goal(result: Result, floors: dict[str, float]) -> Result:
    goal = GOALS[result.name]
    result.goal = goal.text
    result.floor = goal.floor
    if goal.floor is not None:
        floor_us = floors[f"{goal.floor}_us"]
        result.ratio = round(result.median_us / floor_us, 2) if floor_us else None
    result.met = goal.check(result)
    return result


def format_table(floors: dict[str, float], results: list[Result]) -> str:
    lines = [
        f"floors: pg SELECT 1 {floors['pg_select1_us']:.1f} us, "
        f"redis GET {floors['redis_get_us']:.1f} us",
        f"{'operation':38} {'median us':>10} {'p99 us':>10} {'ops/s':>10} "
        f"{'queries':>7} {'ratio':>7}  goal",
    ]
    for r in results:
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else "-"
        queries = "-" if r.queries is None else f"{r.queries:g}"
        p99 = "-" if r.p99_us is None else f"{r.p99_us:.1f}"
        verdict = "met" if r.met else "MISSED"
        lines.append(
            f"{r.name:38} {r.median_us:>10.1f} {p99:>10} {r.ops_per_s:>10.1f} "
            f"{queries:>7} {ratio:>7}  {verdict}: {r.goal}"
            + (f" ({r.note})" if r.note else "")
        )
    return "\n".join(lines)
