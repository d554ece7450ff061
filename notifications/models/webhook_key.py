import secrets

from django.db import models


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class WebhookSigningKey(models.Model):
    """The secret that signs a company's outgoing webhooks (HMAC-SHA256)."""

    company = models.OneToOneField(
        "tenants.Company", on_delete=models.CASCADE, related_name="+"
    )
    secret = models.CharField(max_length=100, default=new_secret)
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"webhook signing key of company {self.company_id}"
