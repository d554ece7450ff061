"""SLA deadlines: the policy's target counted in calendar or business time."""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from callbacks.hours import intervals_of_day
from callbacks.policy import SlaPolicy
from tenants.models import Branch

logger = logging.getLogger(__name__)

# A branch with opening hours opens at least once a year; past this many days
# of searching the hours are unusable (only holidays, for example).
MAX_SEARCH_DAYS = 370


@dataclass(frozen=True)
class Deadlines:
    due_at: datetime
    warn_at: datetime
    expires_at: datetime


def add_business_time(start: datetime, duration: timedelta, branch: Branch) -> datetime:
    """Return the moment `duration` of the branch's open time after `start`.

    Open time is the branch's opening hours in its time zone, minus its public
    holidays. A branch without opening hours counts calendar time.
    """
    start = start.astimezone(UTC)
    if not branch.opening_hours:
        return start + duration
    zone = ZoneInfo(branch.time_zone)
    remaining = duration
    day = start.astimezone(zone).date()
    for _ in range(MAX_SEARCH_DAYS):
        if not branch.is_holiday(day):
            for opens, closes in intervals_of_day(branch.opening_hours, day, zone):
                begin = max(opens, start)
                if begin >= closes:
                    continue
                if remaining <= closes - begin:
                    return begin + remaining
                remaining -= closes - begin
        day += timedelta(days=1)
    logger.warning(
        "branch %s has no usable opening hours; counting calendar time", branch.pk
    )
    return start + duration


def deadlines_for(
    *,
    priority: str,
    created_at: datetime,
    window_starts_at: datetime | None,
    branch: Branch,
    policy: SlaPolicy,
) -> Deadlines:
    """Compute due, warning and expiry times of a request.

    The clock starts when the request is created, or at the start of the
    caller's window when that is later.
    """
    # Aware datetimes add timedeltas in wall-clock time of their own zone, so
    # a local start would gain or lose an hour across a DST change.
    start = created_at.astimezone(UTC)
    if window_starts_at is not None and window_starts_at > start:
        start = window_starts_at.astimezone(UTC)
    target = policy.target(priority)
    if policy.business_hours:
        due_at = add_business_time(start, target, branch)
    else:
        due_at = start + target
    return Deadlines(
        due_at=due_at,
        warn_at=due_at - policy.warning,
        expires_at=due_at + policy.expire_after,
    )
