"""Counting and logging of rejected webhook requests.

Counters live in the cache under one key per provider and reason, so an
operator can see a misconfigured key or a probing client without reading
logs. Neither counters nor logs contain the body, the signature or a key.
"""

import logging

from django.core.cache import cache

from tenants.configuration.cache import CACHE_ERRORS

logger = logging.getLogger(__name__)

_KEY = "webhooks:rejected:{provider}:{reason}"


def rejection_count(provider: str, reason: str) -> int:
    return int(cache.get(_KEY.format(provider=provider, reason=reason)) or 0)


def rejection_record(provider: str, reason: str, company_slug: str) -> int:
    """Count one rejected request and log it; return the new count."""
    key = _KEY.format(provider=provider, reason=reason)
    try:
        cache.add(key, 0, timeout=None)
        count = cache.incr(key)
    except ValueError:
        # The key was evicted between add and incr; start again from one.
        cache.set(key, 1, timeout=None)
        count = 1
    except CACHE_ERRORS:
        # A cache outage must not turn a rejection into a server error.
        count = -1
    logger.warning(
        "webhook rejected: provider=%s company=%s reason=%s count=%s",
        provider,
        company_slug[:60],
        reason,
        count,
    )
    return count
