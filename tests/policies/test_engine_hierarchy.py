from datetime import timedelta
from decimal import Decimal

import pytest

from policies.engine import Reason, can_cancel
from tests.appointments.fixtures import STARTS_AT

pytestmark = pytest.mark.django_db


def test_can_cancel_lower_level_overrides_one_key(appointment, set_policy):
    set_policy(
        appointment.company,
        "cancellation",
        {"hours_before": 24, "fee": 10, "max_cancellations_per_month": 3},
    )
    set_policy(appointment.branch, "cancellation", {"hours_before": 48})

    decision = can_cancel(appointment, at=STARTS_AT - timedelta(hours=30))

    assert decision.reason == Reason.DEADLINE_MISSED
    assert decision.details["required_hours"] == 48
    assert decision.details["quota_max"] == 3
    assert decision.fee == Decimal("10.00")
    assert decision.details["levels"] == {
        "hours_before": "branch",
        "fee": "company",
        "max_cancellations_per_month": "company",
    }


LEVEL_HOURS = {"company": 2, "branch": 4, "service": 6, "staff": 8}


@pytest.mark.parametrize("deepest", list(LEVEL_HOURS))
def test_can_cancel_most_specific_level_wins(appointment, set_policy, deepest):
    for level, hours in LEVEL_HOURS.items():
        target = (
            appointment.company if level == "company" else getattr(appointment, level)
        )
        set_policy(target, "cancellation", {"hours_before": hours})
        if level == deepest:
            break

    decision = can_cancel(appointment, at=STARTS_AT - timedelta(hours=1))

    assert decision.details["required_hours"] == LEVEL_HOURS[deepest]
    assert decision.details["levels"] == {"hours_before": deepest}


def test_can_cancel_locked_key_ignores_lower_levels(appointment, set_policy):
    set_policy(
        appointment.company,
        "cancellation",
        {"hours_before": 24, "fee": 10},
        locked_keys=["hours_before"],
    )
    set_policy(appointment.staff, "cancellation", {"hours_before": 2, "fee": 0})

    decision = can_cancel(appointment, at=STARTS_AT - timedelta(hours=3))

    assert decision.reason == Reason.DEADLINE_MISSED
    assert decision.details["required_hours"] == 24
    assert decision.details["levels"] == {"hours_before": "company", "fee": "staff"}
    assert decision.details["locked"] == {"hours_before": "company"}
    assert decision.fee == Decimal("0.00")


def test_can_cancel_lower_fee_rule_replaces_inherited_one(appointment, set_policy):
    set_policy(appointment.company, "cancellation", {"fee": 10})
    set_policy(appointment.service, "cancellation", {"fee_percentage": 50})

    decision = can_cancel(appointment, at=STARTS_AT - timedelta(hours=3))

    assert decision.fee == Decimal("40.00")
    assert decision.details["fee_rule"] == "fee_percentage"
    assert decision.details["levels"] == {"fee_percentage": "service"}


def test_can_cancel_disabled_config_is_ignored(appointment, set_policy):
    from policies.models import PolicyConfiguration
    from tenants.configuration.services import config_set

    config_set(
        PolicyConfiguration,
        appointment.branch,
        "cancellation",
        {"hours_before": 100},
        enabled=False,
    )

    decision = can_cancel(appointment, at=STARTS_AT - timedelta(hours=3))

    assert decision.allowed is True
    assert decision.details["required_hours"] is None


def test_can_cancel_other_company_policy_ignored(appointment, set_policy):
    from tests.factories import CompanyFactory

    set_policy(CompanyFactory(), "cancellation", {"hours_before": 100})

    decision = can_cancel(appointment, at=STARTS_AT - timedelta(hours=3))

    assert decision.allowed is True
