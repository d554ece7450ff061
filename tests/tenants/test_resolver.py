import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from policies.models import PolicyConfiguration
from tenants.configuration.contexts import context_for
from tenants.configuration.resolver import resolve, resolve_many
from tenants.configuration.services import config_set
from tests.factories import ServiceFactory, StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tree():
    staff = StaffFactory()
    branch = staff.branch
    company = branch.company
    service = ServiceFactory(company=company)
    return company, branch, service, staff


def test_resolve_merges_levels_key_by_key(tree):
    company, branch, service, staff = tree
    config_set(
        PolicyConfiguration,
        company,
        "cancellation",
        {"hours_before": 24, "fee": "10.00"},
    )
    config_set(PolicyConfiguration, branch, "cancellation", {"hours_before": 48})
    config_set(
        PolicyConfiguration, staff, "cancellation", {"max_cancellations_per_month": 2}
    )

    effective = resolve(
        context_for(company, branch, service, staff), "policy", "cancellation"
    )

    assert effective.values == {
        "hours_before": 48.0,
        "fee": "10.00",
        "max_cancellations_per_month": 2,
    }
    assert effective.level_of("hours_before") == "branch"
    assert effective.level_of("fee") == "company"
    assert effective.level_of("max_cancellations_per_month") == "staff"


def test_resolve_cached_costs_no_query(tree):
    company, branch, service, staff = tree
    config_set(PolicyConfiguration, company, "cancellation", {"hours_before": 24})
    context = context_for(company, branch, service, staff)
    cache.clear()  # drop the invalidation tombstone the write left behind
    with CaptureQueriesContext(connection) as cold:
        resolve(context, "policy", "cancellation")
    with CaptureQueriesContext(connection) as warm:
        effective = resolve(context, "policy", "cancellation")

    assert len(cold) == 1
    assert len(warm) == 0
    assert effective.values == {"hours_before": 24.0}


def test_resolve_many_hundred_contexts_one_query(tree):
    company, branch, service, staff = tree
    contexts = []
    for _ in range(25):
        other = StaffFactory(branch=branch, company=company)
        contexts.append(context_for(company, branch, service, other))
    contexts = contexts * 4
    with CaptureQueriesContext(connection) as captured:
        results = resolve_many(contexts, "policy", "cancellation")

    assert len(results) == 100
    assert len(captured) <= 2
    cache.clear()
