import hashlib
import hmac
import json
import time

import pytest

from notifications.backends.base import Message, PermanentError, TransientError
from notifications.backends.webhook import WebhookBackend, sign
from notifications.models import WebhookSigningKey
from tests.factories import CompanyFactory
from tests.notifications.servers import Reply, free_port

pytestmark = pytest.mark.django_db


def message(company_id: int, url: str) -> Message:
    return Message(
        channel="webhook",
        to=url,
        subject="Callback assigned",
        text="Call Ana back.",
        company_id=company_id,
        event_type="callback_assigned",
        delivery_id=12,
        data={"callback_id": 3},
    )


def test_webhook_signed_with_company_secret(http_server):
    company = CompanyFactory()
    key = WebhookSigningKey.objects.create(company=company, secret="s3cret")
    before = int(time.time())

    WebhookBackend().send(message(company.pk, f"{http_server.url}/hook"))

    (request,) = http_server.requests
    timestamp = request.headers["X-Switchboard-Timestamp"]
    expected = hmac.new(
        key.secret.encode(), timestamp.encode() + b"." + request.body, hashlib.sha256
    ).hexdigest()
    assert request.path == "/hook"
    assert request.headers["X-Switchboard-Signature"] == expected
    assert before <= int(timestamp) <= int(time.time())
    assert json.loads(request.body) == {
        "event": "callback_assigned",
        "delivery_id": 12,
        "subject": "Callback assigned",
        "text": "Call Ana back.",
        "data": {"callback_id": 3},
    }


def test_webhook_secret_differs_per_company(http_server):
    first, second = CompanyFactory(), CompanyFactory()

    WebhookBackend().send(message(first.pk, http_server.url))
    WebhookBackend().send(message(second.pk, http_server.url))

    signatures = {r.headers["X-Switchboard-Signature"] for r in http_server.requests}
    secrets = set(WebhookSigningKey.objects.values_list("secret", flat=True))
    assert len(signatures) == 2
    assert len(secrets) == 2


def test_sign_known_vector():
    assert (
        sign("key", 1700000000, b'{"a":1}')
        == hmac.new(b"key", b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
    )


@pytest.mark.parametrize("status", [400, 401, 404, 410])
def test_webhook_4xx_is_permanent(http_server, status):
    http_server.replies.append(Reply(status, {"error": "nope"}))

    with pytest.raises(PermanentError) as raised:
        WebhookBackend().send(message(CompanyFactory().pk, http_server.url))

    assert str(raised.value) == f'webhook replied HTTP {status}: {{"error": "nope"}}'


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503])
def test_webhook_retryable_status_is_transient(http_server, status):
    http_server.replies.append(Reply(status, "busy"))

    with pytest.raises(TransientError) as raised:
        WebhookBackend().send(message(CompanyFactory().pk, http_server.url))

    assert str(raised.value) == f"webhook replied HTTP {status}: busy"


def test_webhook_timeout_is_transient(http_server, settings):
    settings.NOTIFICATION_WEBHOOK_TIMEOUT = 0.2
    http_server.replies.append(Reply(200, {}, delay=1.0))

    with pytest.raises(TransientError) as raised:
        WebhookBackend().send(message(CompanyFactory().pk, http_server.url))

    assert str(raised.value).startswith("webhook timed out")


def test_webhook_connection_refused_is_transient():
    url = f"http://127.0.0.1:{free_port()}/hook"

    with pytest.raises(TransientError) as raised:
        WebhookBackend().send(message(CompanyFactory().pk, url))

    assert str(raised.value).startswith("cannot reach the webhook: ConnectionError")


def test_webhook_without_url_is_permanent(http_server):
    with pytest.raises(PermanentError):
        WebhookBackend().send(message(CompanyFactory().pk, ""))

    assert http_server.requests == []
