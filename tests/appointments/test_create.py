from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from appointments.models import Appointment, AppointmentSource
from appointments.services import appointment_create
from tests.appointments.fixtures import STARTS_AT
from tests.factories import (
    BranchFactory,
    CompanyFactory,
    CustomerFactory,
    ServiceFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return StaffFactory(branch__company__currency="EUR")


def test_appointment_create_defaults_from_service(staff):
    service = ServiceFactory(company=staff.company, price="65.50", duration_minutes=50)
    customer = CustomerFactory(company=staff.company)

    appointment = appointment_create(
        branch=staff.branch,
        customer=customer,
        starts_at=STARTS_AT,
        service=service,
        staff=staff,
        source=AppointmentSource.PHONE_AGENT,
        external_uid="cal-123",
    )

    appointment.refresh_from_db()
    assert appointment.company_id == staff.company_id
    assert appointment.ends_at == STARTS_AT + timedelta(minutes=50)
    assert appointment.price == Decimal("65.50")
    assert appointment.currency == "EUR"
    assert appointment.status == "booked"
    assert appointment.source == "phone_agent"
    assert appointment.reschedule_count == 0


def test_appointment_create_other_company_customer_rejected(staff):
    stranger = CustomerFactory(company=CompanyFactory())

    with pytest.raises(ValidationError) as error:
        appointment_create(branch=staff.branch, customer=stranger, starts_at=STARTS_AT)

    assert error.value.message_dict == {
        "customer": ["The customer belongs to another company."]
    }
    assert Appointment.objects.count() == 0


def test_appointment_create_other_company_staff_rejected(staff):
    other_staff = StaffFactory(branch=BranchFactory())
    customer = CustomerFactory(company=staff.company)

    with pytest.raises(ValidationError) as error:
        appointment_create(
            branch=staff.branch,
            customer=customer,
            staff=other_staff,
            starts_at=STARTS_AT,
        )

    assert error.value.message_dict == {
        "staff": ["The staff belongs to another company."]
    }
    assert Appointment.objects.count() == 0


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "errors"),
    [
        (
            datetime(2027, 3, 10, 15, 0),
            None,
            {
                "starts_at": [
                    "2027-03-10T15:00:00 has no time zone; pass an aware datetime."
                ]
            },
        ),
        (
            STARTS_AT,
            STARTS_AT,
            {"ends_at": ["The appointment must end after it starts."]},
        ),
    ],
)
def test_appointment_create_bad_times_rejected(staff, starts_at, ends_at, errors):
    customer = CustomerFactory(company=staff.company)

    with pytest.raises(ValidationError) as error:
        appointment_create(
            branch=staff.branch, customer=customer, starts_at=starts_at, ends_at=ends_at
        )

    assert error.value.message_dict == errors
    assert Appointment.objects.count() == 0


def test_appointment_external_uid_unique_per_company(staff):
    customer = CustomerFactory(company=staff.company)
    appointment_create(
        branch=staff.branch, customer=customer, starts_at=STARTS_AT, external_uid="u1"
    )
    appointment_create(branch=staff.branch, customer=customer, starts_at=STARTS_AT)
    appointment_create(branch=staff.branch, customer=customer, starts_at=STARTS_AT)
    other = StaffFactory()
    appointment_create(
        branch=other.branch,
        customer=CustomerFactory(company=other.company),
        starts_at=STARTS_AT,
        external_uid="u1",
    )

    with pytest.raises(ValidationError) as error:
        appointment_create(
            branch=staff.branch,
            customer=customer,
            starts_at=STARTS_AT,
            external_uid="u1",
        )

    assert "__all__" in error.value.message_dict
    assert Appointment.objects.filter(external_uid="u1").count() == 2


def test_appointment_external_uid_enforced_by_database(staff):
    customer = CustomerFactory(company=staff.company)
    fields = {
        "company": staff.company,
        "branch": staff.branch,
        "customer": customer,
        "starts_at": STARTS_AT,
        "ends_at": STARTS_AT + timedelta(hours=1),
        "currency": "EUR",
        "external_uid": "dup",
    }
    Appointment.objects.create(**fields)

    with pytest.raises(IntegrityError):
        Appointment.objects.create(**fields)
