"""Resolver operations: policy lookups, cached, uncached and in a batch."""

from django.core.cache import cache

from integrations.benchmark.dataset import Dataset
from integrations.benchmark.measure import Result, count_queries, summarise, time_calls
from tenants.configuration.cache import cache_key
from tenants.configuration.resolver import resolve, resolve_many


def forget_all(data: Dataset) -> None:
    """Drop every cached entry of the data set, tombstones of its writes included."""
    _forget(list(_distinct_contexts(data)))


def _forget(contexts) -> None:
    cache.delete_many(
        [cache_key(entity) for context in contexts for entity in context.entities()]
    )


def policy_resolve_cached(data: Dataset, iterations: int) -> Result:
    context = data.contexts[0]
    resolve(context, "policy", "cancellation")

    def operation():
        return resolve(context, "policy", "cancellation")

    queries = count_queries(operation)
    return summarise(
        "policy_resolve_cached", time_calls(operation, iterations), queries
    )


def policy_resolve_uncached(data: Dataset, iterations: int) -> Result:
    context = data.contexts[1]

    def operation():
        return resolve(context, "policy", "cancellation")

    def forget():
        _forget([context])

    queries = count_queries(operation, before=forget)
    samples = time_calls(operation, iterations, before_each=forget)
    return summarise("policy_resolve_uncached", samples, queries)


def policy_resolve_batch_100(data: Dataset, iterations: int) -> Result:
    contexts = [context for context in _distinct_contexts(data)][:100]

    def operation():
        return resolve_many(contexts, "policy", "cancellation")

    def forget():
        _forget(contexts)

    queries = count_queries(operation, before=forget)
    samples = time_calls(operation, max(10, iterations // 20), before_each=forget)
    result = summarise("policy_resolve_batch_100", samples, queries)
    result.note = f"{len(contexts)} distinct contexts"
    return result


def _distinct_contexts(data: Dataset):
    from tenants.configuration.contexts import context_for

    for service in data.services:
        for member in data.staff:
            yield context_for(data.company, member.branch, service, member)
