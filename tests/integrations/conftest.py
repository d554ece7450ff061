"""A company laid out like the one in the sample requests.

The Downtown branch answers +15555550100 in New York; Sam Example calls from
+15555550142; Alex Organizer (alex.organizer@example.com) gives haircuts,
which Cal.com books as event type `haircut-45`.
"""

from dataclasses import dataclass

import pytest

from tenants.models import Branch, Company, Customer, Service, Staff
from tests.factories import (
    BranchFactory,
    CompanyFactory,
    CustomerFactory,
    PhoneLineFactory,
    ServiceFactory,
    StaffFactory,
)
from tests.integrations.signing import CALCOM_SECRET, RETELL_KEY, SLUG


@dataclass
class Studio:
    company: Company
    branch: Branch
    customer: Customer
    service: Service
    staff: Staff


@pytest.fixture
def studio() -> Studio:
    company = CompanyFactory(
        slug=SLUG,
        time_zone="America/New_York",
        currency="USD",
        retell_api_key=RETELL_KEY,
        calcom_secret=CALCOM_SECRET,
    )
    branch = BranchFactory(
        company=company, name="Downtown", time_zone="America/New_York"
    )
    PhoneLineFactory(branch=branch, company=company, number="+15555550100")
    customer = CustomerFactory(
        company=company,
        name="Sam Example",
        phone="+15555550142",
        email="sam.example@example.com",
    )
    service = ServiceFactory(
        company=company,
        name="Haircut",
        price="45.00",
        duration_minutes=45,
        external_event_type="haircut-45",
    )
    service.branches.add(branch)
    staff = StaffFactory(
        company=company,
        branch=branch,
        name="Alex Organizer",
        email="alex.organizer@example.com",
    )
    return Studio(company, branch, customer, service, staff)
