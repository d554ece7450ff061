"""The benchmark's own tenant: its entities and layered configuration."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from notifications.models import NotificationConfiguration
from notifications.services.defaults import notification_defaults_install
from policies.models import PolicyConfiguration
from tenants import events
from tenants.configuration.contexts import context_for
from tenants.configuration.resolver import ConfigContext
from tenants.configuration.services import config_set
from tenants.models import (
    Branch,
    Company,
    Customer,
    Membership,
    PhoneLine,
    Role,
    Service,
    Staff,
    StaffService,
)

ALWAYS = {
    day: [["00:00", "24:00"]]
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
}
BRANCH_ZONES = ("America/New_York", "Europe/Berlin", "Asia/Tokyo")


@dataclass
class Dataset:
    company: Company
    branches: list[Branch]
    services: list[Service]
    staff: list[Staff]
    customers: list[Customer]
    member_username: str = "bench-manager"
    member_password: str = "bench-password"
    contexts: list[ConfigContext] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def build_dataset(staff_per_branch: int = 10, customers: int = 200) -> Dataset:
    company = Company.objects.create(
        name="Benchmark Co",
        slug="bench",
        time_zone="America/New_York",
        retell_api_key="bench-retell-key",
        calcom_secret="bench-calcom-secret",
    )
    branches = []
    for index, zone in enumerate(BRANCH_ZONES):
        branch = Branch.objects.create(
            company=company,
            name=f"Branch {index}",
            time_zone=zone,
            opening_hours=ALWAYS,
        )
        PhoneLine.objects.create(
            company=company, branch=branch, number=f"+1555555{index:04d}"
        )
        branches.append(branch)
    services = [
        Service.objects.create(company=company, name=f"Service {n}", price="80.00")
        for n in range(5)
    ]
    for service in services:
        service.branches.set(branches)
    staff = []
    for branch in branches:
        for n in range(staff_per_branch):
            member = Staff.objects.create(
                company=company,
                branch=branch,
                name=f"{branch.name} staff {n}",
                email=f"b{branch.pk}s{n}@bench.example",
                working_hours=ALWAYS,
                is_manager=n == 0,
            )
            StaffService.objects.bulk_create(
                StaffService(staff=member, service=service, is_expert=n % 3 == 0)
                for service in services
            )
            staff.append(member)
    people = Customer.objects.bulk_create(
        Customer(
            company=company,
            name=f"Customer {n}",
            phone=f"+1555020{n:04d}",
            phone_raw=f"+1555020{n:04d}",
        )
        for n in range(customers)
    )
    _layer_policies(company, branches, services, staff)
    _layer_notifications(company, branches)
    user = get_user_model().objects.create_user(
        "bench-manager", password="bench-password", is_staff=True
    )
    Membership.objects.create(user=user, company=company, role=Role.MANAGER)
    dataset = Dataset(company, branches, services, staff, people)
    dataset.lines = [f"+1555555{index:04d}" for index in range(len(branches))]
    dataset.contexts = [
        context_for(company, member.branch, services[i % len(services)], member)
        for i, member in enumerate(staff)
    ]
    return dataset


def _layer_policies(company, branches, services, staff) -> None:
    """Set policies at every level so resolution really merges four entries."""
    config_set(
        PolicyConfiguration,
        company,
        "cancellation",
        {"hours_before": 24, "fee": "15.00", "max_cancellations_per_month": 3},
    )
    config_set(PolicyConfiguration, company, "callback_assignment", {"capacity": 50})
    for branch in branches:
        config_set(PolicyConfiguration, branch, "cancellation", {"hours_before": 12})
    for service in services:
        config_set(
            PolicyConfiguration,
            service,
            "cancellation",
            {
                "fee_tiers": [
                    {"min_hours": 0, "fee": "30"},
                    {"min_hours": 12, "fee": "10"},
                ]
            },
        )
    for member in staff[::2]:
        config_set(
            PolicyConfiguration,
            member,
            "cancellation",
            {"max_cancellations_per_month": 5},
        )


def _layer_notifications(company, branches) -> None:
    """Install the starting setup, then notify assignees by email.

    Staff of the data set have no phone number, so the default SMS alert
    would fail over to email on every send.
    """
    notification_defaults_install(company)
    config_set(
        NotificationConfiguration,
        company,
        events.CALLBACK_ASSIGNED,
        {"channel": "email", "retry_count": 2},
    )
    config_set(
        NotificationConfiguration,
        branches[0],
        events.CALLBACK_ASSIGNED,
        {"quiet_hours": {"start": "23:00", "end": "06:00"}, "critical": True},
    )


def book_appointments(data: Dataset, count: int = 50) -> list:
    """Book future appointments of the data set's customers."""
    from datetime import timedelta

    from django.utils import timezone

    from appointments.services import appointment_create

    starts = timezone.now().replace(minute=0, second=0, microsecond=0)
    booked = []
    for index in range(count):
        member = data.staff[index % len(data.staff)]
        booked.append(
            appointment_create(
                branch=member.branch,
                customer=data.customers[index % len(data.customers)],
                service=data.services[index % len(data.services)],
                staff=member,
                starts_at=starts + timedelta(days=3, hours=index),
            )
        )
    return booked
