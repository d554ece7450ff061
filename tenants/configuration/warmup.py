"""Fill the resolver cache for every configurable entity of a company."""

from collections.abc import Callable, Iterator

from tenants.configuration.cache import EntityKey
from tenants.configuration.resolver import load_entries
from tenants.models import Branch, Company, ConfigLevel, Service, Staff

CHUNK_SIZE = 500


def entities_of(company: Company) -> list[EntityKey]:
    """Return the cache keys of the company and of its branches, services and staff."""
    entities: list[EntityKey] = [(company.pk, str(ConfigLevel.COMPANY), company.pk)]
    for level, model in (
        (ConfigLevel.BRANCH, Branch),
        (ConfigLevel.SERVICE, Service),
        (ConfigLevel.STAFF, Staff),
    ):
        object_ids = model.objects.filter(company=company).values_list("pk", flat=True)
        entities.extend(
            (company.pk, str(level), pk) for pk in object_ids.order_by("pk")
        )
    return entities


def _chunks(items: list[EntityKey], size: int) -> Iterator[list[EntityKey]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def config_cache_warm(
    company: Company,
    on_progress: Callable[[int, int], None] | None = None,
    chunk_size: int | None = None,
) -> int:
    """Load every entity of `company` into the cache and return how many there are.

    Each chunk costs one cache read, at most one query and one cache write.
    `on_progress` receives the number of entities done and the total.
    """
    entities = entities_of(company)
    done = 0
    for chunk in _chunks(entities, chunk_size or CHUNK_SIZE):
        load_entries(chunk)
        done += len(chunk)
        if on_progress is not None:
            on_progress(done, len(entities))
    return len(entities)
