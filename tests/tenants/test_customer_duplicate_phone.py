"""A second customer with the same number in one company is a form error."""

import pytest
from django.urls import reverse

from tenants.models import Customer, Role
from tests.factories import CompanyFactory, CustomerFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", ["+12025550142", "(202) 555-0142"])
def test_customer_add_duplicate_phone_is_form_error(client, typed):
    company = CompanyFactory(phone_region="US")
    existing = CustomerFactory(company=company, phone="+12025550142")
    membership = MembershipFactory(company=company, role=Role.MANAGER)
    client.force_login(membership.user)

    response = client.post(
        reverse("admin:tenants_customer_add"),
        {
            "phone_raw": typed,
            "name": "Sam",
            "preferred_channel": "phone",
            "language": "en",
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["phone_raw"] == [
        f"Customer {existing.pk} already has +12025550142 in this company."
    ]
    assert Customer.objects.count() == 1


def test_customer_same_phone_in_other_company_is_allowed(client):
    CustomerFactory(phone="+12025550142")
    company = CompanyFactory(phone_region="US")
    membership = MembershipFactory(company=company, role=Role.MANAGER)
    client.force_login(membership.user)

    response = client.post(
        reverse("admin:tenants_customer_add"),
        {
            "phone_raw": "+12025550142",
            "name": "Sam",
            "preferred_channel": "phone",
            "language": "en",
        },
    )

    assert response.status_code == 302
    assert Customer.objects.filter(company=company).get().phone == "+12025550142"
