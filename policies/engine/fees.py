"""Fees of a cancellation or reschedule, from exactly one fee rule."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from policies.engine.decision import ZERO

CENT = Decimal("0.01")


def _money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def tier_fee(tiers: list[dict[str, Any]], notice_hours: float) -> Decimal:
    """Return the fee of the tier with the largest `min_hours` the notice reaches.

    A notice shorter than every tier falls into the tier with the smallest
    `min_hours`, which is the one meant for the shortest notice.
    """
    if not tiers:
        return ZERO
    ordered = sorted(tiers, key=lambda tier: float(tier["min_hours"]), reverse=True)
    for tier in ordered:
        if notice_hours >= float(tier["min_hours"]):
            return _money(tier["fee"])
    return _money(ordered[-1]["fee"])


def fee_for(
    values: dict[str, Any], notice_hours: float, price: Decimal | None
) -> tuple[Decimal, str | None]:
    """Return the fee and the name of the rule that produced it (None: free)."""
    if values.get("fee") is not None:
        return _money(values["fee"]), "fee"
    if values.get("fee_tiers") is not None:
        return tier_fee(values["fee_tiers"], notice_hours), "fee_tiers"
    if values.get("fee_percentage") is not None:
        if price is None:
            return ZERO, "fee_percentage"
        share = Decimal(str(values["fee_percentage"])) / 100
        return _money(Decimal(str(price)) * share), "fee_percentage"
    return ZERO, None
