from datetime import timedelta
from decimal import Decimal

import pytest

from policies.engine import Reason, can_cancel
from policies.engine.fees import fee_for
from tests.appointments.fixtures import STARTS_AT

TIERS = [
    {"min_hours": 48, "fee": "0.00"},
    {"min_hours": 24, "fee": "10.00"},
    {"min_hours": 0, "fee": "30.00"},
]


@pytest.mark.parametrize(
    ("notice_hours", "expected"),
    [
        (72, "0.00"),
        (48, "0.00"),
        (47.99, "10.00"),
        (24, "10.00"),
        (23.99, "30.00"),
        (0, "30.00"),
    ],
)
def test_fee_for_tier_edges(notice_hours, expected):
    fee, rule = fee_for({"fee_tiers": TIERS}, notice_hours, Decimal("80.00"))

    assert fee == Decimal(expected)
    assert rule == "fee_tiers"


def test_fee_for_notice_below_every_tier_uses_shortest_tier():
    tiers = [{"min_hours": 48, "fee": "0.00"}, {"min_hours": 12, "fee": "5.00"}]

    fee, _rule = fee_for({"fee_tiers": tiers}, 3, None)

    assert fee == Decimal("5.00")


@pytest.mark.parametrize(
    ("values", "price", "expected", "rule"),
    [
        ({}, Decimal("80.00"), "0.00", None),
        ({"fee": "15"}, Decimal("80.00"), "15.00", "fee"),
        ({"fee_percentage": 15}, Decimal("80.00"), "12.00", "fee_percentage"),
        ({"fee_percentage": 12.5}, Decimal("33.33"), "4.17", "fee_percentage"),
        ({"fee_percentage": 50}, None, "0.00", "fee_percentage"),
        ({"fee_tiers": []}, Decimal("80.00"), "0.00", "fee_tiers"),
    ],
)
def test_fee_for_each_rule(values, price, expected, rule):
    fee, used_rule = fee_for(values, 10, price)

    assert fee == Decimal(expected)
    assert used_rule == rule


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("notice", "expected"),
    [
        (timedelta(hours=48), "0.00"),
        (timedelta(hours=48) - timedelta(seconds=1), "10.00"),
        (timedelta(hours=24), "10.00"),
        (timedelta(hours=24) - timedelta(seconds=1), "30.00"),
    ],
)
def test_can_cancel_tier_fee_at_edges(appointment, set_policy, notice, expected):
    set_policy(appointment.company, "cancellation", {"fee_tiers": TIERS})

    decision = can_cancel(appointment, at=STARTS_AT - notice)

    assert decision.allowed is True
    assert decision.reason == Reason.ALLOWED
    assert decision.fee == Decimal(expected)
    assert decision.details["fee_rule"] == "fee_tiers"
    assert decision.details["levels"] == {"fee_tiers": "company"}


@pytest.mark.django_db
def test_can_cancel_refused_still_reports_fee(appointment, set_policy):
    set_policy(
        appointment.company, "cancellation", {"hours_before": 24, "fee_percentage": 25}
    )

    decision = can_cancel(appointment, at=STARTS_AT - timedelta(hours=2))

    assert decision.allowed is False
    assert decision.reason == Reason.DEADLINE_MISSED
    assert decision.fee == Decimal("20.00")
    assert decision.details["fee_rule"] == "fee_percentage"


@pytest.mark.django_db
def test_decision_as_dict_is_json_ready(appointment, set_policy):
    import json

    set_policy(appointment.company, "cancellation", {"hours_before": 24, "fee": 5})

    decision = can_cancel(appointment, at=STARTS_AT - timedelta(hours=30))
    data = json.loads(json.dumps(decision.as_dict()))

    assert data == {
        "allowed": True,
        "reason": "allowed",
        "message": "You can cancel for a fee of 5.00 USD.",
        "fee": "5.00",
        "currency": "USD",
        "forced": False,
        "details": {
            "action": "cancel",
            "by_phone": False,
            "notice_hours": 30.0,
            "required_hours": 24.0,
            "quota_used": None,
            "quota_max": None,
            "reschedules": 0,
            "max_reschedules": None,
            "fee_rule": "fee",
            "levels": {"hours_before": "company", "fee": "company"},
            "locked": {},
        },
    }
