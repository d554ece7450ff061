"""Close a callback: completed, cancelled or expired."""

import logging

from django.db import transaction
from django.utils import timezone

from callbacks.events import publish_callback_event
from callbacks.models import CallbackRequest, Status
from callbacks.services.transitions import Actor, change_status, lock_callback
from config.celery import queue_task
from tenants import events

logger = logging.getLogger(__name__)


def _queue_backlog(callback: CallbackRequest) -> None:
    """Offer the freed capacity to requests of the branch that still wait."""
    if callback.assignee_id is not None:
        branch_id = callback.branch_id
        transaction.on_commit(
            lambda: queue_task("callbacks.tasks.assign_branch_backlog", branch_id)
        )


def callback_complete(
    callback_id: int, *, actor: Actor = None, notes: str = ""
) -> CallbackRequest:
    """Close a request whose caller was helped. Raise InvalidTransition otherwise."""
    with transaction.atomic():
        callback = lock_callback(callback_id)
        extra: tuple[str, ...] = ()
        if callback.contacted_at is None and callback.status == Status.ASSIGNED:
            # Completing straight from assigned means the call happened.
            callback.contacted_at = timezone.now()
            extra = ("contacted_at",)
        change_status(
            callback, Status.COMPLETED, actor=actor, reason=notes, extra_fields=extra
        )
        _queue_backlog(callback)
    logger.info("callback %s completed", callback_id)
    return callback


def callback_cancel(
    callback_id: int, *, actor: Actor = None, reason: str = ""
) -> CallbackRequest:
    """Withdraw a request nobody needs to work any more."""
    with transaction.atomic():
        callback = lock_callback(callback_id)
        change_status(callback, Status.CANCELLED, actor=actor, reason=reason)
        _queue_backlog(callback)
    logger.info("callback %s cancelled", callback_id)
    return callback


def callback_expire(
    callback_id: int,
    *,
    actor: Actor = None,
    reason: str = "nobody reached the caller in time",
) -> CallbackRequest:
    """Give up on a request that nobody reached."""
    with transaction.atomic():
        callback = lock_callback(callback_id)
        change_status(callback, Status.EXPIRED, actor=actor, reason=reason)
        _queue_backlog(callback)
        publish_callback_event(events.CALLBACK_EXPIRED, callback)
    logger.info("callback %s expired", callback_id)
    return callback
