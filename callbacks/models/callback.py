from django.db import models
from django.db.models import Q
from django.utils import timezone

from callbacks.models.choices import (
    OPEN_STATUSES,
    UNREACHED_STATUSES,
    Priority,
    Source,
    Status,
)
from callbacks.models.reference import new_reference


class CallbackRequest(models.Model):
    """A caller waiting for a human to call back."""

    company = models.ForeignKey(
        "tenants.Company", on_delete=models.CASCADE, related_name="callback_requests"
    )
    branch = models.ForeignKey(
        "tenants.Branch", on_delete=models.CASCADE, related_name="callback_requests"
    )
    service = models.ForeignKey(
        "tenants.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="callback_requests",
    )
    customer = models.ForeignKey(
        "tenants.Customer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="callback_requests",
    )
    reference = models.CharField(
        max_length=12, unique=True, default=new_reference, editable=False
    )
    phone = models.CharField(max_length=20, help_text="E.164 number to call back.")
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    window_starts_at = models.DateTimeField(null=True, blank=True)
    window_ends_at = models.DateTimeField(null=True, blank=True)
    priority = models.CharField(
        max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, editable=False
    )
    preferred_staff = models.ForeignKey(
        "tenants.Staff",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="preferred_callbacks",
    )
    assignee = models.ForeignKey(
        "tenants.Staff",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="assigned_callbacks",
    )
    source = models.CharField(
        max_length=20, choices=Source.choices, default=Source.PHONE_AGENT
    )
    retell_call_id = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)
    metadata = models.JSONField(default=dict, blank=True)

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    assigned_at = models.DateTimeField(null=True, blank=True, editable=False)
    contacted_at = models.DateTimeField(null=True, blank=True, editable=False)
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    expired_at = models.DateTimeField(null=True, blank=True, editable=False)

    # SLA bookkeeping, filled from the callback_sla policy.
    due_at = models.DateTimeField(null=True, blank=True, editable=False)
    warn_at = models.DateTimeField(null=True, blank=True, editable=False)
    warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The escalation cooldown lives here so every worker sees the same one.
    escalation_level = models.PositiveSmallIntegerField(default=0, editable=False)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    next_escalation_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "phone"],
                condition=Q(status__in=OPEN_STATUSES),
                name="callback_one_open_per_phone",
            ),
            models.CheckConstraint(
                condition=Q(window_ends_at__isnull=True)
                | Q(window_starts_at__isnull=True)
                | Q(window_ends_at__gt=models.F("window_starts_at")),
                name="callback_window_ends_after_start",
            ),
        ]
        indexes = [
            # The queue: a company's requests by status, soonest due first.
            models.Index(fields=["company", "status", "due_at"], name="cb_queue"),
            # Staff load: open requests per assignee.
            models.Index(
                fields=["assignee", "status"],
                condition=Q(status__in=OPEN_STATUSES),
                name="cb_open_load",
            ),
            # Idle time: the latest assignment per staff member.
            models.Index(fields=["assignee", "assigned_at"], name="cb_last_assigned"),
            # Periodic work across companies: warnings, breaches, expiry, sweep.
            models.Index(
                fields=["status", "next_escalation_at"], name="cb_escalation_due"
            ),
            models.Index(fields=["status", "warn_at"], name="cb_warning_due"),
            models.Index(fields=["status", "expires_at"], name="cb_expiry_due"),
            models.Index(fields=["status", "created_at"], name="cb_status_created"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, now=None) -> bool:
        now = now or timezone.now()
        unreached = self.status in UNREACHED_STATUSES
        return unreached and self.due_at is not None and self.due_at <= now
