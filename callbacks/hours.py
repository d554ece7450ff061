"""Weekly schedules turned into real moments, correct across DST changes.

Schedules are local wall-clock hours (see tenants.schedules). Every interval
is converted to UTC before any arithmetic, because subtracting two aware
datetimes that share a tzinfo ignores the offset change between them.
"""

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tenants.schedules import intervals_on


def _moment(day: date, clock: time, zone: ZoneInfo) -> datetime:
    if clock == time.max:
        # "24:00" closes the day: the interval runs to the next midnight.
        return datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC)
    # A wall-clock time skipped by a DST change (fold=0) reads with the offset
    # before the change, so it lands just after the gap.
    return datetime.combine(day, clock, zone).astimezone(UTC)


def intervals_of_day(
    hours: dict, day: date, zone: ZoneInfo
) -> Iterator[tuple[datetime, datetime]]:
    """Yield the open intervals of the local date `day` as UTC datetimes."""
    for start, end in intervals_on(hours, day):
        opens, closes = _moment(day, start, zone), _moment(day, end, zone)
        if closes > opens:
            yield opens, closes


def works_during(
    hours: dict, zone: ZoneInfo, starts: datetime, ends: datetime | None = None
) -> bool:
    """Tell whether `hours` are open at `starts`, or at any time until `ends`."""
    ends = ends if ends is not None and ends > starts else starts
    day = starts.astimezone(zone).date() - timedelta(days=1)
    last_day = ends.astimezone(zone).date()
    while day <= last_day:
        for opens, closes in intervals_of_day(hours, day, zone):
            if starts == ends and opens <= starts < closes:
                return True
            if starts != ends and opens < ends and closes > starts:
                return True
        day += timedelta(days=1)
    return False
