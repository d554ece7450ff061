"""A starting notification setup for a new company."""

from notifications.models import NotificationConfiguration
from tenants import events
from tenants.configuration.services import config_set
from tenants.models import Company

STAFF_ALERT = {"channel": "sms", "fallback_channel": "email"}
CUSTOMER_NOTICE = {
    "channel": "sms",
    "fallback_channel": "email",
    "quiet_hours": {"start": "21:00", "end": "08:00"},
}

COMPANY_DEFAULTS = {
    events.CALLBACK_CREATED: {"channel": "email"},
    events.CALLBACK_ASSIGNED: STAFF_ALERT,
    events.CALLBACK_SLA_WARNING: {**STAFF_ALERT, "critical": True},
    events.CALLBACK_ESCALATED: {**STAFF_ALERT, "critical": True},
    events.CALLBACK_EXPIRED: {"channel": "email"},
    events.APPOINTMENT_CANCELLED: CUSTOMER_NOTICE,
    events.APPOINTMENT_RESCHEDULED: CUSTOMER_NOTICE,
    events.POLICY_VIOLATION: {"channel": "email"},
}


def notification_defaults_install(company: Company) -> list[NotificationConfiguration]:
    """Configure every event at company level unless the company already has.

    Returns the configurations created; existing rows are left unchanged.
    """
    existing = set(
        NotificationConfiguration.objects.filter(
            company=company, level="company", object_id=company.pk
        ).values_list("kind", flat=True)
    )
    return [
        config_set(NotificationConfiguration, company, event, values)
        for event, values in COMPANY_DEFAULTS.items()
        if event not in existing
    ]
