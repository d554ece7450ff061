import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from policies.models import PolicyConfiguration
from tenants.configuration.contexts import context_for
from tenants.configuration.resolver import Source, resolve, resolve_many
from tenants.configuration.services import config_set
from tests.factories import ServiceFactory, StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)

TIERS = [{"min_hours": 24, "fee": "0.00"}, {"min_hours": 0, "fee": "25.00"}]


@pytest.fixture
def tree(entities):
    return entities


def cancellation(target, values, locked=(), enabled=True):
    return config_set(
        PolicyConfiguration, target, "cancellation", values, locked, enabled
    )


def test_resolve_most_specific_level_wins(tree):
    company, branch, service, staff = tree
    cancellation(company, {"hours_before": 1})
    cancellation(branch, {"hours_before": 2})
    cancellation(service, {"hours_before": 3})
    cancellation(staff, {"hours_before": 4})

    full = resolve(
        context_for(company, branch, service, staff), "policy", "cancellation"
    )
    no_staff = resolve(context_for(company, branch, service), "policy", "cancellation")
    no_service = resolve(context_for(company, branch), "policy", "cancellation")
    company_only = resolve(context_for(company), "policy", "cancellation")

    assert full.values == {"hours_before": 4.0}
    assert full.sources == {"hours_before": Source("staff", staff.pk)}
    assert no_staff.sources == {"hours_before": Source("service", service.pk)}
    assert no_service.sources == {"hours_before": Source("branch", branch.pk)}
    assert company_only.sources == {"hours_before": Source("company", company.pk)}
    assert company_only.values == {"hours_before": 1.0}


def test_resolve_staff_overrides_service(tree):
    company, branch, service, staff = tree
    cancellation(service, {"hours_before": 3, "max_cancellations_per_month": 5})
    cancellation(staff, {"hours_before": 4})

    effective = resolve(
        context_for(company, branch, service, staff), "policy", "cancellation"
    )

    assert effective.values == {"hours_before": 4.0, "max_cancellations_per_month": 5}
    assert effective.level_of("hours_before") == "staff"
    assert effective.level_of("max_cancellations_per_month") == "service"


def test_resolve_merges_levels_key_by_key(tree):
    company, branch, service, staff = tree
    cancellation(company, {"hours_before": 24, "fee": "10.00"})
    cancellation(branch, {"hours_before": 48})
    cancellation(staff, {"max_cancellations_per_month": 2})

    effective = resolve(
        context_for(company, branch, service, staff), "policy", "cancellation"
    )

    assert effective.values == {
        "hours_before": 48.0,
        "fee": "10.00",
        "max_cancellations_per_month": 2,
    }
    assert effective.sources == {
        "hours_before": Source("branch", branch.pk),
        "fee": Source("company", company.pk),
        "max_cancellations_per_month": Source("staff", staff.pk),
    }
    assert effective.locked == {}


def test_resolve_company_lock_beats_every_lower_level(tree):
    company, branch, service, staff = tree
    cancellation(company, {"hours_before": 24}, locked=["hours_before"])
    cancellation(branch, {"hours_before": 48, "max_cancellations_per_month": 1})
    cancellation(service, {"hours_before": 12})
    cancellation(staff, {"hours_before": 72})

    effective = resolve(
        context_for(company, branch, service, staff), "policy", "cancellation"
    )

    assert effective.values == {"hours_before": 24.0, "max_cancellations_per_month": 1}
    assert effective.sources["hours_before"] == Source("company", company.pk)
    assert effective.locked == {"hours_before": Source("company", company.pk)}


def test_resolve_branch_lock_binds_only_lower_levels(tree):
    company, branch, service, staff = tree
    cancellation(company, {"hours_before": 12})
    cancellation(branch, {"hours_before": 48}, locked=["hours_before"])
    cancellation(staff, {"hours_before": 72})

    effective = resolve(
        context_for(company, branch, service, staff), "policy", "cancellation"
    )

    assert effective.values == {"hours_before": 48.0}
    assert effective.sources["hours_before"] == Source("branch", branch.pk)
    assert effective.locked == {"hours_before": Source("branch", branch.pk)}


