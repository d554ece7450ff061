"""Methods /healthz accepts, and the JSON it returns for the others."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_healthz_unsafe_method_is_405_json(method):
    # The default test client skips the CSRF check that real requests get.
    client = Client(enforce_csrf_checks=True)

    response = getattr(client, method)("/healthz", "x", content_type="text/plain")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json() == {
        "error": "method_not_allowed",
        "message": "/healthz accepts only GET and HEAD requests.",
    }


def test_healthz_head_is_200(client):
    response = client.head("/healthz")

    assert response.status_code == 200
    assert response.content == b""
