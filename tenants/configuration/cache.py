"""The resolver's cache: one plain dict per configured entity.

Each entry maps `"<family>:<kind>"` to `{"values": {...}, "locked": [...]}`
for the enabled rows of one entity. An empty dict records that the entity has
no configuration, so misses are cached too.

Writes after a database read use SET NX, and invalidation replaces the entry
with a short-lived tombstone. A reader that loaded old rows before a write
committed therefore cannot put them back: its NX write fails against the
tombstone, and readers treat a tombstone as a miss until it expires.

A transaction that changed an entity does not cache what it reads of that
entity before it commits, because a rollback would leave uncommitted rows in
the cache with nothing to invalidate them.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

EntityKey = tuple[int, str, int]

KEY_VERSION = 1
TOMBSTONE = {"__stale__": True}
# NOTE: a reader that stalls longer than this between its database read and
# its cache write could still store rows older than the latest commit.
TOMBSTONE_SECONDS = 2
CACHE_ERRORS = (ConnectionInterrupted, RedisError, OSError)

_failures = 0


def cache_key(entity: EntityKey) -> str:
    company_id, level, object_id = entity
    return f"hcfg:{KEY_VERSION}:{company_id}:{level}:{object_id}"


def _report_failure(operation: str, error: Exception) -> None:
    global _failures
    _failures += 1
    # One line for the first failure and then one per hundred, so an outage
    # does not flood the log.
    if _failures == 1 or _failures % 100 == 0:
        logger.warning(
            "config cache %s failed (%s failures so far), using the database: %s",
            operation,
            _failures,
            type(error).__name__,
        )


def read_entries(entities: Iterable[EntityKey]) -> dict[EntityKey, dict]:
    """Return the cached entries of `entities` in one round trip; misses are absent."""
    keys = {cache_key(entity): entity for entity in entities}
    try:
        found = cache.get_many(list(keys))
    except CACHE_ERRORS as error:
        _report_failure("read", error)
        return {}
    return {keys[key]: entry for key, entry in found.items() if entry != TOMBSTONE}


def store_entries(entries: dict[EntityKey, dict]) -> None:
    """Store entries read from the database unless a key contains a tombstone."""
    if not entries:
        return
    timeout = settings.CONFIG_CACHE_TIMEOUT
    try:
        client = getattr(cache, "client", None)
        if client is not None and hasattr(client, "get_client"):
            # django-redis: every SET NX in one pipelined round trip.
            pipeline = client.get_client(write=True).pipeline(transaction=False)
            for entity, entry in entries.items():
                pipeline.set(
                    cache.make_and_validate_key(cache_key(entity)),
                    client.encode(entry),
                    nx=True,
                    ex=timeout,
                )
            pipeline.execute()
        else:
            for entity, entry in entries.items():
                cache.add(cache_key(entity), entry, timeout)
    except CACHE_ERRORS as error:
        _report_failure("write", error)


def invalidate(entities: Iterable[EntityKey]) -> None:
    """Replace the entries of `entities` with tombstones now."""
    tombstones = {cache_key(entity): TOMBSTONE for entity in entities}
    if not tombstones:
        return
    try:
        cache.set_many(tombstones, TOMBSTONE_SECONDS)
    except CACHE_ERRORS as error:
        # NOTE: an entry that could not be replaced stays until its timeout.
        logger.error(
            "config cache invalidation failed for %s entries: %s",
            len(tombstones),
            type(error).__name__,
        )


class _Invalidation:
    """An on-commit callback that remembers which entities it invalidates."""

    def __init__(self, entities: set[EntityKey]) -> None:
        self.entities = entities

    def __call__(self) -> None:
        invalidate(self.entities)


def invalidate_on_commit(entities: Iterable[EntityKey]) -> None:
    """Invalidate `entities` once the current transaction commits."""
    pending = {entity for entity in entities if None not in entity}
    if pending:
        transaction.on_commit(_Invalidation(pending))


def uncommitted_entities() -> set[EntityKey]:
    """Return the entities the open transaction changed and has not committed.

    Django drops the on-commit callbacks of a rolled back transaction or
    savepoint, so the pending callbacks list exactly the uncommitted changes.
    """
    connection = transaction.get_connection()
    entities: set[EntityKey] = set()
    for _savepoints, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _Invalidation):
            entities |= callback.entities
    return entities
