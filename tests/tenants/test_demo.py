import pytest

from tenants.demo import DEMO_SLUG, seed_demo_company
from tenants.models import Branch, Company, PhoneLine, Service, Staff

pytestmark = pytest.mark.django_db


def test_seed_demo_company_rows_pass_validation():
    company = seed_demo_company()

    rows = [
        company,
        *Branch.objects.filter(company=company),
        *PhoneLine.objects.filter(company=company),
        *Service.objects.filter(company=company),
        *Staff.objects.filter(company=company),
    ]
    for row in rows:
        row.full_clean()
    assert company.slug == DEMO_SLUG
    assert len(rows) == 1 + 2 + 2 + 3 + 12


def test_seed_demo_company_twice_creates_once():
    first = seed_demo_company()

    second = seed_demo_company()

    assert second.pk == first.pk
    assert Company.objects.count() == 1
    assert Staff.objects.count() == 12
