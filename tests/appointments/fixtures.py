"""Fixtures shared by the appointment and policy tests, imported by their conftests."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from policies.models import PolicyConfiguration
from tenants.configuration.services import config_set
from tenants.events import domain_event
from tests.appointments.factories import AppointmentFactory
from tests.factories import ServiceFactory, StaffFactory

# A Wednesday, so "at" values a few hours or days earlier stay simple to read.
STARTS_AT = datetime(2027, 3, 10, 15, 0, tzinfo=UTC)


@pytest.fixture
def appointment():
    staff = StaffFactory()
    service = ServiceFactory(company=staff.company, duration_minutes=45)
    return AppointmentFactory(
        branch=staff.branch,
        company=staff.company,
        service=service,
        staff=staff,
        starts_at=STARTS_AT,
        ends_at=STARTS_AT.replace(minute=45),
        price=Decimal("80.00"),
        currency="USD",
    )


@pytest.fixture
def set_policy():
    """Attach policy values of `kind` to an entity: set_policy(entity, kind, ...)."""

    def setter(target, kind, values, locked_keys=()):
        return config_set(PolicyConfiguration, target, kind, values, locked_keys)

    return setter


@pytest.fixture
def published():
    """Collect the domain events delivered during the test."""
    received = []

    def receiver(sender, event, **kwargs):
        received.append(event)

    domain_event.connect(receiver, weak=False, dispatch_uid="test-collector")
    yield received
    domain_event.disconnect(dispatch_uid="test-collector")
