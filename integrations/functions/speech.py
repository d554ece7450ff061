"""Dates, times and amounts worded for the phone agent to speak."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo


def clock_text(moment: datetime) -> str:
    """Return "9 AM" or "4:30 PM"."""
    hour = moment.hour % 12 or 12
    suffix = "AM" if moment.hour < 12 else "PM"
    if moment.minute == 0:
        return f"{hour} {suffix}"
    return f"{hour}:{moment.minute:02d} {suffix}"


def day_text(moment: datetime, now: datetime) -> str:
    """Return "today", "tomorrow", "on Friday" or "on Friday, June 12".

    Both datetimes must be in the caller's local time zone.
    """
    days = (moment.date() - now.date()).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if 1 < days < 7:
        return f"on {moment:%A}"
    return f"on {moment:%A}, {moment:%B} {moment.day}"


def deadline_text(due_at: datetime, now: datetime, time_zone: str) -> str:
    """Return when a callback is due, e.g. "today by 4:30 PM"."""
    zone = ZoneInfo(time_zone)
    local_due = due_at.astimezone(zone)
    local_now = now.astimezone(zone)
    if local_due - local_now < timedelta(hours=1):
        return "within the hour"
    return f"{day_text(local_due, local_now)} by {clock_text(local_due)}"


def window_text(
    starts_at: datetime, ends_at: datetime | None, now: datetime, time_zone: str
) -> str:
    """Return when a callback window opens, e.g. "today between 2 and 5 PM"."""
    zone = ZoneInfo(time_zone)
    local_start = starts_at.astimezone(zone)
    day = day_text(local_start, now.astimezone(zone))
    if ends_at is None:
        return f"{day} from {clock_text(local_start)}"
    local_end = ends_at.astimezone(zone)
    return f"{day} between {clock_text(local_start)} and {clock_text(local_end)}"


def appointment_text(starts_at: datetime, time_zone: str) -> str:
    """Return "Friday, June 5 at 10:30 AM" in the branch's time zone."""
    local = starts_at.astimezone(ZoneInfo(time_zone))
    return f"{local:%A}, {local:%B} {local.day} at {clock_text(local)}"


def money_text(amount: Decimal, currency: str) -> str:
    return f"{amount:.2f} {currency}".strip()
