"""Queue delivery tasks once the surrounding transaction commits."""

import logging
from datetime import datetime

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def _enqueue(delivery_id: int, eta: datetime | None, countdown: int | None) -> None:
    from notifications.tasks import send_delivery

    try:
        send_delivery.apply_async(args=[delivery_id], eta=eta, countdown=countdown)
    except OperationalError:
        # The row stays pending; the periodic sweep queues it again.
        logger.exception("cannot queue delivery %s; the sweep will retry", delivery_id)


def schedule_send(
    delivery_id: int, eta: datetime | None = None, countdown: int | None = None
) -> None:
    transaction.on_commit(lambda: _enqueue(delivery_id, eta, countdown))
