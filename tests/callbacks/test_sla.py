"""SLA deadlines in New York business hours (Mon-Fri 09:00-17:00)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from callbacks.policy import sla_policy
from callbacks.services import callback_create
from callbacks.sla import deadlines_for
from policies.models import PolicyConfiguration
from tenants.configuration.services import config_set
from tests.factories import ALWAYS, BranchFactory

pytestmark = pytest.mark.django_db(transaction=True)

NEW_YORK = ZoneInfo("America/New_York")


def _local(*args) -> datetime:
    return datetime(*args, tzinfo=NEW_YORK)


@pytest.fixture
def branch():
    branch = BranchFactory(holiday_country="US", holiday_region="NY")
    config_set(PolicyConfiguration, branch, "callback_sla", {"business_hours": True})
    return branch


def _due(branch, created_at, priority="high", window_starts_at=None) -> datetime:
    policy = sla_policy(branch.company_id, branch.pk, None)
    deadlines = deadlines_for(
        priority=priority,
        created_at=created_at,
        window_starts_at=window_starts_at,
        branch=branch,
        policy=policy,
    )
    return deadlines.due_at


def test_sla_business_hours_within_one_day(branch):
    due = _due(branch, _local(2030, 3, 4, 9, 30))

    assert due == _local(2030, 3, 4, 13, 30)


def test_sla_business_hours_skips_weekend(branch):
    # Friday 16:00: one hour on Friday, three on Monday.
    due = _due(branch, _local(2030, 3, 1, 16, 0))

    assert due == _local(2030, 3, 4, 12, 0)


def test_sla_business_hours_starts_at_next_opening(branch):
    # Saturday: nothing counts until Monday 09:00.
    due = _due(branch, _local(2030, 3, 2, 11, 0), priority="urgent")

    assert due == _local(2030, 3, 4, 11, 0)


def test_sla_business_hours_skips_holiday(branch):
    # Wednesday 15:00 before Independence Day: two hours Wednesday, two Friday.
    due = _due(branch, _local(2030, 7, 3, 15, 0))

    assert due == _local(2030, 7, 5, 11, 0)


def test_sla_business_hours_normal_spans_three_days(branch):
    due = _due(branch, _local(2030, 3, 4, 9, 0), priority="normal")

    assert due == _local(2030, 3, 6, 17, 0)


def test_sla_business_hours_across_dst_weekend(branch):
    # Friday 16:00 EST, then Monday after clocks moved forward (EDT).
    due = _due(branch, _local(2030, 3, 8, 16, 0))

    assert due == _local(2030, 3, 11, 12, 0)
    assert due == datetime(2030, 3, 11, 16, 0, tzinfo=UTC)


def test_sla_business_hours_counts_short_dst_day(branch):
    # Open around the clock: the night of the change has one hour less.
    branch.opening_hours = ALWAYS
    branch.save()

    due = _due(branch, _local(2030, 3, 9, 23, 0))

    assert due == datetime(2030, 3, 10, 8, 0, tzinfo=UTC)
    assert due.astimezone(NEW_YORK).hour == 4


def test_sla_calendar_time_across_dst_is_elapsed_time():
    branch = BranchFactory()
    created = _local(2030, 3, 9, 12, 0)

    due = _due(branch, created, priority="normal")

    assert due - created == timedelta(hours=24)
    assert due.astimezone(NEW_YORK).hour == 13


def test_sla_starts_at_requested_window(branch):
    due = _due(
        branch,
        _local(2030, 3, 4, 9, 0),
        window_starts_at=_local(2030, 3, 5, 14, 0),
    )

    assert due == _local(2030, 3, 6, 10, 0)


def test_sla_policy_minutes_override_defaults(branch):
    config_set(
        PolicyConfiguration,
        branch,
        "callback_sla",
        {"high_minutes": 30, "business_hours": False},
    )

    due = _due(branch, _local(2030, 3, 2, 11, 0))

    assert due == _local(2030, 3, 2, 11, 30)


def test_sla_branch_level_overrides_company(branch):
    config_set(
        PolicyConfiguration, branch.company, "callback_sla", {"high_minutes": 30}
    )
    config_set(PolicyConfiguration, branch, "callback_sla", {"high_minutes": 60})

    due = _due(branch, _local(2030, 3, 4, 9, 0))

    assert due == _local(2030, 3, 4, 10, 0)


def test_sla_create_uses_window_start(branch):
    window_start = datetime.now(UTC) + timedelta(days=10)
    window_start = window_start.astimezone(NEW_YORK).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    while window_start.weekday() >= 5:
        window_start += timedelta(days=1)

    callback, _ = callback_create(
        company=branch.company,
        branch=branch,
        phone="+12025550143",
        priority="urgent",
        window_starts_at=window_start,
        window_ends_at=window_start + timedelta(hours=2),
    )

    assert callback.due_at == window_start + timedelta(hours=2)
