from dataclasses import asdict, dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

ZERO = Decimal("0.00")


class Reason(StrEnum):
    """Stable reason codes, because the phone agent and notifications branch on them."""

    ALLOWED = "allowed"
    DEADLINE_MISSED = "deadline_missed"
    QUOTA_EXCEEDED = "quota_exceeded"
    MAX_RESCHEDULES_REACHED = "max_reschedules_reached"
    NOT_ALLOWED_BY_PHONE = "not_allowed_by_phone"
    OUTSIDE_ALLOWED_HOURS = "outside_allowed_hours"
    APPOINTMENT_IN_PAST = "appointment_in_past"
    ALREADY_CANCELLED = "already_cancelled"


@dataclass(frozen=True)
class PolicyDecision:
    """The engine's verdict on one cancellation or reschedule.

    `fee` is what the change costs if it goes ahead, so a rejected decision
    still reports the fee a forced change would charge. `forced` is set by the
    services when staff applied a change that the policy rejects.
    """

    allowed: bool
    reason: Reason
    message: str
    fee: Decimal = ZERO
    currency: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    forced: bool = False

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["reason"] = str(self.reason)
        data["fee"] = str(self.fee)
        return data
