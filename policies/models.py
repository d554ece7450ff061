from django.db import models

from tenants.models import HierarchyConfig


class PolicyType(models.TextChoices):
    CANCELLATION = "cancellation", "Cancellation"
    RESCHEDULE = "reschedule", "Reschedule"
    RECURRING = "recurring", "Recurring appointments"
    CALLBACK_SLA = "callback_sla", "Callback SLA"
    CALLBACK_ASSIGNMENT = "callback_assignment", "Callback assignment"
    BOOKING = "booking", "Booking by phone"
    CANCELLATION_BY_PHONE = "cancellation_by_phone", "Cancellation by phone"
    CALLBACK_SERVICE = "callback_service", "Callback service"


class PolicyConfiguration(HierarchyConfig):
    """Policy keys of one type attached to a company, branch, service or staff."""

    family = "policy"

    class Meta:
        verbose_name = "policy configuration"
