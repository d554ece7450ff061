"""Every write path invalidates the resolver cache, and only after commit."""

import json
import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, transaction

from policies.models import PolicyConfiguration
from tenants.configuration import resolver
from tenants.configuration.cache import TOMBSTONE, cache_key, store_entries
from tenants.configuration.contexts import context_for
from tenants.configuration.resolver import resolve
from tenants.configuration.services import config_delete, config_set
from tenants.models import HierarchyConfig, Service
from tests.factories import StaffFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.tenants.urls"),
]


@pytest.fixture
def tree(entities):
    company, branch, service, staff = entities
    company_row = config_set(
        PolicyConfiguration, company, "cancellation", {"hours_before": 24}
    )
    branch_row = config_set(
        PolicyConfiguration, branch, "cancellation", {"hours_before": 48}
    )
    return company, branch, service, staff, company_row, branch_row


def hours(context) -> float | None:
    return resolve(context, "policy", "cancellation").get("hours_before")


def warm(context) -> None:
    """Drop the tombstones of the setup writes and cache `context`'s entities."""
    cache.clear()
    resolve(context, "policy", "cancellation")
    for entity in context.entities():
        assert cache.get(cache_key(entity)) not in (None, TOMBSTONE)


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True))
    return client


def admin_form(row, hours_before: float, target: str | None = None) -> dict:
    return {
        "target_choice": target or f"{row.level}:{row.object_id}",
        "kind": "cancellation",
        "values": json.dumps({"hours_before": hours_before}),
        "locked_keys": "[]",
        "enabled": "on",
        "_save": "Save",
    }


def test_config_set_invalidates_after_commit(tree):
    company, branch, *_ = tree
    context = context_for(company, branch)
    warm(context)

    config_set(PolicyConfiguration, branch, "cancellation", {"hours_before": 6})

    assert hours(context) == 6.0


def test_config_set_leaves_cache_until_commit(tree):
    company, branch, *_ = tree
    context = context_for(company, branch)
    warm(context)
    entity = (company.pk, "branch", branch.pk)
    before = cache.get(cache_key(entity))

    with transaction.atomic():
        config_set(PolicyConfiguration, branch, "cancellation", {"hours_before": 6})
        during = cache.get(cache_key(entity))
    after = cache.get(cache_key(entity))

    assert during == before
    assert after == TOMBSTONE
    assert hours(context) == 6.0


def test_config_set_rolled_back_invalidates_nothing(tree):
    company, branch, *_ = tree
    context = context_for(company, branch)
    warm(context)
    entity = (company.pk, "branch", branch.pk)
    before = cache.get(cache_key(entity))

    with pytest.raises(RuntimeError), transaction.atomic():
        config_set(PolicyConfiguration, branch, "cancellation", {"hours_before": 6})
        raise RuntimeError("roll back")

    assert cache.get(cache_key(entity)) == before
    assert hours(context) == 48.0


def test_admin_save_invalidates(tree, admin_client):
    company, branch, _service, _staff, _company_row, branch_row = tree
    context = context_for(company, branch)
    warm(context)

    response = admin_client.post(
        f"/config-admin/policies/policyconfiguration/{branch_row.pk}/change/",
        admin_form(branch_row, 12),
    )

    assert response.status_code == 302
    assert hours(context) == 12.0


def test_admin_save_moving_target_invalidates_both(tree, admin_client):
    company, branch, service, _staff, _company_row, branch_row = tree
    branch_context = context_for(company, branch)
    service_context = context_for(company, service=service)
    warm(branch_context)
    resolve(service_context, "policy", "cancellation")

    response = admin_client.post(
        f"/config-admin/policies/policyconfiguration/{branch_row.pk}/change/",
        admin_form(branch_row, 12, target=f"service:{service.pk}"),
    )

    assert response.status_code == 302
    assert hours(branch_context) == 24.0
    assert hours(service_context) == 12.0


def test_admin_add_invalidates(tree, admin_client):
    company, _branch, service, *_ = tree
    context = context_for(company, service=service)
    warm(context)

    response = admin_client.post(
        "/config-admin/policies/policyconfiguration/add/",
        admin_form(None, 3, target=f"service:{service.pk}"),
    )

    assert response.status_code == 302
    assert hours(context) == 3.0


def test_admin_delete_invalidates(tree, admin_client):
    company, branch, _service, _staff, _company_row, branch_row = tree
    context = context_for(company, branch)
    warm(context)

    response = admin_client.post(
        f"/config-admin/tenants/hierarchyconfig/{branch_row.pk}/delete/",
        {"post": "yes"},
    )

    assert response.status_code == 302
    assert not HierarchyConfig.objects.filter(pk=branch_row.pk).exists()
    assert hours(context) == 24.0


def test_model_delete_invalidates(tree):
    company, branch, _service, _staff, _company_row, branch_row = tree
    context = context_for(company, branch)
    warm(context)

    branch_row.delete()

    assert hours(context) == 24.0


def test_config_delete_invalidates(tree):
    company, branch, _service, _staff, _company_row, branch_row = tree
    context = context_for(company, branch)
    warm(context)

    config_delete(branch_row)

    assert hours(context) == 24.0


