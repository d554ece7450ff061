"""The table of measured operations, in the order they run."""

from dataclasses import dataclass

from integrations.benchmark import policy_ops, resolver_ops


@dataclass(frozen=True)
class Scale:
    floor_iterations: int
    iterations: int


QUICK = Scale(floor_iterations=500, iterations=300)
FULL = Scale(floor_iterations=3000, iterations=2000)


def _resolver(function):
    return lambda data, scale, database_url: function(data, scale.iterations)


OPERATIONS = [
    ("policy_resolve_cached", _resolver(resolver_ops.policy_resolve_cached)),
    ("policy_resolve_uncached", _resolver(resolver_ops.policy_resolve_uncached)),
    ("policy_resolve_batch_100", _resolver(resolver_ops.policy_resolve_batch_100)),
    (
        "notification_config_resolve_cached",
        _resolver(resolver_ops.notification_config_resolve_cached),
    ),
    ("can_cancel", _resolver(policy_ops.can_cancel_decision)),
]
