from django.db import models


class CallStatus(models.TextChoices):
    REGISTERED = "registered", "Registered"
    ONGOING = "ongoing", "Ongoing"
    NOT_CONNECTED = "not_connected", "Not connected"
    ENDED = "ended", "Ended"
    ERROR = "error", "Error"


# A call only moves forward: an older event delivered late never takes a
# finished call back to "ongoing". Terminal states share the highest rank.
STATUS_RANK = {
    CallStatus.REGISTERED: 0,
    CallStatus.ONGOING: 1,
    CallStatus.NOT_CONNECTED: 2,
    CallStatus.ENDED: 2,
    CallStatus.ERROR: 2,
}


class Direction(models.TextChoices):
    INBOUND = "inbound", "Inbound"
    OUTBOUND = "outbound", "Outbound"


class Call(models.Model):
    """A phone call the Retell agent took or made, inbound or outbound."""

    company = models.ForeignKey(
        "tenants.Company", on_delete=models.CASCADE, related_name="calls"
    )
    branch = models.ForeignKey(
        "tenants.Branch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
        help_text="Branch that owns the dialled number.",
    )
    customer = models.ForeignKey(
        "tenants.Customer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
    )
    call_id = models.CharField(max_length=100)
    agent_id = models.CharField(max_length=100, blank=True)
    direction = models.CharField(
        max_length=10, choices=Direction.choices, default=Direction.INBOUND
    )
    from_number = models.CharField(max_length=32, blank=True)
    to_number = models.CharField(max_length=32, blank=True)
    status = models.CharField(
        max_length=15, choices=CallStatus.choices, default=CallStatus.REGISTERED
    )
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    disconnection_reason = models.CharField(max_length=100, blank=True)
    summary = models.TextField(blank=True)
    sentiment = models.CharField(max_length=30, blank=True)
    successful = models.BooleanField(null=True, blank=True)
    in_voicemail = models.BooleanField(null=True, blank=True)
    custom_analysis = models.JSONField(default=dict, blank=True)
    transcript = models.TextField(blank=True)
    recording_url = models.URLField(max_length=500, blank=True)
    cost_cents = models.DecimalField(
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Retell's combined cost of the call, in cents.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "call_id"], name="call_id_unique_per_company"
            )
        ]
        indexes = [models.Index(fields=["company", "-started_at"])]

    def __str__(self) -> str:
        return self.call_id


class CallEvent(models.Model):
    """A call event that was applied to a Call, in the order it was processed."""

    company = models.ForeignKey("tenants.Company", on_delete=models.CASCADE)
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="events")
    webhook_event = models.ForeignKey(
        "integrations.WebhookEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="call_events",
    )
    event = models.CharField(max_length=50)
    status_after = models.CharField(max_length=15, choices=CallStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.call} {self.event}"
