from django.db import models

from tenants.models import HierarchyConfig


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "SMS"
    WHATSAPP = "whatsapp", "WhatsApp"
    WEBHOOK = "webhook", "Signed webhook"


class Backoff(models.TextChoices):
    EXPONENTIAL = "exponential", "Exponential"
    LINEAR = "linear", "Linear"
    CONSTANT = "constant", "Constant"


class NotificationConfiguration(HierarchyConfig):
    """How one event type is delivered, set on a company, branch, service or staff.

    `kind` is the event type; the keys are described by the schemas in
    `notifications.schemas`.
    """

    family = "notification"

    class Meta:
        verbose_name = "notification configuration"
