from django.db import models
from django.utils import timezone


class Provider(models.TextChoices):
    RETELL = "retell", "Retell"
    CALCOM = "calcom", "Cal.com"


class EventKind(models.TextChoices):
    CALL_EVENT = "call_event", "Call event"
    FUNCTION_CALL = "function_call", "In-call function"
    BOOKING_EVENT = "booking_event", "Booking event"


class EventStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    PROCESSING = "processing", "Processing"
    PROCESSED = "processed", "Processed"
    FAILED = "failed", "Failed"
    IGNORED = "ignored", "Ignored"


class WebhookEvent(models.Model):
    """One accepted webhook request, stored raw before anything processes it.

    The unique key makes a redelivery of the same event a no-op: providers
    retry, and the second copy must not have a second effect.
    """

    company = models.ForeignKey(
        "tenants.Company", on_delete=models.CASCADE, related_name="webhook_events"
    )
    provider = models.CharField(max_length=10, choices=Provider.choices)
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    event = models.CharField(
        max_length=100, help_text="Event type or in-call function name."
    )
    external_id = models.CharField(
        max_length=200, blank=True, help_text="Retell call id or Cal.com booking uid."
    )
    idempotency_key = models.CharField(max_length=300)
    body = models.TextField(help_text="The request body exactly as received.")
    headers = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=EventStatus.choices, default=EventStatus.RECEIVED
    )
    attempts = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    outcome = models.CharField(max_length=200, blank=True)
    response = models.JSONField(
        null=True, blank=True, help_text="Answer returned to an in-call function."
    )

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "company", "idempotency_key"],
                name="webhook_event_unique_delivery",
            )
        ]
        indexes = [
            models.Index(fields=["status", "received_at"]),
            models.Index(fields=["company", "-received_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} {self.event} {self.external_id}"
