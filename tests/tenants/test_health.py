import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings

from tests.tenants.test_cache_outage import CLOSED_PORT_CACHE

pytestmark = pytest.mark.django_db


def test_healthz_all_services_up(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
    }


def test_healthz_cache_down_answers_503(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    with override_settings(CACHES=CLOSED_PORT_CACHE):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "cache": "down",
        "broker": "ok",
    }


def test_healthz_rejects_post(client):
    assert client.post("/healthz").status_code == 405


def run_production_settings(**env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")
    }
    environment.update(
        DJANGO_ENV="production", DJANGO_SETTINGS_MODULE="config.settings", **env
    )
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_without_secret_key_exit():
    result = run_production_settings(DJANGO_ALLOWED_HOSTS="example.com")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is missing" in result.stderr


def test_production_settings_without_allowed_hosts_exit():
    result = run_production_settings(DJANGO_SECRET_KEY="x" * 50)

    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is missing" in result.stderr


def test_production_settings_complete_start():
    result = run_production_settings(
        DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="example.com"
    )

    assert result.stderr == ""
    assert result.returncode == 0
