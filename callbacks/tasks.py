"""Celery tasks: thin wrappers that load by id and call one service."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from callbacks.models import CallbackRequest, Status
from callbacks.services import callback_auto_assign
from callbacks.services.sweeps import (
    callbacks_escalate_breached,
    callbacks_expire_overdue,
    callbacks_send_warnings,
    callbacks_waiting_for_assignment,
)

logger = logging.getLogger(__name__)

# Database errors that a retry can fix: a dropped connection, a failover, a
# deadlock victim. Anything else is a bug and fails the task.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)
RETRY_OPTIONS = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 2,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 6,
}
# Requests assigned per branch when capacity frees up.
BACKLOG_BATCH = 20


@shared_task(**RETRY_OPTIONS)
def assign_callback(callback_id: int) -> None:
    callback_auto_assign(callback_id, trigger="task")


@shared_task(**RETRY_OPTIONS)
def assign_branch_backlog(branch_id: int) -> int:
    """Assign the oldest pending requests of a branch until nobody is free."""
    ids = (
        CallbackRequest.objects.filter(
            branch_id=branch_id, status=Status.PENDING, assignee__isnull=True
        )
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:BACKLOG_BATCH]
    )
    assigned = 0
    for callback_id in list(ids):
        decision = callback_auto_assign(callback_id, trigger="backlog")
        if decision is None:
            continue
        if decision.winner_id is None:
            break
        assigned += 1
    return assigned


@shared_task(**RETRY_OPTIONS)
def sweep_unassigned() -> int:
    """Queue assignment again for pending requests whose task was lost."""
    ids = callbacks_waiting_for_assignment()
    for callback_id in ids:
        assign_callback.delay(callback_id)
    if ids:
        logger.info("queued assignment again for %s pending callbacks", len(ids))
    return len(ids)


@shared_task(**RETRY_OPTIONS)
def check_sla() -> dict[str, int]:
    return {
        "warned": callbacks_send_warnings(),
        "escalated": callbacks_escalate_breached(),
    }


@shared_task(**RETRY_OPTIONS)
def expire_overdue() -> int:
    return callbacks_expire_overdue()


@shared_task(**RETRY_OPTIONS)
def run_bulk_action(
    action: str, callback_ids: list[int], user_id: int, params: dict
) -> int:
    """Apply a queue action chosen in the admin to a large selection."""
    from callbacks.services.bulk import callbacks_apply

    return callbacks_apply(action, callback_ids, user_id=user_id, params=params).done
