"""Policy checks read the policy from the database while the cache is unreachable.

The cache points at a closed loopback port, so every cache call fails to
connect. Decisions must still reflect the stored policy, the outage must be
logged as a warning, and no request may end in a server error.
"""

import logging
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from django.test import override_settings

from policies.engine.core import can_cancel
from policies.models import PolicyConfiguration
from tenants.configuration import cache as config_cache
from tenants.configuration.services import config_set
from tests.appointments.factories import AppointmentFactory
from tests.integrations.signing import (
    fixture_body,
    functions_url,
    post_retell,
    retell_headers,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 16, 0, tzinfo=UTC)  # Monday 12:00 in New York
CLOSED_PORT_CACHE = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
    }
}


@pytest.fixture
def appointment(studio):
    with time_machine.travel(NOW, tick=False):
        config_set(
            PolicyConfiguration,
            studio.company,
            "cancellation",
            {"hours_before": 24, "fee": "15.00"},
        )
        yield AppointmentFactory(
            company=studio.company,
            branch=studio.branch,
            customer=studio.customer,
            service=studio.service,
            staff=studio.staff,
            starts_at=datetime(2026, 6, 5, 14, 30, tzinfo=UTC),
            ends_at=datetime(2026, 6, 5, 15, 15, tzinfo=UTC),
            price="45.00",
            currency="USD",
        )


@pytest.fixture
def cache_down(monkeypatch):
    # The resolver logs the first failure and then every hundredth one.
    monkeypatch.setattr(config_cache, "_failures", 0)
    with override_settings(CACHES=CLOSED_PORT_CACHE):
        yield


def test_can_cancel_without_cache_reads_database(appointment, cache_down, caplog):
    with caplog.at_level(logging.WARNING, logger="tenants.configuration.cache"):
        decision = can_cancel(appointment, at=NOW)

    assert decision.allowed is True
    assert decision.fee == Decimal("15.00")
    assert [record.levelno for record in caplog.records] == [logging.WARNING]
    assert "using the database" in caplog.records[0].getMessage()


def test_check_cancellation_without_cache_answers(
    client, appointment, cache_down, caplog
):
    body = fixture_body("retell/function_check_cancellation.json")

    with (
        time_machine.travel(NOW, tick=False),
        caplog.at_level(logging.WARNING, logger="tenants.configuration.cache"),
    ):
        response = post_retell(client, functions_url(), body)

    assert response.status_code == 200
    assert response.json() == {
        "result": "allowed",
        "allowed": True,
        "reason": "allowed",
        "fee": "15.00",
        "currency": "USD",
        "appointment_id": appointment.pk,
        "message": "You can cancel for a fee of 15.00 USD.",
    }
    assert "using the database" in caplog.text


def test_rejected_signature_without_cache_is_401(client, appointment, cache_down):
    body = fixture_body("retell/function_check_cancellation.json")

    with time_machine.travel(NOW, tick=False):
        response = post_retell(
            client, functions_url(), body, retell_headers(body, key="wrong-key")
        )

    assert response.status_code == 401
    assert response.json()["error"] == "signature_invalid"
