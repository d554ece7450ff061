from django.conf import settings
from django.db import models
from django.utils import timezone

from callbacks.models.choices import Status


class CallbackStatusChange(models.Model):
    """One transition of a callback request: from, to, when, by whom and why."""

    callback = models.ForeignKey(
        "callbacks.CallbackRequest",
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Status.choices)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assignee = models.ForeignKey(
        "tenants.Staff",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Assignee after the change.",
    )
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]
        indexes = [models.Index(fields=["callback", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} -> {self.to_status}"
