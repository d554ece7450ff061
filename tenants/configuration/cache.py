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
import pickle
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

EntityKey = tuple[int, str, int]

KEY_VERSION = 2
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


def _redis_client(backend, write: bool):
    """Return the raw redis-py client behind django-redis, or None otherwise.

    The resolver talks to Redis directly: django-redis' per-key
    serializer and key validation cost about as much as the round trip.
    """
    client = getattr(backend, "client", None)
    if client is None or not hasattr(client, "get_client"):
        return None
    return client.get_client(write=write)


def _full_key(backend, name: str) -> str:
    # The backend's own key function, called directly: going through
    # make_key() per key costs more than the rest of a warm read.
    return backend.key_func(name, backend.key_prefix, backend.version)


def _encode(entry: dict) -> bytes:
    return pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)


def _decode(raw: bytes | None) -> dict | None:
    # Only this module writes these keys, in the same Redis the rest of the
    # cache trusts with pickled values.
    if raw is None:
        return None
    try:
        entry = pickle.loads(raw)
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError):
        return None
    return entry if isinstance(entry, dict) else None


def read_entries(entities: Iterable[EntityKey]) -> dict[EntityKey, dict]:
    """Return the cached entries of `entities` in one round trip; misses are absent."""
    keys = {cache_key(entity): entity for entity in entities}
    backend = caches["default"]
    try:
        client = _redis_client(backend, write=False)
        if client is not None:
            names = list(keys)
            raw_values = client.mget([_full_key(backend, name) for name in names])
            found = {
                name: entry
                for name, entry in zip(names, map(_decode, raw_values), strict=True)
                if entry is not None
            }
        else:
            found = backend.get_many(list(keys))
    except CACHE_ERRORS as error:
        _report_failure("read", error)
        return {}
    return {keys[key]: entry for key, entry in found.items() if entry != TOMBSTONE}


def store_entries(entries: dict[EntityKey, dict]) -> None:
    """Store entries read from the database unless a key contains a tombstone."""
    if not entries:
        return
    timeout = settings.CONFIG_CACHE_TIMEOUT
    backend = caches["default"]
    try:
        client = _redis_client(backend, write=True)
        if client is not None:
            # Every SET NX in one pipelined round trip.
            pipeline = client.pipeline(transaction=False)
            for entity, entry in entries.items():
                pipeline.set(
                    _full_key(backend, cache_key(entity)),
                    _encode(entry),
                    nx=True,
                    ex=timeout,
                )
            pipeline.execute()
        else:
            for entity, entry in entries.items():
                backend.add(cache_key(entity), entry, timeout)
    except CACHE_ERRORS as error:
        _report_failure("write", error)


def invalidate(entities: Iterable[EntityKey]) -> None:
    """Replace the entries of `entities` with tombstones now."""
    names = [cache_key(entity) for entity in entities]
    if not names:
        return
    backend = caches["default"]
    try:
        client = _redis_client(backend, write=True)
        if client is not None:
            pipeline = client.pipeline(transaction=False)
            for name in names:
                pipeline.set(
                    _full_key(backend, name),
                    _encode(TOMBSTONE),
                    ex=TOMBSTONE_SECONDS,
                )
            pipeline.execute()
        else:
            backend.set_many(dict.fromkeys(names, TOMBSTONE), TOMBSTONE_SECONDS)
    except CACHE_ERRORS as error:
        # NOTE: an entry that could not be replaced stays until its timeout.
        logger.error(
            "config cache invalidation failed for %s entries: %s",
            len(names),
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
