"""SMS and WhatsApp through Twilio's Python SDK.

TWILIO_API_BASE_URL replaces the SDK's fixed https://api.twilio.com so that a
regional endpoint, a proxy or a local test server can stand in for it.
"""

import logging
from urllib.parse import urlsplit, urlunsplit

import phonenumbers
import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from twilio.base.exceptions import TwilioException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from notifications.backends.base import Message, PermanentError, TransientError
from tenants.phones import mask_phone

logger = logging.getLogger(__name__)

# Twilio error codes for a number no retry can reach, whatever the HTTP
# status: 21211 invalid 'To' number, 21214 'To' number cannot be reached,
# 21635 'To' number is a landline (https://www.twilio.com/docs/api/errors).
INVALID_NUMBER_CODES = frozenset({21211, 21214, 21635})


class BaseUrlHttpClient(TwilioHttpClient):
    """Send every SDK request to `base_url` instead of the host the SDK chose."""

    def __init__(self, base_url: str, timeout: float) -> None:
        super().__init__(timeout=timeout)
        parts = urlsplit(base_url)
        self.scheme, self.netloc = parts.scheme, parts.netloc

    def request(self, method, url, *args, **kwargs):
        parts = urlsplit(url)
        rewritten = urlunsplit(
            (self.scheme, self.netloc, parts.path, parts.query, parts.fragment)
        )
        return super().request(method, rewritten, *args, **kwargs)


def _check_number(to: str) -> None:
    try:
        parsed = phonenumbers.parse(to, None)
    except phonenumbers.NumberParseException as error:
        raise PermanentError(
            f"{mask_phone(to)} is not a phone number in E.164 form; fix the "
            "recipient's number or choose another channel."
        ) from error
    if not phonenumbers.is_valid_number(parsed):
        raise PermanentError(
            f"{mask_phone(to)} is not a valid phone number; fix the recipient's "
            "number or choose another channel."
        )


class TwilioBackend:
    """Base of the SMS and WhatsApp backends; subclasses set the address form."""

    prefix = ""
    sender_setting = "TWILIO_FROM_NUMBER"

    def __init__(self) -> None:
        sender = getattr(settings, self.sender_setting, "")
        if not (settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN and sender):
            raise ImproperlyConfigured(
                f"Twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and "
                f"{self.sender_setting}; set them or select the development backend."
            )
        self.sender = sender
        self.client = Client(
            settings.TWILIO_ACCOUNT_SID,
            settings.TWILIO_AUTH_TOKEN,
            http_client=BaseUrlHttpClient(
                settings.TWILIO_API_BASE_URL, settings.TWILIO_TIMEOUT
            ),
        )

    def send(self, message: Message) -> None:
        _check_number(message.to)
        try:
            created = self.client.messages.create(
                to=f"{self.prefix}{message.to}",
                from_=f"{self.prefix}{self.sender}",
                body=message.text,
            )
        except TwilioException as error:
            raise _classify(error) from error
        except requests.Timeout as error:
            raise TransientError(f"Twilio timed out: {error}") from error
        except requests.RequestException as error:
            raise TransientError(
                f"cannot reach Twilio: {type(error).__name__}: {error}"
            ) from error
        logger.info(
            "twilio accepted message %s for %s",
            getattr(created, "sid", ""),
            mask_phone(message.to),
        )


def _classify(error: TwilioException) -> Exception:
    status = getattr(error, "status", None)
    code = getattr(error, "code", None)
    detail = getattr(error, "msg", "") or getattr(error, "title", "") or ""
    text = f"Twilio replied HTTP {status} (error {code}): {detail}"
    if code in INVALID_NUMBER_CODES:
        return PermanentError(text)
    if status is None or status == 429 or status >= 500:
        return TransientError(text)
    return PermanentError(text)


class SmsBackend(TwilioBackend):
    pass


class WhatsAppBackend(TwilioBackend):
    prefix = "whatsapp:"
    sender_setting = "TWILIO_WHATSAPP_FROM"
