"""Signed requests to the webhook endpoints, as Retell and Cal.com send them."""

import time
from pathlib import Path

from integrations.signatures import calcom_signature, retell_signature

FIXTURES = Path(__file__).parent / "fixtures"

RETELL_KEY = "retell-test-key"
CALCOM_SECRET = "calcom-test-secret"
SLUG = "studio"


def fixture_body(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def retell_headers(body: bytes, key: str = RETELL_KEY, at_ms: int | None = None):
    at_ms = int(time.time() * 1000) if at_ms is None else at_ms
    return {"X-Retell-Signature": retell_signature(body, key, at_ms)}


def calcom_headers(body: bytes, secret: str = CALCOM_SECRET):
    return {"X-Cal-Signature-256": calcom_signature(body, secret)}


def events_url(slug: str = SLUG) -> str:
    return f"/webhooks/retell/{slug}/events/"


def functions_url(slug: str = SLUG) -> str:
    return f"/webhooks/retell/{slug}/functions/"


def calcom_url(slug: str = SLUG) -> str:
    return f"/webhooks/calcom/{slug}/"


def post_retell(client, url: str, body: bytes, headers: dict | None = None):
    headers = retell_headers(body) if headers is None else headers
    return client.post(url, body, content_type="application/json", headers=headers)


def post_calcom(client, body: bytes, headers: dict | None = None, slug: str = SLUG):
    headers = calcom_headers(body) if headers is None else headers
    return client.post(
        calcom_url(slug), body, content_type="application/json", headers=headers
    )
