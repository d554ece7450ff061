from tenants.models.branch import Branch, PhoneLine
from tenants.models.company import Company
from tenants.models.configuration import ConfigLevel, HierarchyConfig
from tenants.models.customer import ContactChannel, Customer
from tenants.models.membership import Membership, Role
from tenants.models.service import Service
from tenants.models.staff import Staff, StaffAbsence, StaffService

__all__ = [
    "Branch",
    "Company",
    "ConfigLevel",
    "ContactChannel",
    "Customer",
    "HierarchyConfig",
    "Membership",
    "PhoneLine",
    "Role",
    "Service",
    "Staff",
    "StaffAbsence",
    "StaffService",
]
