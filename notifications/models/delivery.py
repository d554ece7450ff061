from django.db import models
from django.db.models import Q

from notifications.models.configuration import Channel
from tenants.events import EVENT_TYPES

EVENT_CHOICES = [(name, name.replace("_", " ").capitalize()) for name in EVENT_TYPES]


class RecipientType(models.TextChoices):
    STAFF = "staff", "Staff"
    CUSTOMER = "customer", "Customer"
    USER = "user", "Admin user"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    RETRYING = "retrying", "Waiting to retry"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    """One notification of one event occurrence to one recipient on one channel.

    The unique key makes a repeated dispatch of the same event a no-op, and the
    status moves from pending or retrying to sending only through a
    conditional update, so a task delivered twice sends once.
    """

    company = models.ForeignKey(
        "tenants.Company", on_delete=models.CASCADE, related_name="+"
    )
    event_type = models.CharField(max_length=50, choices=EVENT_CHOICES)
    event_key = models.CharField(
        max_length=64, help_text="Identifies one occurrence of the event."
    )
    recipient_type = models.CharField(max_length=10, choices=RecipientType.choices)
    recipient_id = models.BigIntegerField()
    recipient_name = models.CharField(max_length=200, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    address = models.CharField(
        max_length=500,
        blank=True,
        help_text="Email address, E.164 number or webhook URL the message goes to.",
    )
    time_zone = models.CharField(max_length=64, default="UTC")
    payload = models.JSONField(default=dict, blank=True)
    settings = models.JSONField(
        default=dict,
        blank=True,
        help_text="Effective notification configuration when the event happened.",
    )
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    scheduled_for = models.DateTimeField(
        help_text="Earliest time of the next attempt (quiet hours, retries)."
    )
    attempt_count = models.PositiveIntegerField(default=0)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    last_error = models.TextField(blank=True)
    fallback_of = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fallback",
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "recipient_type", "recipient_id", "channel"],
                name="delivery_unique_per_event_recipient_channel",
            )
        ]
        indexes = [
            models.Index(fields=["company", "-created_at"]),
            models.Index(
                fields=["status", "scheduled_for"],
                condition=Q(status__in=["pending", "retrying", "sending"]),
                name="delivery_open",
            ),
        ]

    def __str__(self) -> str:
        recipient = f"{self.recipient_type} {self.recipient_id}"
        return f"{self.event_type} to {recipient} by {self.channel}"


class AttemptOutcome(models.TextChoices):
    STARTED = "started", "Started"
    SENT = "sent", "Sent"
    TRANSIENT = "transient", "Transient failure"
    PERMANENT = "permanent", "Permanent failure"


class DeliveryAttempt(models.Model):
    """One try to send a delivery, written before the send and completed after."""

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="attempts"
    )
    number = models.PositiveIntegerField()
    channel = models.CharField(max_length=10, choices=Channel.choices)
    outcome = models.CharField(
        max_length=10, choices=AttemptOutcome.choices, default=AttemptOutcome.STARTED
    )
    error = models.TextField(blank=True)
    retry_in_seconds = models.PositiveIntegerField(
        null=True, blank=True, help_text="Delay before the next attempt, if any."
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "number"], name="attempt_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"attempt {self.number} of delivery {self.delivery_id}"
