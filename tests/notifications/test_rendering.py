import pytest

from notifications import rendering
from notifications.rendering import _related_row
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer_as_callback(monkeypatch):
    """Stand in a tenant model with a company for a callback request."""
    monkeypatch.setitem(
        rendering.RELATED_MODELS, "callback", ("tenants", "Customer", "callback_id")
    )


def test_related_row_loads_plain_fields(customer_as_callback):
    customer = CustomerFactory(name="Bo", email="bo@example.com")

    row = _related_row("callback", customer.company_id, {"callback_id": customer.pk})

    assert row["name"] == "Bo"
    assert row["email"] == "bo@example.com"
    assert row["company_id"] == customer.company_id


def test_related_row_of_other_company_is_none(customer_as_callback):
    customer = CustomerFactory()
    other = CustomerFactory()

    row = _related_row("callback", other.company_id, {"callback_id": customer.pk})

    assert row is None


def test_related_row_missing_model_is_none(monkeypatch):
    monkeypatch.setitem(
        rendering.RELATED_MODELS, "callback", ("callbacks", "Nothing", "callback_id")
    )

    assert _related_row("callback", 1, {"callback_id": 5}) is None


def test_related_row_model_without_company_is_none(monkeypatch):
    monkeypatch.setitem(
        rendering.RELATED_MODELS, "callback", ("tenants", "Company", "callback_id")
    )

    assert _related_row("callback", 1, {"callback_id": 1}) is None
