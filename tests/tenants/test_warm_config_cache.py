from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from policies.models import PolicyConfiguration
from tenants.configuration.cache import cache_key
from tenants.configuration.contexts import context_for
from tenants.configuration.resolver import resolve
from tenants.configuration.services import config_set
from tests.factories import ServiceFactory, StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)


def warm(*args: str) -> str:
    out = StringIO()
    call_command("warm_config_cache", *args, stdout=out)
    return out.getvalue()


def test_warm_config_cache_company_resolves_without_queries(entities, cache_reads):
    company, branch, service, staff = entities
    config_set(PolicyConfiguration, company, "cancellation", {"hours_before": 24})
    config_set(PolicyConfiguration, staff, "cancellation", {"fee": "2.00"})
    cache.clear()

    output = warm("--company", company.slug)
    cache_reads.clear()
    with CaptureQueriesContext(connection) as captured:
        effective = resolve(
            context_for(company, branch, service, staff), "policy", "cancellation"
        )

    assert len(captured) == 0
    assert len(cache_reads) == 1
    assert effective.values == {"hours_before": 24.0, "fee": "2.00"}
    assert f"{company.slug}:\n" in output
    assert f"[{'#' * 30}] 4/4 entities" in output
    assert output.endswith("Warmed 4 entities.\n")


def test_warm_config_cache_draws_progress_per_chunk(entities, monkeypatch):
    company, branch, *_ = entities
    StaffFactory.create_batch(3, branch=branch, company=company)
    monkeypatch.setattr("tenants.configuration.warmup.CHUNK_SIZE", 4)

    output = warm("--company", company.slug)

    frames = output.split("\r")[1:]
    assert frames[0] == f"[{'#' * 17}{'.' * 13}] 4/7 entities"
    assert frames[1].startswith(f"[{'#' * 30}] 7/7 entities\n")


def test_warm_config_cache_only_named_company(entities):
    company, *_ = entities
    other = ServiceFactory()

    warm("--company", company.slug)

    assert cache.get(cache_key((company.pk, "company", company.pk))) == {}
    assert cache.get(cache_key((other.company_id, "company", other.company_id))) is None
    assert cache.get(cache_key((other.company_id, "service", other.pk))) is None


def test_warm_config_cache_without_slug_warms_every_company(entities):
    company, *_ = entities
    other = ServiceFactory()

    output = warm()

    assert cache.get(cache_key((company.pk, "company", company.pk))) == {}
    assert cache.get(cache_key((other.company_id, "service", other.pk))) == {}
    assert output.endswith("Warmed 6 entities.\n")


def test_warm_config_cache_unknown_slug_fails(entities):
    with pytest.raises(CommandError, match="No company with slug 'nope'"):
        warm("--company", "nope")
