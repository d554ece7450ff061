"""Measure the product's hot paths next to the floors of this machine."""

import contextlib
import json
import logging
import time
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
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


def forget_run_cache() -> None:
    """Delete the cache keys of this run, whose key prefix is the run's own."""
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    else:
        # The local memory cache lives in this process and ends with it.
        cache.clear()


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
        parser.add_argument(
            "--json",
            metavar="PATH",
            help="Also write the results as JSON to this path.",
        )
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
        selected = set(only or known)
        has_broker = bool(settings.CELERY_BROKER_URL)
        services_missing = not (has_broker and connection.vendor == "postgresql")
        needs_services = sorted(selected & operations.NEEDS_SERVICES)
        if services_missing and needs_services:
            raise CommandError(
                f"{', '.join(needs_services)} start gunicorn and Celery workers, "
                "which need PostgreSQL and Redis; set DATABASE_URL and REDIS_URL, "
                "or choose other operations with --only."
            )
        json_path = Path(options["json"]) if options["json"] else None
        if json_path is not None and not json_path.parent.exists():
            raise CommandError(f"Directory {json_path.parent} does not exist.")
        quick = options["quick"]
        scale = operations.QUICK if quick else operations.FULL
        memory: list[dict] | None = None

        # Tasks queued by this process go to a queue of the run, removed at the
        # end. Without a broker they run inline, as the embedded default does.
        routing = routed_to(queue_name("sink")) if has_broker else nullcontext()
        # DEBUG off as deployed; queries are counted with CaptureQueriesContext.
        with override_settings(DEBUG=False), quiet_logging(), routing:
            with benchmark_database() as database_url:
                try:
                    floors, results = self._measure(scale, only, database_url)
                    if not quick and not only and not services_missing:
                        self.stderr.write("measuring memory")
                        memory = measure_memory(self._data, database_url)
                finally:
                    forget_run_cache()

        self.stdout.write(format_table(floors, results))
        if memory is None:
            self.stdout.write(
                "memory: skipped (runs only in a full run on PostgreSQL and Redis)"
            )
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
