"""Weekly opening hours and working schedules.

A schedule is a JSON object from weekday name to a list of `[start, end]`
pairs in local wall-clock time, for example
`{"mon": [["09:00", "12:00"], ["13:00", "17:00"]], "sat": []}`. A weekday that
is missing or empty is closed. An interval ends before midnight; "24:00" is
accepted as the end of the day.
"""

from datetime import datetime, time

from django.core.exceptions import ValidationError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _parse_clock(value: object, where: str) -> time:
    if value == "24:00":
        return time.max
    if not isinstance(value, str):
        raise ValidationError(
            "%(where)s: %(value)r is not a time; write it as HH:MM.",
            params={"where": where, "value": value},
        )
    try:
        return time.fromisoformat(value)
    except ValueError as error:
        raise ValidationError(
            "%(where)s: %(value)s is not a time; write it as HH:MM.",
            params={"where": where, "value": value},
        ) from error


def validate_weekly_hours(value: object) -> None:
    if not isinstance(value, dict):
        raise ValidationError(
            'Weekly hours must be an object such as {"mon": [["09:00", "17:00"]]}.'
        )
    for day, intervals in value.items():
        if day not in WEEKDAYS:
            raise ValidationError(
                "%(day)s is not a weekday; use one of %(allowed)s.",
                params={"day": day, "allowed": ", ".join(WEEKDAYS)},
            )
        if not isinstance(intervals, list):
            raise ValidationError(
                "%(day)s: expected a list of [start, end] pairs.", params={"day": day}
            )
        for interval in intervals:
            if not (isinstance(interval, list | tuple) and len(interval) == 2):
                raise ValidationError(
                    "%(day)s: %(interval)r is not a [start, end] pair.",
                    params={"day": day, "interval": interval},
                )
            start = _parse_clock(interval[0], day)
            end = _parse_clock(interval[1], day)
            if end <= start:
                raise ValidationError(
                    "%(day)s: the interval %(start)s-%(end)s ends before it starts.",
                    params={"day": day, "start": interval[0], "end": interval[1]},
                )


def intervals_on(hours: dict, day: datetime) -> list[tuple[time, time]]:
    """Return the open intervals of the local date of `day`."""
    pairs = hours.get(WEEKDAYS[day.weekday()], [])
    return [(_parse_clock(a, "start"), _parse_clock(b, "end")) for a, b in pairs]


def is_within(hours: dict, local: datetime) -> bool:
    """Tell whether the local wall-clock time `local` falls inside `hours`."""
    clock = local.time()
    return any(start <= clock < end for start, end in intervals_on(hours, local))
