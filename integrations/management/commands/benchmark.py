"""Measure the product's hot paths next to the floors of this machine."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from integrations.benchmark import operations, resolver_ops
from integrations.benchmark.database import benchmark_database
from integrations.benchmark.dataset import build_dataset
from integrations.benchmark.floors import pg_select1_us, redis_get_us
from integrations.benchmark.report import apply_goal, format_table


class Command(BaseCommand):
    help = (
        "Measure each operation against a raw database and cache round trip "
        "in a throw-away database, and print the ratios."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quick", action="store_true", help="Fewer iterations; under a minute."
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
        scale = operations.QUICK if options["quick"] else operations.FULL

        with benchmark_database() as database_url:
            data = build_dataset()
            resolver_ops.forget_all(data)
            floors = {
                "pg_select1_us": round(pg_select1_us(scale.floor_iterations), 1),
                "redis_get_us": round(redis_get_us(scale.floor_iterations), 1),
            }
            results = []
            for name, run in operations.OPERATIONS:
                if only and name not in only:
                    continue
                self.stderr.write(f"measuring {name}")
                result = run(data, scale, database_url)
                results.append(apply_goal(result, floors))

        self.stdout.write(format_table(floors, results))
        if json_path is not None:
            payload = {
                "floors": floors,
                "results": [result.as_dict() for result in results],
            }
            json_path.write_text(json.dumps(payload, indent=2) + "\n")
            self.stdout.write(f"wrote {json_path}")
