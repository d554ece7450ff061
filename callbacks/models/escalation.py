from django.conf import settings
from django.db import models
from django.utils import timezone


class EscalationReason(models.TextChoices):
    SLA_BREACH = "sla_breach", "SLA breached"
    MANUAL = "manual", "Escalated by staff"
    CONTACT_FAILED = "contact_failed", "Contact attempts failed"


class EscalationLevel(models.IntegerChoices):
    """Rungs of the ladder, climbed one per escalation."""

    REASSIGN = 1, "Reassigned to another staff member"
    BRANCH_MANAGER = 2, "Branch manager"
    COMPANY_MANAGER = 3, "Company manager"


class Escalation(models.Model):
    callback = models.ForeignKey(
        "callbacks.CallbackRequest",
        on_delete=models.CASCADE,
        related_name="escalations",
    )
    level = models.PositiveSmallIntegerField(choices=EscalationLevel.choices)
    reason = models.CharField(max_length=20, choices=EscalationReason.choices)
    details = models.TextField(blank=True)
    from_staff = models.ForeignKey(
        "tenants.Staff",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    to_staff = models.ForeignKey(
        "tenants.Staff",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved = models.BooleanField(default=False)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["callback", "resolved"])]

    def __str__(self) -> str:
        return f"level {self.level} ({self.reason})"
