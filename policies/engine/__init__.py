"""The policy engine that the phone agent, the admin and the services call."""

from policies.engine.core import can_cancel, can_reschedule, evaluate_cancellations
from policies.engine.decision import PolicyDecision, Reason

__all__ = [
    "PolicyDecision",
    "Reason",
    "can_cancel",
    "can_reschedule",
    "evaluate_cancellations",
]
