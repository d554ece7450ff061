"""Saving companies and branches through the admin forms."""

import pytest

from tenants.models import Branch, Company, PhoneLine, Role
from tests.tenants.conftest import make_tenant

pytestmark = pytest.mark.django_db


def company_form(company: Company, **changes: str) -> dict:
    form = {
        "name": company.name,
        "slug": company.slug,
        "time_zone": company.time_zone,
        "phone_region": company.phone_region,
        "currency": company.currency,
        "retell_api_key": "",
        "calcom_secret": "",
    }
    form.update(changes)
    return form


@pytest.fixture
def owner():
    return make_tenant(role=Role.OWNER)


def test_company_change_by_owner_saves(client, owner):
    client.force_login(owner.membership.user)
    url = f"/admin/tenants/company/{owner.company.pk}/change/"

    response = client.post(url, company_form(owner.company, name="Renamed"))

    owner.company.refresh_from_db()
    assert response.status_code == 302
    assert owner.company.name == "Renamed"


def test_company_change_page_hides_secrets(client, owner):
    client.force_login(owner.membership.user)

    response = client.get(f"/admin/tenants/company/{owner.company.pk}/change/")

    html = response.content.decode()
    assert response.status_code == 200
    assert owner.company.retell_api_key not in html
    assert owner.company.calcom_secret not in html
    assert "Retell set, Cal.com set" not in html


def test_company_secret_empty_keeps_stored(client, owner):
    client.force_login(owner.membership.user)
    stored_key = owner.company.retell_api_key
    url = f"/admin/tenants/company/{owner.company.pk}/change/"

    response = client.post(url, company_form(owner.company, calcom_secret="new"))

    owner.company.refresh_from_db()
    assert response.status_code == 302
    assert owner.company.retell_api_key == stored_key
    assert owner.company.calcom_secret == "new"


def test_company_change_by_manager_forbidden(manager_client, tenant_a):
    url = f"/admin/tenants/company/{tenant_a.company.pk}/change/"

    response = manager_client.post(url, company_form(tenant_a.company, name="X"))

    tenant_a.company.refresh_from_db()
    assert response.status_code == 403
    assert tenant_a.company.name != "X"


def branch_form(**fields: str) -> dict:
    return {
        "name": "Harbour",
        "time_zone": "Europe/Berlin",
        "opening_hours": "{}",
        "holiday_country": "",
        "holiday_region": "",
        "phone_lines-TOTAL_FORMS": "1",
        "phone_lines-INITIAL_FORMS": "0",
        "phone_lines-0-number": "030 901820",
        "phone_lines-0-label": "front desk",
        **fields,
    }


def test_branch_add_with_phone_line_uses_company_region(manager_client, tenant_a):
    Company.objects.filter(pk=tenant_a.company.pk).update(phone_region="DE")

    response = manager_client.post("/admin/tenants/branch/add/", branch_form())

    assert response.status_code == 302
    line = PhoneLine.objects.get(label="front desk")
    assert line.number == "+4930901820"
    assert line.company_id == tenant_a.company.pk
    assert line.branch == Branch.objects.get(name="Harbour")


def test_branch_add_by_superuser_uses_chosen_company(superuser_client, tenant_a):
    Company.objects.filter(pk=tenant_a.company.pk).update(phone_region="DE")

    response = superuser_client.post(
        "/admin/tenants/branch/add/", branch_form(company=str(tenant_a.company.pk))
    )

    assert response.status_code == 302
    line = PhoneLine.objects.get(label="front desk")
    assert line.number == "+4930901820"
    assert line.company_id == tenant_a.company.pk


def test_branch_add_garbage_phone_line_shows_error(manager_client, tenant_a):
    response = manager_client.post(
        "/admin/tenants/branch/add/", branch_form(**{"phone_lines-0-number": "x1"})
    )

    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert "x1" in errors[0]["number"][0]
    assert not Branch.objects.filter(name="Harbour").exists()
    assert not PhoneLine.objects.exists()
