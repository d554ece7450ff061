"""Every write to a callback request goes through these services."""

from callbacks.services.assign import callback_assign, callback_auto_assign
from callbacks.services.close import callback_cancel, callback_complete, callback_expire
from callbacks.services.contact import (
    callback_mark_contacted,
    callback_record_failed_attempt,
)
from callbacks.services.create import callback_create
from callbacks.services.errors import CallbackStateError, InvalidTransition
from callbacks.services.escalate import callback_escalate

__all__ = [
    "CallbackStateError",
    "InvalidTransition",
    "callback_assign",
    "callback_auto_assign",
    "callback_cancel",
    "callback_complete",
    "callback_create",
    "callback_escalate",
    "callback_expire",
    "callback_mark_contacted",
    "callback_record_failed_attempt",
]
