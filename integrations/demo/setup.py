"""Policies, notification settings and bookings of the demo company.

Settings are spread over several levels so that the admin's effective
configuration shows inheritance: the company sets defaults, a branch, a
service and a staff member override some keys, and one key is locked.
"""

from datetime import datetime, timedelta

from appointments.models import Appointment
from appointments.services import appointment_create
from notifications.models import NotificationConfiguration
from notifications.services.defaults import notification_defaults_install
from policies.models import PolicyConfiguration
from tenants.configuration.services import config_set
from tenants.models import Company, Customer, Staff

CALLER_PHONE = "+15555550142"
LATE_CALLER_PHONE = "+15555550143"


def _policies(company: Company) -> None:
    downtown = company.branches.get(name="Downtown")
    berlin = company.branches.get(name="Berlin Mitte")
    colouring = company.services.get(name="Colouring")
    config_set(
        PolicyConfiguration,
        company,
        "cancellation",
        {"hours_before": 24, "fee": "10.00", "max_cancellations_per_month": 3},
        locked_keys=["max_cancellations_per_month"],
    )
    config_set(PolicyConfiguration, downtown, "cancellation", {"hours_before": 12})
    config_set(
        PolicyConfiguration,
        colouring,
        "cancellation",
        {"fee_tiers": [{"min_hours": 0, "fee": "40"}, {"min_hours": 48, "fee": "0"}]},
    )
    config_set(
        PolicyConfiguration,
        company,
        "reschedule",
        {"hours_before": 6, "max_reschedules_per_appointment": 2},
    )
    config_set(
        PolicyConfiguration,
        berlin,
        "cancellation_by_phone",
        {
            "allowed_hours": {
                day: [["08:00", "20:00"]] for day in ("mon", "tue", "wed", "thu", "fri")
            },
            "disabled_message": "Please call us during opening hours to cancel.",
        },
    )
    config_set(
        PolicyConfiguration,
        company,
        "callback_sla",
        {"urgent_minutes": 60, "high_minutes": 240, "normal_minutes": 1440},
    )
    config_set(PolicyConfiguration, berlin, "callback_sla", {"business_hours": True})
    config_set(PolicyConfiguration, company, "callback_assignment", {"capacity": 5})
    busy = Staff.objects.get(company=company, name="Alex Organizer")
    config_set(PolicyConfiguration, busy, "callback_assignment", {"capacity": 2})


def _notifications(company: Company) -> None:
    notification_defaults_install(company)
    berlin = company.branches.get(name="Berlin Mitte")
    config_set(
        NotificationConfiguration,
        berlin,
        "callback_assigned",
        {"channel": "whatsapp", "fallback_channel": "email"},
    )


def _customers(company: Company) -> tuple[Customer, Customer]:
    sam, _ = Customer.objects.get_or_create(
        company=company,
        phone=CALLER_PHONE,
        defaults={
            "phone_raw": CALLER_PHONE,
            "name": "Sam Example",
            "email": "sam.example@example.com",
            "preferred_channel": "sms",
        },
    )
    robin, _ = Customer.objects.get_or_create(
        company=company,
        phone=LATE_CALLER_PHONE,
        defaults={"phone_raw": LATE_CALLER_PHONE, "name": "Robin Late"},
    )
    return sam, robin


def late_appointment(company: Company, now: datetime) -> Appointment:
    """Book Robin a haircut in three hours, too late to cancel for free."""
    _sam, robin = _customers(company)
    downtown = company.branches.get(name="Downtown")
    existing = Appointment.objects.filter(customer=robin).first()
    if existing is not None:
        return existing
    return appointment_create(
        branch=downtown,
        customer=robin,
        service=company.services.get(name="Haircut"),
        staff=Staff.objects.get(company=company, name="Emery Fox"),
        starts_at=(now + timedelta(hours=3)).replace(second=0, microsecond=0),
    )


def demo_settings_install(company: Company) -> None:
    """Install the demo's policies, notification settings and customers once."""
    if PolicyConfiguration.objects.filter(company=company).exists():
        return
    _policies(company)
    _notifications(company)
    _customers(company)