def test_resolve_lock_without_value_keeps_inherited(tree):
    company, branch, service, staff = tree
    cancellation(company, {"hours_before": 24})
    cancellation(branch, {"fee": "1.00"}, locked=["hours_before"])
    cancellation(staff, {"hours_before": 72})

    effective = resolve(
        context_for(company, branch, service, staff), "policy", "cancellation"
    )

    assert effective.values == {"hours_before": 24.0, "fee": "1.00"}
    assert effective.sources["hours_before"] == Source("company", company.pk)
    assert effective.locked == {"hours_before": Source("branch", branch.pk)}


def test_resolve_lower_lock_does_not_replace_higher_lock(tree):
    company, branch, service, staff = tree
    cancellation(company, {"hours_before": 12}, locked=["hours_before"])
    cancellation(branch, {"hours_before": 48}, locked=["hours_before"])

    effective = resolve(context_for(company, branch), "policy", "cancellation")

    assert effective.values == {"hours_before": 12.0}
    assert effective.locked == {"hours_before": Source("company", company.pk)}


def test_resolve_fee_tiers_replace_inherited_fee(tree):
    company, branch, service, staff = tree
    cancellation(company, {"hours_before": 24, "fee": "10.00"})
    cancellation(branch, {"fee_tiers": TIERS})

    effective = resolve(
        context_for(company, branch, service, staff), "policy", "cancellation"
    )

    assert effective.values == {"hours_before": 24.0, "fee_tiers": TIERS}
    assert "fee" not in effective.sources
    assert effective.sources["fee_tiers"] == Source("branch", branch.pk)


def test_resolve_staff_fee_percentage_replaces_branch_tiers(tree):
    company, branch, service, staff = tree
    cancellation(branch, {"fee_tiers": TIERS})
    cancellation(staff, {"fee_percentage": 50})

    effective = resolve(
        context_for(company, branch, service, staff), "policy", "cancellation"
    )

    assert effective.values == {"fee_percentage": 50.0}
    assert effective.sources == {"fee_percentage": Source("staff", staff.pk)}


def test_resolve_fee_lock_locks_group(tree):
    company, branch, service, staff = tree
    cancellation(company, {"fee": "10.00"}, locked=["fee"])
    cancellation(branch, {"fee_tiers": TIERS})
    cancellation(staff, {"fee_percentage": 50})

    effective = resolve(
        context_for(company, branch, service, staff), "policy", "cancellation"
    )

    assert effective.values == {"fee": "10.00"}
    assert effective.sources == {"fee": Source("company", company.pk)}
    assert effective.locked == {"fee": Source("company", company.pk)}


def test_resolve_ignores_disabled_rows(tree):
    company, branch, service, staff = tree
    cancellation(company, {"hours_before": 24})
    cancellation(branch, {"hours_before": 48}, enabled=False)
    cancellation(service, {"fee": "5.00"}, locked=["fee"], enabled=False)
    cancellation(staff, {"fee": "7.00"})

    effective = resolve(
        context_for(company, branch, service, staff), "policy", "cancellation"
    )

    assert effective.values == {"hours_before": 24.0, "fee": "7.00"}
    assert effective.level_of("hours_before") == "company"
    assert effective.level_of("fee") == "staff"
    assert effective.locked == {}


def test_resolve_without_configuration_is_empty(tree):
    company, branch, service, staff = tree

    effective = resolve(
        context_for(company, branch, service, staff), "policy", "cancellation"
    )

    assert effective.values == {}
    assert effective.sources == {}
    assert effective.configured is False


def test_resolve_keeps_kinds_apart(tree):
    company, branch, service, staff = tree
    cancellation(company, {"hours_before": 24})
    config_set(PolicyConfiguration, branch, "reschedule", {"hours_before": 2})

    effective = resolve(context_for(company, branch), "policy", "cancellation")

    assert effective.values == {"hours_before": 24.0}
    assert effective.level_of("hours_before") == "company"


def test_resolve_keeps_companies_apart(tree):
    company, branch, service, staff = tree
    other = StaffFactory()
    cancellation(company, {"hours_before": 24})
    cancellation(other.company, {"hours_before": 96})

    effective = resolve(
        context_for(other.company, other.branch), "policy", "cancellation"
    )

    assert effective.values == {"hours_before": 96.0}
    assert effective.sources["hours_before"] == Source("company", other.company.pk)


# Cost: counted queries and cache round trips, never timed.


