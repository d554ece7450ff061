from urllib.parse import parse_qs

import pytest
from django.core.exceptions import ImproperlyConfigured

from notifications.backends.base import Message, PermanentError, TransientError
from notifications.backends.twilio import SmsBackend, WhatsAppBackend
from tests.notifications.servers import Reply, free_port

ACCOUNT = "AC" + "0" * 32
CREATED = {"sid": "SM" + "1" * 32, "status": "queued", "account_sid": ACCOUNT}


def message(to: str = "+12025550143") -> Message:
    return Message(channel="sms", to=to, text="Call Ana back.", company_id=1)


def form(request) -> dict[str, list[str]]:
    return parse_qs(request.body.decode())


def test_sms_accepted(twilio_server):
    twilio_server.replies.append(Reply(201, CREATED))

    SmsBackend().send(message())

    (request,) = twilio_server.requests
    assert request.path == f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
    assert form(request) == {
        "To": ["+12025550143"],
        "From": ["+15550100000"],
        "Body": ["Call Ana back."],
    }
    assert request.headers["Authorization"].startswith("Basic ")


def test_whatsapp_uses_whatsapp_addresses(twilio_server):
    twilio_server.replies.append(Reply(201, CREATED))

    WhatsAppBackend().send(message())

    (request,) = twilio_server.requests
    assert form(request)["To"] == ["whatsapp:+12025550143"]
    assert form(request)["From"] == ["whatsapp:+15550100001"]


def test_sms_invalid_number_reply_is_permanent(twilio_server):
    twilio_server.replies.append(
        Reply(400, {"code": 21211, "message": "Invalid 'To' Phone Number"})
    )

    with pytest.raises(PermanentError) as raised:
        SmsBackend().send(message())

    assert "HTTP 400 (error 21211)" in str(raised.value)
    assert "Invalid 'To' Phone Number" in str(raised.value)


def test_sms_other_4xx_is_permanent(twilio_server):
    twilio_server.replies.append(Reply(401, {"code": 20003, "message": "Authenticate"}))

    with pytest.raises(PermanentError):
        SmsBackend().send(message())


def test_sms_429_is_transient(twilio_server):
    twilio_server.replies.append(Reply(429, {"code": 20429, "message": "Too Many"}))

    with pytest.raises(TransientError) as raised:
        SmsBackend().send(message())

    assert "HTTP 429" in str(raised.value)


def test_sms_5xx_is_transient(twilio_server):
    twilio_server.replies.append(Reply(503, "<html>unavailable</html>"))

    with pytest.raises(TransientError) as raised:
        SmsBackend().send(message())

    assert "HTTP 503" in str(raised.value)


def test_sms_timeout_is_transient(twilio_server, settings):
    settings.TWILIO_TIMEOUT = 0.2
    twilio_server.replies.append(Reply(201, CREATED, delay=1.0))

    with pytest.raises(TransientError) as raised:
        SmsBackend().send(message())

    assert str(raised.value).startswith("Twilio timed out")


def test_sms_connection_refused_is_transient(twilio_server, settings):
    settings.TWILIO_API_BASE_URL = f"http://127.0.0.1:{free_port()}"

    with pytest.raises(TransientError) as raised:
        SmsBackend().send(message())

    assert str(raised.value).startswith("cannot reach Twilio: ConnectionError")


@pytest.mark.parametrize("number", ["+1202", "not a number", ""])
def test_sms_invalid_number_is_permanent_without_request(twilio_server, number):
    with pytest.raises(PermanentError) as raised:
        SmsBackend().send(message(number))

    assert "phone number" in str(raised.value)
    assert twilio_server.requests == []


def test_sms_without_credentials_is_improperly_configured(settings):
    settings.TWILIO_ACCOUNT_SID = ""

    with pytest.raises(ImproperlyConfigured) as raised:
        SmsBackend()

    assert "TWILIO_ACCOUNT_SID" in str(raised.value)


def test_sms_error_reply_never_logs_full_number(twilio_server, caplog):
    twilio_server.replies.append(Reply(201, CREATED))

    SmsBackend().send(message())

    assert "+12025550143" not in caplog.text
    assert CREATED["sid"] in caplog.text
