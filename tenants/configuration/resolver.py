"""The hierarchy resolver: effective configuration for a context.

A context names a company and optionally a branch, a service and a staff
member. Values merge key by key from the company down to the staff member, so
a lower level overrides only the keys it sets, unless a higher level locked
them. Every effective key records the level it came from.

Cost: one cache round trip when every level is cached, plus one SQL query for
whatever was missing, for one context or a batch.
"""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from tenants.configuration.cache import (
    EntityKey,
    read_entries,
    store_entries,
    uncommitted_entities,
)
from tenants.configuration.schemas import exclusive_groups
from tenants.models import ConfigLevel, HierarchyConfig


@dataclass(frozen=True)
class ConfigContext:
    company_id: int
    branch_id: int | None = None
    service_id: int | None = None
    staff_id: int | None = None

    def entities(self) -> list[EntityKey]:
        """Return the configured entities of this context, most general first."""
        levels = [
            (ConfigLevel.COMPANY, self.company_id),
            (ConfigLevel.BRANCH, self.branch_id),
            (ConfigLevel.SERVICE, self.service_id),
            (ConfigLevel.STAFF, self.staff_id),
        ]
        return [
            (self.company_id, str(level), object_id)
            for level, object_id in levels
            if object_id is not None
        ]


@dataclass(frozen=True)
class Source:
    level: str
    object_id: int

    def __str__(self) -> str:
        return f"{self.level} {self.object_id}"


@dataclass
class EffectiveConfig:
    family: str
    kind: str
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    locked: dict[str, Source] = field(default_factory=dict)

    @property
    def configured(self) -> bool:
        return bool(self.sources)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def level_of(self, key: str) -> str | None:
        source = self.sources.get(key)
        return source.level if source else None


def entry_name(family: str, kind: str) -> str:
    return f"{family}:{kind}"


def _query_entries(entities: set[EntityKey]) -> dict[EntityKey, dict]:
    """Load the enabled rows of `entities` in one query.

    Raw SQL because this is the resolver's cold path: building the same
    statement through the ORM costs several times the database round trip.
    """
    by_level: dict[str, set[int]] = {}
    for _company_id, level, object_id in entities:
        by_level.setdefault(level, set()).add(object_id)
    company_ids = sorted({company_id for company_id, _level, _object_id in entities})
    clauses = []
    params: list[object] = [True, *company_ids]
    for level, object_ids in sorted(by_level.items()):
        clauses.append(f"(level = %s AND object_id IN ({_placeholders(object_ids)}))")
        params.extend([level, *sorted(object_ids)])
    sql = (
        'SELECT company_id, level, object_id, config_family, kind, "values", '
        f"locked_keys FROM {HierarchyConfig._meta.db_table} "
        f"WHERE enabled = %s AND company_id IN ({_placeholders(company_ids)}) "
        f"AND ({' OR '.join(clauses)})"
    )
    entries: dict[EntityKey, dict] = {entity: {} for entity in entities}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for company_id, level, object_id, family, kind, values, locked in rows:
        entity = (company_id, level, object_id)
        if entity in entries:
            entries[entity][entry_name(family, kind)] = {
                "values": _json(values),
                "locked": _json(locked),
            }
    return entries


def _placeholders(items) -> str:
    return ", ".join(["%s"] * len(items))


def _json(value):
    # PostgreSQL returns jsonb decoded; SQLite returns the text.
    return json.loads(value) if isinstance(value, str) else value


def load_entries(entities: Iterable[EntityKey]) -> dict[EntityKey, dict]:
    """Return the entry of every entity: cache first, then one query for misses.

    Entities changed by the still-open transaction are read but not cached.
    NOTE: a test wrapped in one transaction (pytest-django's default) never
    commits, so configuration it writes stays uncached. Count warm-path
    queries in tests marked django_db(transaction=True).
    """
    wanted = set(entities)
    entries = read_entries(wanted)
    missing = wanted - entries.keys()
    if missing:
        loaded = _query_entries(missing)
        uncommitted = uncommitted_entities()
        store_entries(
            {
                entity: entry
                for entity, entry in loaded.items()
                if entity not in uncommitted
            }
        )
        entries.update(loaded)
    return entries


def _locked_by(key: str, locked: dict[str, Source], groups) -> bool:
    if key in locked:
        return True
    return any(key in group and locked.keys() & group for group in groups)


def merge(
    family: str, kind: str, ordered: Sequence[tuple[EntityKey, dict]]
) -> EffectiveConfig:
    """Merge the entries of one context, given most general first."""
    result = EffectiveConfig(family=family, kind=kind)
    groups = exclusive_groups(family, kind)
    name = entry_name(family, kind)
    for (_company_id, level, object_id), entry in ordered:
        row = entry.get(name)
        if row is None:
            continue
        source = Source(level, object_id)
        for key, value in row["values"].items():
            if _locked_by(key, result.locked, groups):
                continue
            for group in groups:
                if key in group:
                    for replaced in group - {key}:
                        result.values.pop(replaced, None)
                        result.sources.pop(replaced, None)
            result.values[key] = value
            result.sources[key] = source
        for key in row["locked"]:
            result.locked.setdefault(key, source)
    return result


def resolve(context: ConfigContext, family: str, kind: str) -> EffectiveConfig:
    return resolve_many([context], family, kind)[0]


def resolve_many(
    contexts: Sequence[ConfigContext], family: str, kind: str
) -> list[EffectiveConfig]:
    """Resolve many contexts with one cache read and at most one query."""
    entries = load_entries(
        entity for context in contexts for entity in context.entities()
    )
    return [
        merge(family, kind, [(e, entries[e]) for e in context.entities()])
        for context in contexts
    ]


def resolve_family(context: ConfigContext, family: str) -> dict[str, EffectiveConfig]:
    """Resolve every kind of `family` that any level of `context` configures."""
    entities = context.entities()
    entries = load_entries(entities)
    prefix = f"{family}:"
    kinds = sorted(
        {
            name.removeprefix(prefix)
            for entity in entities
            for name in entries[entity]
            if name.startswith(prefix)
        }
    )
    ordered = [(entity, entries[entity]) for entity in entities]
    return {kind: merge(family, kind, ordered) for kind in kinds}
