"""The configuration admins: the effective panel and the per-family child admin."""

import json

import pytest
from django.utils.html import escape

from policies.models import PolicyConfiguration
from tenants.configuration.services import config_set
from tenants.models import HierarchyConfig

pytestmark = pytest.mark.django_db

TIERS = [{"min_hours": 24.0, "fee": "0.00"}]


def panel_row(family, kind, key, value, level, object_id, lock="") -> str:
    return (
        f"<tr><td>{family}</td><td>{kind}</td><td><code>{key}</code></td>"
        f"<td><code>{escape(value)}</code></td><td>{level} #{object_id}</td>"
        f"<td>{lock}</td></tr>"
    )


@pytest.fixture
def layered(tenant_a):
    """Cancellation keys at three levels, one locked at the company."""
    tenant = tenant_a
    config_set(
        PolicyConfiguration,
        tenant.company,
        "cancellation",
        {"hours_before": 24, "max_cancellations_per_month": 3},
        ["hours_before"],
    )
    config_set(PolicyConfiguration, tenant.service, "cancellation", {"fee": "5.00"})
    config_set(PolicyConfiguration, tenant.staff, "cancellation", {"fee_tiers": TIERS})
    config_set(PolicyConfiguration, tenant.branch, "booking", {"enabled": False})
    return tenant


def test_effective_panel_on_company(manager_client, layered):
    company = layered.company

    response = manager_client.get(f"/admin/tenants/company/{company.pk}/change/")

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        panel_row(
            "policy",
            "cancellation",
            "hours_before",
            "24.0",
            "company",
            company.pk,
            "locked at company",
        )
        in html
    )
    assert (
        panel_row(
            "policy",
            "cancellation",
            "max_cancellations_per_month",
            "3",
            "company",
            company.pk,
        )
        in html
    )
    assert "fee_tiers" not in html
    assert "<code>enabled</code>" not in html


def test_effective_panel_on_branch(manager_client, layered):
    company, branch = layered.company, layered.branch

    response = manager_client.get(f"/admin/tenants/branch/{branch.pk}/change/")

    html = response.content.decode()
    assert (
        panel_row("policy", "booking", "enabled", "false", "branch", branch.pk) in html
    )
    assert (
        panel_row(
            "policy",
            "cancellation",
            "hours_before",
            "24.0",
            "company",
            company.pk,
            "locked at company",
        )
        in html
    )
    assert (
        panel_row("policy", "cancellation", "hours_before", "12.0", "branch", branch.pk)
        not in html
    )


def test_effective_panel_on_service(manager_client, layered):
    service = layered.service

    response = manager_client.get(f"/admin/tenants/service/{service.pk}/change/")

    html = response.content.decode()
    assert (
        panel_row("policy", "cancellation", "fee", '"5.00"', "service", service.pk)
        in html
    )
    assert "<code>enabled</code>" not in html


def test_effective_panel_on_staff(manager_client, layered):
    company, branch, staff = layered.company, layered.branch, layered.staff

    response = manager_client.get(f"/admin/tenants/staff/{staff.pk}/change/")

    html = response.content.decode()
    # PostgreSQL jsonb stores object keys shortest first.
    tiers = '[{"fee": "0.00", "min_hours": 24.0}]'
    assert (
        panel_row("policy", "cancellation", "fee_tiers", tiers, "staff", staff.pk)
        in html
    )
    assert (
        panel_row("policy", "booking", "enabled", "false", "branch", branch.pk) in html
    )
    assert (
        panel_row(
            "policy",
            "cancellation",
            "hours_before",
            "24.0",
            "company",
            company.pk,
            "locked at company",
        )
        in html
    )
    assert "<code>fee</code>" not in html


def test_effective_panel_without_configuration(manager_client, tenant_a):
    HierarchyConfig.objects.all().delete()

    response = manager_client.get(
        f"/admin/tenants/service/{tenant_a.service.pk}/change/"
    )

    assert "No configuration applies here yet." in response.content.decode()


def test_configurations_link_filters_the_list(manager_client, tenant_a):
    response = manager_client.get(f"/admin/tenants/branch/{tenant_a.branch.pk}/change/")

    link = (
        f'href="/admin/tenants/hierarchyconfig/?level=branch&amp;'
        f'object_id={tenant_a.branch.pk}"'
    )
    assert link in response.content.decode()