def test_resolve_cold_costs_one_query(tree, cache_reads):
    company, branch, service, staff = tree
    cancellation(company, {"hours_before": 24})
    cancellation(staff, {"fee": "5.00"})
    context = context_for(company, branch, service, staff)
    cache.clear()  # drop the invalidation tombstones the writes left behind
    cache_reads.clear()

    with CaptureQueriesContext(connection) as cold:
        effective = resolve(context, "policy", "cancellation")

    assert len(cold) == 1
    assert len(cache_reads) == 1
    assert effective.values == {"hours_before": 24.0, "fee": "5.00"}


def test_resolve_warm_costs_no_query_one_cache_read(tree, cache_reads):
    company, branch, service, staff = tree
    cancellation(company, {"hours_before": 24})
    cancellation(staff, {"fee": "5.00"})
    context = context_for(company, branch, service, staff)
    cache.clear()
    resolve(context, "policy", "cancellation")
    cache_reads.clear()

    with CaptureQueriesContext(connection) as warm:
        effective = resolve(context, "policy", "cancellation")

    assert len(warm) == 0
    assert len(cache_reads) == 1
    assert effective.values == {"hours_before": 24.0, "fee": "5.00"}
    assert effective.level_of("fee") == "staff"


def test_resolve_caches_entities_without_configuration(tree, cache_reads):
    company, branch, service, staff = tree
    context = context_for(company, branch, service, staff)
    resolve(context, "policy", "cancellation")
    cache_reads.clear()

    with CaptureQueriesContext(connection) as warm:
        effective = resolve(context, "policy", "cancellation")

    assert len(warm) == 0
    assert len(cache_reads) == 1
    assert effective.values == {}


@pytest.fixture
def hundred_contexts(tree):
    """Return 100 distinct contexts: 25 staff members times 4 services."""
    company, branch, service, staff = tree
    services = [service, *ServiceFactory.create_batch(3, company=company)]
    members = [staff, *StaffFactory.create_batch(24, branch=branch, company=company)]
    cancellation(company, {"hours_before": 24})
    cancellation(services[1], {"fee": "3.00"})
    cancellation(members[2], {"hours_before": 6})
    contexts = [
        context_for(company, branch, each_service, member)
        for member in members
        for each_service in services
    ]
    assert len(set(contexts)) == 100
    cache.clear()
    return contexts, services, members


def test_resolve_many_hundred_contexts_cold(hundred_contexts, cache_reads):
    contexts, services, members = hundred_contexts
    cache_reads.clear()

    with CaptureQueriesContext(connection) as captured:
        results = resolve_many(contexts, "policy", "cancellation")

    assert len(captured) <= 2
    assert len(cache_reads) == 1
    assert len(results) == 100
    by_context = dict(zip(contexts, results, strict=True))
    plain = by_context[contexts[0]]
    assert plain.values == {"hours_before": 24.0}
    with_fee = next(
        result
        for context, result in by_context.items()
        if context.service_id == services[1].pk and context.staff_id == members[0].pk
    )
    assert with_fee.values == {"hours_before": 24.0, "fee": "3.00"}
    short_notice = next(
        result
        for context, result in by_context.items()
        if context.staff_id == members[2].pk and context.service_id == services[0].pk
    )
    assert short_notice.values == {"hours_before": 6.0}


def test_resolve_many_hundred_contexts_warm(hundred_contexts, cache_reads):
    contexts, _services, _members = hundred_contexts
    cold = resolve_many(contexts, "policy", "cancellation")
    cache_reads.clear()

    with CaptureQueriesContext(connection) as captured:
        warm = resolve_many(contexts, "policy", "cancellation")

    assert len(captured) == 0
    assert len(cache_reads) == 1
    assert [result.values for result in warm] == [result.values for result in cold]


def test_resolve_does_not_cache_uncommitted_rows(tree):
    company, branch, service, staff = tree
    cancellation(company, {"hours_before": 24})
    cache.clear()
    context = context_for(company, branch)

    with pytest.raises(RuntimeError), transaction.atomic():
        cancellation(branch, {"hours_before": 1})
        inside = resolve(context, "policy", "cancellation")
        raise RuntimeError("roll back")

    after = resolve(context, "policy", "cancellation")

    assert inside.values == {"hours_before": 1.0}
    assert after.values == {"hours_before": 24.0}
    assert after.level_of("hours_before") == "company"
