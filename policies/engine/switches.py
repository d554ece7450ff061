"""Phone-agent switches: whether the agent may act, and during which hours."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from policies.engine.decision import Reason
from tenants.configuration.resolver import EffectiveConfig
from tenants.schedules import is_within


@dataclass(frozen=True)
class SwitchVerdict:
    reason: Reason
    custom_message: str | None = None


def check_switch(
    switch: EffectiveConfig, at: datetime, time_zone: Callable[[], str]
) -> SwitchVerdict | None:
    """Return why the switch blocks the agent at `at`, or None when it does not.

    `allowed_hours` are wall-clock hours in the branch's zone, which
    `time_zone` returns. It is called only when the switch sets hours, because
    reading the branch may cost a query.
    """
    if switch.get("enabled") is False:
        return SwitchVerdict(
            Reason.NOT_ALLOWED_BY_PHONE, switch.get("disabled_message") or None
        )
    hours = switch.get("allowed_hours")
    if hours is None:
        return None
    if not is_within(hours, at.astimezone(ZoneInfo(time_zone()))):
        return SwitchVerdict(Reason.OUTSIDE_ALLOWED_HOURS)
    return None
