"""Record messages in the database instead of sending them, for demos and tests."""

import logging

from notifications.backends.base import Message
from notifications.models import SentMessage

logger = logging.getLogger(__name__)


class DevelopmentBackend:
    def send(self, message: Message) -> None:
        SentMessage.objects.create(
            company_id=message.company_id,
            delivery_id=message.delivery_id,
            channel=message.channel,
            to=message.to,
            subject=message.subject,
            text=message.text,
            html=message.html,
        )
        logger.info(
            "development backend recorded a %s message for delivery %s",
            message.channel,
            message.delivery_id,
        )
