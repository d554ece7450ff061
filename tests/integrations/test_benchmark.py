"""The benchmark command on its quick settings, run with fast operations only."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tenants.models import Company

pytestmark = pytest.mark.django_db(transaction=True)

RESULT_KEYS = {
    "name",
    "median_us",
    "p99_us",
    "ops_per_s",
    "queries",
    "floor",
    "ratio",
    "goal",
    "met",
    "note",
}


def test_benchmark_quick_writes_json(tmp_path, capsys):
    path = tmp_path / "benchmark.json"

    call_command(
        "benchmark",
        "--quick",
        "--only",
        "policy_resolve_cached",
        "can_cancel",
        "--json",
        str(path),
    )

    payload = json.loads(path.read_text())
    assert set(payload["floors"]) == {"pg_select1_us", "redis_get_us"}
    assert payload["floors"]["pg_select1_us"] > 0
    assert payload["floors"]["redis_get_us"] > 0
    results = {result["name"]: result for result in payload["results"]}
    assert list(results) == ["policy_resolve_cached", "can_cancel"]
    for result in results.values():
        assert set(result) == RESULT_KEYS
        assert result["median_us"] > 0
        assert result["ratio"] == round(
            result["median_us"] / payload["floors"][f"{result['floor']}_us"], 2
        )
    assert results["policy_resolve_cached"]["queries"] == 0
    assert results["policy_resolve_cached"]["floor"] == "redis_get"
    assert results["can_cancel"]["queries"] <= 1
    assert payload["memory"] == {"skipped": True}
    output = capsys.readouterr().out
    assert "policy_resolve_cached" in output
    assert "memory: skipped" in output


def test_benchmark_leaves_no_data_behind():
    database = connection.settings_dict["NAME"]

    call_command("benchmark", "--quick", "--only", "policy_resolve_cached")

    assert connection.settings_dict["NAME"] == database
    assert not Company.objects.filter(slug="bench").exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_database WHERE datname = %s",
            [f"{database}_benchmark"],
        )
        assert cursor.fetchone()[0] == 0


def test_benchmark_unknown_operation_rejected():
    with pytest.raises(CommandError, match="Unknown operation nonsense"):
        call_command("benchmark", "--quick", "--only", "nonsense")


def test_benchmark_json_directory_missing(tmp_path):
    missing = tmp_path / "absent" / "out.json"

    with pytest.raises(CommandError, match="does not exist"):
        call_command("benchmark", "--quick", "--json", str(missing))


def test_benchmark_worker_operation_needs_broker(settings):
    settings.CELERY_BROKER_URL = ""

    with pytest.raises(CommandError, match="need PostgreSQL and Redis"):
        call_command("benchmark", "--quick", "--only", "retell_event_ingest_http")
