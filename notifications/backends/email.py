"""Email through Django's email framework (settings.EMAIL_BACKEND)."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from notifications.backends.base import Message, PermanentError, TransientError


def _classify(code: int, detail: str) -> Exception:
    text = f"SMTP server replied {code}: {detail}"
    if 400 <= code < 500:
        return TransientError(text)
    return PermanentError(text)


def _reply_text(raw: bytes | str) -> str:
    return raw.decode(errors="replace") if isinstance(raw, bytes) else str(raw)


class EmailBackend:
    def send(self, message: Message) -> None:
        if not message.to or "@" not in message.to:
            raise PermanentError(
                f"{message.to!r} is not an email address; add one to the recipient "
                "or choose another channel."
            )
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
            connection=get_connection(
                fail_silently=False, timeout=settings.NOTIFICATION_EMAIL_TIMEOUT
            ),
        )
        if message.html:
            email.attach_alternative(message.html, "text/html")
        try:
            email.send()
        except smtplib.SMTPRecipientsRefused as error:
            code, detail = next(iter(error.recipients.values()))
            raise _classify(code, _reply_text(detail)) from error
        except smtplib.SMTPResponseException as error:
            raise _classify(error.smtp_code, _reply_text(error.smtp_error)) from error
        except smtplib.SMTPServerDisconnected as error:
            raise TransientError(f"SMTP server disconnected: {error}") from error
        except smtplib.SMTPException as error:
            raise TransientError(f"SMTP failed: {error}") from error
        except OSError as error:
            # Connection refused, host unreachable, timeouts.
            raise TransientError(
                f"cannot reach the SMTP server: {type(error).__name__}: {error}"
            ) from error