# The child admin of one family, registered on a test-only admin site.

CHILD_URL = "/config-admin/policies/policyconfiguration/"


def child_form(target: str, values: dict, locked: list[str] | None = None) -> dict:
    return {
        "target_choice": target,
        "kind": "cancellation",
        "values": json.dumps(values),
        "locked_keys": json.dumps(locked or []),
        "enabled": "on",
    }


@pytest.mark.urls("tests.tenants.urls")
def test_child_admin_target_choices_only_own(manager_client, tenant_a, tenant_b):
    response = manager_client.get(f"{CHILD_URL}add/")

    choices = {
        value
        for value, _label in response.context["adminform"]
        .form.fields["target_choice"]
        .choices
    }
    assert choices == {
        f"company:{tenant_a.company.pk}",
        f"branch:{tenant_a.branch.pk}",
        f"service:{tenant_a.service.pk}",
        f"staff:{tenant_a.staff.pk}",
    }


@pytest.mark.urls("tests.tenants.urls")
def test_child_admin_other_company_target_rejected(manager_client, tenant_b):
    response = manager_client.post(
        f"{CHILD_URL}add/",
        child_form(f"service:{tenant_b.service.pk}", {"hours_before": 1}),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["target_choice"]
    assert errors[0].startswith("Select a valid choice.")
    assert not HierarchyConfig.objects.filter(level="service").exists()


@pytest.mark.urls("tests.tenants.urls")
def test_child_admin_add_saves_in_own_company(manager_client, tenant_a):
    response = manager_client.post(
        f"{CHILD_URL}add/",
        child_form(f"service:{tenant_a.service.pk}", {"fee": "4.00"}, ["fee"]),
    )

    assert response.status_code == 302
    saved = PolicyConfiguration.objects.get(level="service")
    assert saved.company == tenant_a.company
    assert saved.object_id == tenant_a.service.pk
    assert saved.values == {"fee": "4.00"}
    assert saved.locked_keys == ["fee"]


@pytest.mark.urls("tests.tenants.urls")
def test_child_admin_bad_value_names_key(manager_client, tenant_a):
    response = manager_client.post(
        f"{CHILD_URL}add/",
        child_form(f"service:{tenant_a.service.pk}", {"hours_before": -1}),
    )

    errors = response.context["adminform"].form.errors
    assert response.status_code == 200
    assert errors["values"][0].startswith("hours_before: ")
    assert not HierarchyConfig.objects.filter(level="service").exists()


@pytest.mark.urls("tests.tenants.urls")
def test_child_admin_unknown_key_names_key(manager_client, tenant_a):
    response = manager_client.post(
        f"{CHILD_URL}add/",
        child_form(f"service:{tenant_a.service.pk}", {"hours_befor": 2}),
    )

    errors = response.context["adminform"].form.errors
    assert errors["values"] == [
        "hours_befor: unknown key; remove it or check the spelling."
    ]
    assert not HierarchyConfig.objects.filter(level="service").exists()


@pytest.mark.urls("tests.tenants.urls")
@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_child_admin_other_company_404(manager_client, tenant_b, view):
    response = manager_client.get(f"{CHILD_URL}{tenant_b.config.pk}/{view}/")

    assert response.status_code == 404


@pytest.mark.urls("tests.tenants.urls")
@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_parent_admin_forwards_own_and_hides_other(
    manager_client, tenant_a, tenant_b, view
):
    own = manager_client.get(
        f"/config-admin/tenants/hierarchyconfig/{tenant_a.config.pk}/{view}/"
    )
    other = manager_client.get(
        f"/config-admin/tenants/hierarchyconfig/{tenant_b.config.pk}/{view}/"
    )

    assert own.status_code == 200
    assert other.status_code == 404


@pytest.mark.urls("tests.tenants.urls")
def test_child_admin_list_only_own(manager_client, tenant_a, tenant_b):
    response = manager_client.get(CHILD_URL)

    assert [obj.pk for obj in response.context["cl"].result_list] == [
        tenant_a.config.pk
    ]
