"""Phone number normalisation to E.164."""

import phonenumbers
from django.core.exceptions import ValidationError


def normalize_phone(raw: str, region: str = "US") -> str:
    """Return `raw` in E.164, reading national numbers in `region`.

    A number passes when its length is possible for its country. The stricter
    range check (`is_valid_number`) is not used, because carriers pass caller
    numbers from ranges newer than the phonenumbers metadata and reserved test
    numbers such as +1 555 555 0142, and rejecting them would lose the call.
    Raise ValidationError naming the input when the number is not possible.
    """
    text = (raw or "").strip()
    if not text:
        raise ValidationError("Enter a phone number.", code="phone_missing")
    try:
        parsed = phonenumbers.parse(text, region.upper() if region else None)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(
            "%(value)s is not a phone number; enter it with its country code, "
            "for example +1 201 555 0123.",
            params={"value": text},
            code="phone_unparseable",
        ) from error
    length = phonenumbers.is_possible_number_with_reason(parsed)
    if length != phonenumbers.ValidationResult.IS_POSSIBLE:
        raise ValidationError(
            "%(value)s is not a valid phone number for region %(region)s; check "
            "the digits or add the country code.",
            params={"value": text, "region": region},
            code="phone_invalid",
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(e164: str) -> str:
    """Return the number with all but the last two digits hidden, for logs."""
    if len(e164) <= 4:
        return "***"
    return e164[:2] + "*" * (len(e164) - 4) + e164[-2:]
