"""The per-company secrets that sign outgoing webhooks."""

import logging

from django.utils import timezone

from notifications.models import WebhookSigningKey
from notifications.models.webhook_key import new_secret

logger = logging.getLogger(__name__)


def webhook_key_for(company_id: int) -> WebhookSigningKey:
    """Return the company's signing key, creating it on first use."""
    key, created = WebhookSigningKey.objects.get_or_create(company_id=company_id)
    if created:
        logger.info("webhook signing key of company %s created", company_id)
    return key


def webhook_key_rotate(key: WebhookSigningKey) -> WebhookSigningKey:
    """Replace the secret; receivers must switch to the new one at once."""
    key.secret = new_secret()
    key.rotated_at = timezone.now()
    key.save(update_fields=["secret", "rotated_at"])
    logger.info("webhook signing key of company %s rotated", key.company_id)
    return key
