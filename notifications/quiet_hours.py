"""Quiet hours: a local time window, possibly crossing midnight, when messages wait."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _local_instant(day, clock: time, zone: ZoneInfo) -> datetime:
    # A wall time inside a spring-forward gap does not exist; the round trip
    # through UTC moves it to the first valid instant after the gap.
    naive = datetime.combine(day, clock)
    return naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)


def quiet_hours_end(
    now: datetime, time_zone: str, start: str, end: str
) -> datetime | None:
    """Return when the quiet window that contains `now` ends, or None if outside.

    `start` and `end` are local HH:MM wall times in `time_zone`. The result is
    aware and in UTC; it is computed from local dates, so a window that spans
    a daylight-saving change lasts an hour more or less in real time.
    """
    zone = ZoneInfo(time_zone)
    local = now.astimezone(zone)
    start_clock, end_clock = _clock(start), _clock(end)
    clock = local.time()
    today = local.date()

    if start_clock < end_clock:
        inside = start_clock <= clock < end_clock
        end_day = today
    else:
        # The window crosses midnight: evening part today, morning part after.
        if clock >= start_clock:
            inside, end_day = True, today + timedelta(days=1)
        elif clock < end_clock:
            inside, end_day = True, today
        else:
            inside = False
    if not inside:
        return None
    return _local_instant(end_day, end_clock, zone).astimezone(UTC)
