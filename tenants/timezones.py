import zoneinfo

from django.core.exceptions import ValidationError


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(
            "%(value)s is not a known time zone; use an IANA name such as "
            "Europe/Berlin or America/New_York.",
            params={"value": value},
            code="invalid_time_zone",
        ) from error
