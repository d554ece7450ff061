import logging

import pytest
from django.test import override_settings

from policies.models import PolicyConfiguration
from tenants.configuration import cache as config_cache
from tenants.configuration.contexts import context_for
from tenants.configuration.resolver import resolve
from tenants.configuration.services import config_set

pytestmark = pytest.mark.django_db(transaction=True)

# Nothing listens on port 1, so every connection is refused at once.
CLOSED_PORT_CACHE = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
    }
}
CACHE_LOGGER = "tenants.configuration.cache"


@pytest.fixture
def failures_reset(monkeypatch):
    """Start from a clean failure count so the first failure is logged."""
    monkeypatch.setattr(config_cache, "_failures", 0)


def test_resolve_cache_down_reads_database(entities, caplog, failures_reset):
    company, branch, _service, _staff = entities
    config_set(PolicyConfiguration, company, "cancellation", {"hours_before": 24})
    config_set(PolicyConfiguration, branch, "cancellation", {"fee": "5.00"})

    with (
        override_settings(CACHES=CLOSED_PORT_CACHE),
        caplog.at_level(logging.WARNING, logger=CACHE_LOGGER),
    ):
        effective = resolve(context_for(company, branch), "policy", "cancellation")

    assert effective.values == {"hours_before": 24.0, "fee": "5.00"}
    assert effective.level_of("fee") == "branch"
    logged = [r for r in caplog.records if r.name == CACHE_LOGGER]
    assert [r.levelname for r in logged] == ["WARNING"]
    assert (
        logged[0]
        .getMessage()
        .startswith(
            "config cache read failed (1 failures so far), using the database: "
        )
    )


def test_resolve_cache_down_logs_once_per_hundred(entities, caplog, failures_reset):
    company, *_ = entities
    context = context_for(company)

    with (
        override_settings(CACHES=CLOSED_PORT_CACHE),
        caplog.at_level(logging.WARNING, logger=CACHE_LOGGER),
    ):
        for _ in range(75):
            resolve(context, "policy", "cancellation")

    # 150 failures: one read and one write per call.
    logged = [r.getMessage() for r in caplog.records if r.name == CACHE_LOGGER]
    assert len(logged) == 2
    assert "(1 failures so far)" in logged[0]
    assert "(100 failures so far)" in logged[1]


def test_config_set_cache_down_still_commits(entities, caplog):
    company, *_ = entities

    with (
        override_settings(CACHES=CLOSED_PORT_CACHE),
        caplog.at_level(logging.ERROR, logger=CACHE_LOGGER),
    ):
        config_set(PolicyConfiguration, company, "cancellation", {"hours_before": 8})

    saved = PolicyConfiguration.objects.get(object_id=company.pk, level="company")
    assert saved.values == {"hours_before": 8.0}
    logged = [r.getMessage() for r in caplog.records if r.name == CACHE_LOGGER]
    assert len(logged) == 1
    assert logged[0].startswith("config cache invalidation failed for 1 entries: ")
