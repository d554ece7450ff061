"""Celery queues of one benchmark run: routing tasks to them and purging them."""

import contextlib
import os
from collections.abc import Iterator

from config.celery import app


def queue_name(purpose: str) -> str:
    """Return a queue name no other process on this broker uses."""
    return f"benchmark-{os.getpid()}-{purpose}"


def purge(queue: str) -> int:
    """Drop every message waiting in `queue`; return how many there were."""
    with app.connection_for_write() as connection:
        return connection.default_channel.queue_purge(queue) or 0


def remove(queue: str) -> int:
    """Purge `queue` and delete the binding keys kombu keeps for it in Redis.

    Return how many messages were dropped.
    """
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        dropped = channel.queue_purge(queue) or 0
        binding_keys = [
            getattr(channel, name) % queue
            for name in ("keyprefix_queue", "keyprefix_binding_permanent")
            if hasattr(channel, name)
        ]
        if binding_keys and hasattr(channel, "client"):
            channel.client.delete(*binding_keys)
    return dropped


@contextlib.contextmanager
def routed_to(queue: str) -> Iterator[str]:
    """Send tasks of this process to `queue` instead of running them inline.

    The queue is removed on the way out, so nothing of the run stays behind.
    """
    conf = app.conf
    previous = (conf.task_always_eager, conf.task_default_queue)
    conf.task_always_eager = False
    conf.task_default_queue = queue
    try:
        yield queue
    finally:
        conf.task_always_eager, conf.task_default_queue = previous
        remove(queue)
