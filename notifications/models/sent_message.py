from django.db import models


class SentMessage(models.Model):
    """A message the development backend recorded instead of sending it."""

    company = models.ForeignKey(
        "tenants.Company",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    delivery = models.ForeignKey(
        "notifications.Delivery",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    channel = models.CharField(max_length=10)
    to = models.CharField(max_length=500)
    subject = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.channel} to {self.to}"
