from dataclasses import dataclass

import pytest

from policies.models import PolicyConfiguration
from tenants.configuration.services import config_set
from tenants.models import (
    Branch,
    Company,
    Customer,
    HierarchyConfig,
    Membership,
    Role,
    Service,
    Staff,
)
from tests.factories import (
    BranchFactory,
    CompanyFactory,
    CustomerFactory,
    MembershipFactory,
    ServiceFactory,
    StaffFactory,
    StaffServiceFactory,
    UserFactory,
)


@pytest.fixture
def entities():
    """Return a company with one branch, one service and one staff member."""
    staff = StaffFactory()
    branch = staff.branch
    company = branch.company
    service = ServiceFactory(company=company)
    return company, branch, service, staff


@dataclass
class Tenant:
    company: Company
    branch: Branch
    service: Service
    staff: Staff
    customer: Customer
    membership: Membership
    config: HierarchyConfig

    def object_of(self, model_name: str):
        if model_name == "hierarchyconfig":
            return self.config
        return getattr(self, model_name)


def make_tenant(role: Role = Role.MANAGER) -> Tenant:
    company = CompanyFactory()
    branch = BranchFactory(company=company)
    service = ServiceFactory(company=company)
    service.branches.add(branch)
    staff = StaffFactory(branch=branch, company=company)
    StaffServiceFactory(staff=staff, service=service)
    customer = CustomerFactory(company=company)
    membership = MembershipFactory(company=company, role=role)
    config = config_set(
        PolicyConfiguration, branch, "cancellation", {"hours_before": 12}
    )
    return Tenant(company, branch, service, staff, customer, membership, config)


@pytest.fixture
def tenant_a() -> Tenant:
    return make_tenant()


@pytest.fixture
def tenant_b() -> Tenant:
    return make_tenant()


@pytest.fixture
def manager_client(client, tenant_a):
    """A client signed in as a manager of company A."""
    client.force_login(tenant_a.membership.user)
    return client


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_superuser=True))
    return client
