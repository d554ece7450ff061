"""URLs under /webhooks/ that match no endpoint get a JSON 404."""

import pytest

from integrations.models import WebhookEvent

pytestmark = pytest.mark.django_db

PATHS = [
    "/webhooks/retell/%2e%2e/events/",
    "/webhooks/retell/studio%2F..%2Fother/events/",
    "/webhooks/retell/st%00udio/events/",
    "/webhooks/retell/studio/calls/",
    "/webhooks/calcom/",
]


@pytest.mark.parametrize("path", PATHS)
def test_unknown_webhook_url_is_404_json(client, studio, path):
    response = client.post(path, b"{}", content_type="application/json")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == "not_found"
    assert "/webhooks/calcom/<company slug>/" in response.json()["message"]
    assert WebhookEvent.objects.count() == 0


def test_unknown_admin_url_keeps_html_404(admin_client):
    response = admin_client.get("/admin/no-such-app/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
