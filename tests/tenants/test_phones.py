import pytest
from django.core.exceptions import ValidationError

from tenants.models import Customer
from tenants.phones import mask_phone, normalize_phone
from tests.factories import CompanyFactory


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("(650) 253-0000", "US", "+16502530000"),
        ("650.253.0000", "us", "+16502530000"),
        ("030 901820", "DE", "+4930901820"),
        ("00 49 30 901820", "DE", "+4930901820"),
        ("020 7946 0958", "GB", "+442079460958"),
    ],
)
def test_normalize_phone_national_number_uses_region(raw, region, expected):
    assert normalize_phone(raw, region) == expected


def test_normalize_phone_reserved_test_number_accepted():
    assert normalize_phone("+1 555 555 0142", "DE") == "+15555550142"


@pytest.mark.parametrize("region", ["US", "DE", ""])
def test_normalize_phone_e164_input_ignores_region(region):
    assert normalize_phone(" +44 20 7946 0958 ", region) == "+442079460958"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("call me maybe", "phone_unparseable"),
        ("123", "phone_invalid"),
        ("555-0142", "phone_invalid"),
        ("+1 650 253 00001", "phone_invalid"),
        ("+49 30", "phone_invalid"),
    ],
)
def test_normalize_phone_garbage_names_value(raw, code):
    with pytest.raises(ValidationError) as caught:
        normalize_phone(raw, "US")

    assert caught.value.code == code
    assert raw in caught.value.messages[0]


def test_normalize_phone_empty_input_rejected():
    with pytest.raises(ValidationError) as caught:
        normalize_phone("  ", "US")

    assert caught.value.code == "phone_missing"


def test_mask_phone_hides_all_but_last_two_digits():
    assert mask_phone("+16502530000") == "+1********00"
    assert mask_phone("+49") == "***"


@pytest.mark.django_db
def test_customer_full_clean_fills_phone_from_raw():
    company = CompanyFactory(phone_region="DE")
    customer = Customer(company=company, phone_raw="030 901820", name="Ada")

    customer.full_clean()

    assert customer.phone == "+4930901820"
    assert customer.phone_raw == "030 901820"


@pytest.mark.django_db
def test_customer_full_clean_garbage_phone_rejected():
    company = CompanyFactory(phone_region="US")
    customer = Customer(company=company, phone_raw="12-ab", name="Ada")

    with pytest.raises(ValidationError) as caught:
        customer.full_clean()

    assert "12-ab" in caught.value.message_dict["phone_raw"][0]
    assert customer.phone == ""
    assert not Customer.objects.exists()


@pytest.mark.django_db
def test_customer_phone_unique_per_company():
    company = CompanyFactory()
    Customer.objects.create(company=company, phone="+16502530000", phone_raw="x")
    duplicate = Customer(company=company, phone_raw="(650) 253-0000")
    other_company = Customer(company=CompanyFactory(), phone_raw="(650) 253-0000")

    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()
    other_company.full_clean()

    assert "__all__" in caught.value.message_dict
    assert other_company.phone == "+16502530000"
