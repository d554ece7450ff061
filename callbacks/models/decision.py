from django.db import models
from django.utils import timezone


class DecisionOutcome(models.TextChoices):
    ASSIGNED = "assigned", "Assigned"
    NO_CANDIDATE = "no_candidate", "Nobody eligible"
    SKIPPED = "skipped", "Request no longer pending"


class AssignmentDecision(models.Model):
    """Why one automatic assignment attempt chose whom it chose.

    `candidates` lists every staff member considered, with the tiers they
    belong to, their load and capacity, the reason they were dropped (empty
    for eligible ones) and their ranking score.
    """

    callback = models.ForeignKey(
        "callbacks.CallbackRequest",
        on_delete=models.CASCADE,
        related_name="assignment_decisions",
    )
    created_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=20, choices=DecisionOutcome.choices)
    tier = models.CharField(max_length=20, blank=True)
    winner = models.ForeignKey(
        "tenants.Staff",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    winner_load = models.PositiveIntegerField(
        null=True, blank=True, help_text="Open requests the winner held when chosen."
    )
    reference_time = models.DateTimeField(
        help_text="The moment eligibility was judged for: now or the window start."
    )
    candidates = models.JSONField(default=list)
    trigger = models.CharField(
        max_length=20,
        blank=True,
        help_text="What started the attempt: task, escalation or admin.",
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["callback", "created_at"])]

    def __str__(self) -> str:
        return f"{self.outcome} ({self.tier or 'no tier'})"
