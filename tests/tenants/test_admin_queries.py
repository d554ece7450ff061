"""Admin list pages cost the same number of queries for 5 rows as for 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from policies.models import PolicyConfiguration
from tenants.configuration.services import config_set
from tests.factories import (
    BranchFactory,
    CompanyFactory,
    CustomerFactory,
    MembershipFactory,
    ServiceFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


def add_branches(tenant, count):
    BranchFactory.create_batch(count, company=tenant.company)


def add_services(tenant, count):
    for service in ServiceFactory.create_batch(count, company=tenant.company):
        service.branches.add(tenant.branch)


def add_staff(tenant, count):
    StaffFactory.create_batch(count, branch=tenant.branch, company=tenant.company)


def add_customers(tenant, count):
    CustomerFactory.create_batch(count, company=tenant.company)


def add_memberships(tenant, count):
    MembershipFactory.create_batch(count, company=tenant.company)


def add_configurations(tenant, count):
    for staff in StaffFactory.create_batch(
        count, branch=tenant.branch, company=tenant.company
    ):
        config_set(PolicyConfiguration, staff, "cancellation", {"hours_before": 3})


def add_companies(tenant, count):
    CompanyFactory.create_batch(count)


ADD_ROWS = {
    "branch": add_branches,
    "service": add_services,
    "staff": add_staff,
    "customer": add_customers,
    "membership": add_memberships,
    "hierarchyconfig": add_configurations,
}


def count_queries(client, url: str, expected_rows: int) -> int:
    client.get(url)  # fill the per-process content type and site caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == expected_rows
    return len(captured)


@pytest.mark.parametrize("model_name", sorted(ADD_ROWS))
def test_changelist_queries_constant_in_rows(
    manager_client, tenant_a, tenant_b, model_name
):
    url = f"/admin/tenants/{model_name}/"
    add_rows = ADD_ROWS[model_name]
    add_rows(tenant_a, 4)
    add_rows(tenant_b, 4)
    few = count_queries(manager_client, url, 5)

    add_rows(tenant_a, 45)
    many = count_queries(manager_client, url, 50)

    assert many == few


def test_company_changelist_queries_constant_in_rows(superuser_client, tenant_a):
    url = "/admin/tenants/company/"
    add_companies(tenant_a, 4)
    few = count_queries(superuser_client, url, 5)

    add_companies(tenant_a, 45)
    many = count_queries(superuser_client, url, 50)

    assert many == few


@pytest.mark.urls("tests.tenants.urls")
def test_child_config_changelist_queries_constant_in_rows(manager_client, tenant_a):
    url = "/config-admin/policies/policyconfiguration/"
    add_configurations(tenant_a, 4)
    few = count_queries(manager_client, url, 5)

    add_configurations(tenant_a, 45)
    many = count_queries(manager_client, url, 50)

    assert many == few