def test_queryset_update_invalidates(tree):
    company, branch, _service, _staff, company_row, _branch_row = tree
    context = context_for(company, branch)
    warm(context)

    PolicyConfiguration.objects.filter(pk=company_row.pk).update(
        values={"hours_before": 24, "fee": "9.00"}
    )

    effective = resolve(context, "policy", "cancellation")
    assert effective.values == {"hours_before": 48.0, "fee": "9.00"}


def test_queryset_update_disabling_invalidates(tree):
    company, branch, _service, _staff, _company_row, branch_row = tree
    context = context_for(company, branch)
    warm(context)

    HierarchyConfig.objects.filter(enabled=True, level="branch").update(enabled=False)

    assert HierarchyConfig.objects.get(pk=branch_row.pk).enabled is False
    assert hours(context) == 24.0


def test_queryset_update_moving_rows_invalidates_new_target(tree):
    company, branch, _service, staff, _company_row, _branch_row = tree
    other = StaffFactory(branch=branch, company=company)
    staff_row = config_set(
        PolicyConfiguration, staff, "cancellation", {"hours_before": 2}
    )
    other_context = context_for(company, branch, staff=other)
    warm(other_context)

    HierarchyConfig.objects.filter(object_id=staff.pk, level="staff").update(
        object_id=other.pk
    )

    assert HierarchyConfig.objects.get(pk=staff_row.pk).object_id == other.pk
    assert hours(other_context) == 2.0


def test_queryset_update_of_content_type_rejected(tree):
    _company, _branch, _service, _staff, _company_row, branch_row = tree
    service_type = ContentType.objects.get_for_model(Service)

    with pytest.raises(ValueError, match="content_type"):
        HierarchyConfig.objects.filter(pk=branch_row.pk).update(
            content_type=service_type
        )

    assert HierarchyConfig.objects.get(pk=branch_row.pk).level == "branch"


def test_queryset_delete_invalidates(tree):
    company, branch, *_ = tree
    context = context_for(company, branch)
    warm(context)

    PolicyConfiguration.objects.filter(level="branch", object_id=branch.pk).delete()

    assert hours(context) == 24.0


def test_bulk_create_invalidates(tree):
    company, branch, service, *_ = tree
    context = context_for(company, branch, service)
    warm(context)

    HierarchyConfig.objects.bulk_create(
        [
            HierarchyConfig(
                config_family="policy",
                kind="cancellation",
                content_type=ContentType.objects.get_for_model(Service),
                object_id=service.pk,
                values={"hours_before": 7},
            )
        ]
    )

    assert hours(context) == 7.0


def test_deleting_branch_invalidates_its_configuration(tree):
    company, branch, _service, staff, *_ = tree
    config_set(PolicyConfiguration, staff, "cancellation", {"fee": "4.00"})
    context = context_for(company, branch.pk, staff=staff.pk)
    warm(context)

    branch.delete()

    effective = resolve(context, "policy", "cancellation")
    assert effective.values == {"hours_before": 24.0}
    assert effective.level_of("hours_before") == "company"
    assert not HierarchyConfig.objects.filter(level__in=["branch", "staff"]).exists()


def test_deleting_company_invalidates_its_configuration(tree):
    company, branch, *_ = tree
    context = context_for(company.pk, branch.pk)
    warm(context)

    company.delete()

    assert resolve(context, "policy", "cancellation").values == {}


# A read that races a write: the reader loads the old rows, the writer commits,
# and only then does the reader try to cache what it loaded.


def test_stale_read_cannot_overwrite_admin_save(tree, admin_client):
    company, branch, _service, _staff, _company_row, branch_row = tree
    context = context_for(company, branch)
    cache.clear()

    stale = resolver._query_entries(set(context.entities()))
    response = admin_client.post(
        f"/config-admin/policies/policyconfiguration/{branch_row.pk}/change/",
        admin_form(branch_row, 12),
    )
    store_entries(stale)

    assert response.status_code == 302
    assert stale[(company.pk, "branch", branch.pk)]["policy:cancellation"] == {
        "values": {"hours_before": 48.0},
        "locked": [],
    }
    assert hours(context) == 12.0


def test_paused_reader_thread_loses_to_admin_save(tree, admin_client, monkeypatch):
    company, branch, _service, _staff, _company_row, branch_row = tree
    context = context_for(company, branch)
    cache.clear()
    loaded = threading.Event()
    resume = threading.Event()
    real_store = resolver.store_entries
    reader_result = {}

    def paused_store(entries):
        if threading.current_thread().name == "reader":
            loaded.set()
            assert resume.wait(timeout=10)
        real_store(entries)

    def read() -> None:
        try:
            reader_result["hours"] = hours(context)
        finally:
            connection.close()

    monkeypatch.setattr(resolver, "store_entries", paused_store)
    reader = threading.Thread(target=read, name="reader")
    reader.start()
    assert loaded.wait(timeout=10)

    response = admin_client.post(
        f"/config-admin/policies/policyconfiguration/{branch_row.pk}/change/",
        admin_form(branch_row, 12),
    )
    resume.set()
    reader.join(timeout=10)

    assert response.status_code == 302
    assert reader_result == {"hours": 48.0}
    assert hours(context) == 12.0
    assert hours(context) == 12.0
