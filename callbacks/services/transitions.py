"""The lifecycle table and the helpers every transition service shares."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from callbacks.locks import with_row_lock
from callbacks.models import CallbackRequest, CallbackStatusChange, Escalation, Status
from callbacks.services.errors import InvalidTransition

# Allowed target statuses per current status. "assigned -> assigned" is a
# reassignment. Completed, expired and cancelled requests are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PENDING: frozenset(
        {Status.ASSIGNED, Status.CONTACTED, Status.CANCELLED, Status.EXPIRED}
    ),
    Status.ASSIGNED: frozenset(
        {
            Status.ASSIGNED,
            Status.CONTACTED,
            Status.COMPLETED,
            Status.CANCELLED,
            Status.EXPIRED,
        }
    ),
    Status.CONTACTED: frozenset({Status.COMPLETED, Status.CANCELLED}),
    Status.COMPLETED: frozenset(),
    Status.EXPIRED: frozenset(),
    Status.CANCELLED: frozenset(),
}

# The timestamp each status stamps when it is entered.
STAMP_FIELD = {
    Status.ASSIGNED: "assigned_at",
    Status.CONTACTED: "contacted_at",
    Status.COMPLETED: "completed_at",
    Status.CANCELLED: "cancelled_at",
    Status.EXPIRED: "expired_at",
}

Actor = AbstractBaseUser | None


def ensure_transition(callback: CallbackRequest, to_status: str) -> None:
    if to_status not in TRANSITIONS[callback.status]:
        raise InvalidTransition(callback.pk, callback.status, to_status)


def lock_callback(callback_id: int) -> CallbackRequest:
    """Load and lock one callback inside the caller's transaction."""
    return with_row_lock(CallbackRequest.objects.select_related("branch")).get(
        pk=callback_id
    )


def user_of(actor: Actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def change_status(
    callback: CallbackRequest,
    to_status: str,
    *,
    actor: Actor = None,
    reason: str = "",
    extra_fields: tuple[str, ...] = (),
) -> CallbackStatusChange:
    """Move a locked callback to `to_status`, stamp the time and record it.

    Raise InvalidTransition when the lifecycle does not allow the move.
    """
    ensure_transition(callback, to_status)
    now = timezone.now()
    from_status = callback.status
    callback.status = to_status
    fields = ["status", *extra_fields]
    stamp = STAMP_FIELD.get(to_status)
    if stamp:
        setattr(callback, stamp, now)
        fields.append(stamp)
    callback.save(update_fields=fields)
    if to_status not in (Status.PENDING, Status.ASSIGNED):
        # The caller was reached or the request closed: no escalation is open.
        Escalation.objects.filter(callback=callback, resolved=False).update(
            resolved=True, resolved_at=now
        )
    return CallbackStatusChange.objects.create(
        callback=callback,
        from_status=from_status,
        to_status=to_status,
        changed_at=now,
        changed_by=user_of(actor),
        assignee_id=callback.assignee_id,
        reason=reason,
    )


def after_commit(func, *args) -> None:
    transaction.on_commit(lambda: func(*args))
