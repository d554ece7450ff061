from django.conf import settings
from django.db import models
from django.utils import timezone


class AttemptOutcome(models.TextChoices):
    REACHED = "reached", "Reached"
    NO_ANSWER = "no_answer", "No answer"
    BUSY = "busy", "Busy"
    VOICEMAIL = "voicemail", "Left a voicemail"
    WRONG_NUMBER = "wrong_number", "Wrong number"


class ContactAttempt(models.Model):
    """One try to reach the caller, successful or not."""

    callback = models.ForeignKey(
        "callbacks.CallbackRequest",
        on_delete=models.CASCADE,
        related_name="contact_attempts",
    )
    staff = models.ForeignKey(
        "tenants.Staff",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(max_length=20, choices=AttemptOutcome.choices)
    notes = models.TextField(blank=True)
    attempted_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["attempted_at", "id"]

    def __str__(self) -> str:
        return f"{self.outcome} at {self.attempted_at:%Y-%m-%d %H:%M}"
