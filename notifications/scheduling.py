"""Queue delivery tasks once the surrounding transaction commits."""

import logging
from datetime import datetime

from django.db import transaction
from kombu.exceptions import OperationalError

from config.celery import queue_task

logger = logging.getLogger(__name__)


def _enqueue(delivery_id: int, eta: datetime | None, countdown: int | None) -> None:
    try:
        queue_task(
            "notifications.tasks.send_delivery",
            delivery_id,
            eta=eta,
            countdown=countdown,
        )
    except OperationalError:
        # The row stays pending; the periodic sweep queues it again.
        logger.exception("cannot queue delivery %s; the sweep will retry", delivery_id)


def schedule_send(
    delivery_id: int, eta: datetime | None = None, countdown: int | None = None
) -> None:
    """Queue `send_delivery` after commit, at `eta` or after `countdown` seconds.

    NOTE: Redis hands a task whose eta is further away than the broker's
    visibility timeout to a worker again. The claim in `delivery_send` makes
    the extra copies no-ops, and the sweep covers a copy that is lost.
    """
    transaction.on_commit(lambda: _enqueue(delivery_id, eta, countdown))
