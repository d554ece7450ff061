from callbacks.models.attempt import AttemptOutcome, ContactAttempt
from callbacks.models.callback import CallbackRequest
from callbacks.models.choices import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    PRIORITY_RANK,
    UNREACHED_STATUSES,
    Priority,
    Source,
    Status,
)
from callbacks.models.decision import AssignmentDecision, DecisionOutcome
from callbacks.models.escalation import Escalation, EscalationLevel, EscalationReason
from callbacks.models.history import CallbackStatusChange

__all__ = [
    "CLOSED_STATUSES",
    "OPEN_STATUSES",
    "PRIORITY_RANK",
    "UNREACHED_STATUSES",
    "AssignmentDecision",
    "AttemptOutcome",
    "CallbackRequest",
    "CallbackStatusChange",
    "ContactAttempt",
    "DecisionOutcome",
    "Escalation",
    "EscalationLevel",
    "EscalationReason",
    "Priority",
    "Source",
    "Status",
]
