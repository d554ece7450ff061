from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from appointments.models import Appointment, AppointmentModification, ModificationKind
from tests.factories import BranchFactory, CustomerFactory


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    branch = factory.SubFactory(BranchFactory)
    company = factory.SelfAttribute("branch.company")
    customer = factory.SubFactory(
        CustomerFactory, company=factory.SelfAttribute("..company")
    )
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(minutes=30))
    price = Decimal("80.00")
    currency = "USD"


class ModificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppointmentModification

    appointment = factory.SubFactory(AppointmentFactory)
    company = factory.SelfAttribute("appointment.company")
    customer = factory.SelfAttribute("appointment.customer")
    kind = ModificationKind.CANCEL
    occurred_at = factory.LazyFunction(timezone.now)
    notice_hours = "48.00"
    previous_starts_at = factory.SelfAttribute("appointment.starts_at")
    currency = "USD"
    within_policy = True
    policy_reason = "allowed"
    actor = "test"
