import pytest

from notifications.backends.base import Message, PermanentError, TransientError
from notifications.backends.email import EmailBackend
from notifications.models import Delivery, DeliveryStatus, SentMessage
from notifications.services.dispatch import notification_event_dispatch
from tenants import events
from tests.factories import StaffFactory
from tests.notifications.factories import notify
from tests.notifications.servers import free_port


def message(to: str) -> Message:
    return Message(
        channel="email",
        to=to,
        subject="Callback assigned",
        text="Call Ana back.",
        html="<p>Call Ana back.</p>",
        company_id=1,
    )


def test_email_accepted_by_server(smtp_server):
    EmailBackend().send(message("ana@example.com"))

    (recipients, content) = smtp_server.messages[0]
    assert recipients == ["ana@example.com"]
    assert b"Subject: Callback assigned" in content
    assert b"Call Ana back." in content
    assert b"<p>Call Ana back.</p>" in content


def test_email_450_is_transient(smtp_server):
    with pytest.raises(TransientError) as raised:
        EmailBackend().send(message("busy@example.com"))

    assert str(raised.value) == (
        "SMTP server replied 450: 4.2.1 Mailbox busy, try again later"
    )
    assert smtp_server.messages == []


def test_email_550_is_permanent(smtp_server):
    with pytest.raises(PermanentError) as raised:
        EmailBackend().send(message("nobody@example.com"))

    assert str(raised.value) == "SMTP server replied 550: 5.1.1 No such user here"
    assert smtp_server.messages == []


def test_email_connection_refused_is_transient(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens there

    with pytest.raises(TransientError) as raised:
        EmailBackend().send(message("ana@example.com"))

    assert str(raised.value).startswith(
        "cannot reach the SMTP server: ConnectionRefusedError"
    )


def test_email_without_address_is_permanent(smtp_server):
    with pytest.raises(PermanentError):
        EmailBackend().send(message(""))

    assert smtp_server.messages == []


@pytest.mark.django_db(transaction=True)
def test_email_rejected_address_falls_back_to_sms(settings, smtp_server):
    settings.NOTIFICATION_BACKENDS = {
        "email": "notifications.backends.email.EmailBackend",
        "sms": "notifications.backends.development.DevelopmentBackend",
    }
    staff = StaffFactory(email="nobody@example.com", phone="+12025550143")
    notify(staff.company, events.CALLBACK_ASSIGNED, fallback_channel="sms")

    notification_event_dispatch(
        events.CALLBACK_ASSIGNED,
        staff.company_id,
        {"callback_id": 1, "assignee_id": staff.pk},
        "evt",
    )

    email = Delivery.objects.get(channel="email")
    assert email.status == DeliveryStatus.FAILED
    assert email.last_error == "SMTP server replied 550: 5.1.1 No such user here"
    assert email.fallback.status == DeliveryStatus.SENT
    assert SentMessage.objects.get().to == "+12025550143"


@pytest.mark.django_db(transaction=True)
def test_email_busy_mailbox_waits_to_retry(settings, smtp_server):
    settings.NOTIFICATION_BACKENDS = {
        "email": "notifications.backends.email.EmailBackend",
        "sms": "notifications.backends.development.DevelopmentBackend",
    }
    staff = StaffFactory(email="busy@example.com", phone="+12025550143")
    notify(staff.company, events.CALLBACK_ASSIGNED, fallback_channel="sms")

    notification_event_dispatch(
        events.CALLBACK_ASSIGNED,
        staff.company_id,
        {"callback_id": 1, "assignee_id": staff.pk},
        "evt",
    )

    email = Delivery.objects.get()
    assert email.status == DeliveryStatus.RETRYING
    assert email.attempts.get().retry_in_seconds == 60
    assert SentMessage.objects.count() == 0
