"""Outgoing webhooks signed with HMAC-SHA256.

The receiver recomputes `hex(HMAC-SHA256(secret, "<timestamp>.<body>"))` with
the company's signing key and compares it with X-Switchboard-Signature; the
timestamp (Unix seconds, X-Switchboard-Timestamp) lets it reject replays.
"""

import hashlib
import hmac
import json
import time

import requests
from django.conf import settings

from notifications.backends.base import Message, PermanentError, TransientError
from notifications.services.webhook_keys import webhook_key_for

SIGNATURE_HEADER = "X-Switchboard-Signature"
TIMESTAMP_HEADER = "X-Switchboard-Timestamp"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


class WebhookBackend:
    def send(self, message: Message) -> None:
        if not message.to.startswith(("http://", "https://")):
            raise PermanentError(
                f"{message.to!r} is not a webhook URL; set webhook_url in the "
                "notification configuration."
            )
        body = json.dumps(
            {
                "event": message.event_type,
                "delivery_id": message.delivery_id,
                "subject": message.subject,
                "text": message.text,
                "data": message.data,
            },
            separators=(",", ":"),
            sort_keys=True,
            default=str,
        ).encode()
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: sign(
                webhook_key_for(message.company_id).secret, timestamp, body
            ),
        }
        try:
            response = requests.post(
                message.to,
                data=body,
                headers=headers,
                timeout=settings.NOTIFICATION_WEBHOOK_TIMEOUT,
                allow_redirects=False,
            )
        except requests.Timeout as error:
            raise TransientError(f"webhook timed out: {error}") from error
        except requests.RequestException as error:
            raise TransientError(
                f"cannot reach the webhook: {type(error).__name__}: {error}"
            ) from error
        status = response.status_code
        if 200 <= status < 300:
            return
        text = f"webhook replied HTTP {status}: {response.text[:200]}"
        if status in (408, 429) or status >= 500:
            raise TransientError(text)
        raise PermanentError(text)
