"""Apply one queue action to many callbacks, request by request."""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from callbacks.models import CallbackRequest, EscalationReason
from callbacks.services.assign import callback_assign, callback_auto_assign
from callbacks.services.close import callback_cancel, callback_complete
from callbacks.services.contact import callback_mark_contacted
from callbacks.services.errors import CallbackStateError
from callbacks.services.escalate import callback_escalate
from tenants.models import Staff
from tenants.scoping import scope_queryset

logger = logging.getLogger(__name__)


@dataclass
class BulkResult:
    done: int = 0
    skipped: list[str] = field(default_factory=list)


def _assign(callback_id: int, actor, params: dict) -> None:
    staff = Staff.objects.get(pk=params["staff_id"])
    callback_assign(callback_id, staff=staff, actor=actor)


def _auto_assign(callback_id: int, actor, params: dict) -> None:
    decision = callback_auto_assign(callback_id, trigger="admin")
    if decision is None:
        raise CallbackStateError(f"Callback {callback_id} is no longer pending.")
    if decision.winner_id is None:
        raise CallbackStateError(f"Nobody is eligible for callback {callback_id}.")


def _escalate(callback_id: int, actor, params: dict) -> None:
    callback_escalate(
        callback_id,
        reason=EscalationReason.MANUAL,
        details=params.get("details", ""),
        actor=actor,
    )


ACTIONS: dict[str, Callable[[int, object, dict], None]] = {
    "assign": _assign,
    "auto_assign": _auto_assign,
    "mark_contacted": lambda pk, actor, params: callback_mark_contacted(
        pk, actor=actor, notes=params.get("notes", "")
    ),
    "complete": lambda pk, actor, params: callback_complete(pk, actor=actor),
    "cancel": lambda pk, actor, params: callback_cancel(
        pk, actor=actor, reason=params.get("reason", "cancelled in the admin")
    ),
    "escalate": _escalate,
}


def callbacks_apply(
    action: str, callback_ids: Iterable[int], *, user_id: int, params: dict
) -> BulkResult:
    """Run `action` on every callback the user may see; collect what failed.

    The ids are scoped to the user's company again here, so a queued job
    cannot reach another company even if its ids were tampered with.
    """
    handler = ACTIONS[action]
    user = get_user_model().objects.get(pk=user_id)
    visible = scope_queryset(CallbackRequest.objects.all(), user)
    ids = list(
        visible.filter(pk__in=list(callback_ids))
        .order_by("pk")
        .values_list("pk", "reference")
    )
    result = BulkResult()
    for callback_id, reference in ids:
        try:
            handler(callback_id, user, params)
        except (CallbackStateError, ValidationError) as error:
            message = "; ".join(getattr(error, "messages", [str(error)]))
            result.skipped.append(f"{reference}: {message}")
            continue
        result.done += 1
    logger.info(
        "bulk %s by user %s: %s done, %s skipped",
        action,
        user_id,
        result.done,
        len(result.skipped),
    )
    return result
