"""Measure the product's hot paths next to the floors of this machine."""

import contextlib
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from integrations.benchmark import operations, resolver_ops
from integrations.benchmark.database import benchmark_database
from integrations.benchmark.dataset import build_dataset
from integrations.benchmark.floors import pg_select1_us, redis_get_us
from integrations.benchmark.memory import measure_memory
from integrations.benchmark.queues import queue_name, routed_to
from integrations.benchmark.report import apply_goal, format_table


@contextlib.contextmanager
def quiet_logging() -> Iterator[None]:
    """Log only warnings, so INFO lines per operation do not flood the output."""
    root = logging.getLogger()
    previous = root.level
    root.setLevel(logging.WARNING)
    try:
        yield
    finally:
        root.setLevel(previous)


class Command(BaseCommand):
    help = (
        "Measure each operation against a raw database and cache round trip "
        "in a throw-away database, and print the ratios."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quick",
            action="store_true",
            help="Fewer iterations and no memory section; under a minute.",
        )
        parser.add_argument("--json", metavar="PATH", help="Also write results here.")
        parser.add_argument(
            "--only", nargs="*", default=None, help="Run only these operation names."
        )

    def handle(self, *args, **options):
        known = [name for name, _ in operations.OPERATIONS]
        only = options["only"]
        unknown = sorted(set(only or ()) - set(known))
        if unknown:
            raise CommandError(
                f"Unknown operation {', '.join(unknown)}; "
                f"choose from {', '.join(known)}."
            )
        json_path = Path(options["json"]) if options["json"] else None
        if json_path is not None and not json_path.parent.exists():
            raise CommandError(f"Directory {json_path.parent} does not exist.")
        quick = options["quick"]
        scale = operations.QUICK if quick else operations.FULL
        memory: list[dict] | None = None

        # Tasks queued by this process go to a queue of the run, purged at the end.
        # DEBUG off as deployed; queries are counted with CaptureQueriesContext.
        with override_settings(DEBUG=False), quiet_logging():
            with routed_to(queue_name("sink")):
                with benchmark_database() as database_url:
                    try:
                        floors, results = self._measure(scale, only, database_url)
                        if not quick and not only:
                            self.stderr.write("measuring memory")
                            memory = measure_memory(self._data, database_url)
                    finally:
                        # Only keys of this run: the prefix is the run's own.
                        cache.delete_pattern("*")

        self.stdout.write(format_table(floors, results))
        if memory is None:
            self.stdout.write("memory: skipped (runs only in a full run)")
        else:
            for figures in memory:
                self.stdout.write(format_memory(figures))
        if json_path is not None:
            payload = {
                "floors": floors,
                "results": [result.as_dict() for result in results],
                "memory": memory if memory is not None else {"skipped": True},
            }
            json_path.write_text(json.dumps(payload, indent=2) + "\n")
            self.stdout.write(f"wrote {json_path}")

    def _measure(self, scale, only, database_url):
        self._data = data = build_dataset()
        resolver_ops.forget_all(data)
        floors = {
            "pg_select1_us": round(pg_select1_us(scale.floor_iterations), 1),
            "redis_get_us": round(redis_get_us(scale.floor_iterations), 1),
        }
        results = []
        for name, run in operations.OPERATIONS:
            if only and name not in only:
                continue
            started = time.monotonic()
            result = run(data, scale, database_url)
            self.stderr.write(f"measured {name} in {time.monotonic() - started:.1f} s")
            results.append(apply_goal(result, floors))
        return floors, results


def format_memory(figures: dict) -> str:
    verdict = "met" if figures["met"] else "MISSED"
    processes = ", ".join(
        f"pid {p['pid']} {p['before_mib']} -> {p['after_mib']} MiB ({p['growth']:+.1%})"
        for p in figures["processes"]
    )
    return (
        f"memory of {figures['kind']} over {figures['operations']} operations: "
        f"{processes}; {verdict}: {figures['goal']}"
    )
