"""Load the effective policy and switches of many appointments at once."""

from collections.abc import Sequence
from dataclasses import dataclass

from policies.models import PolicyType
from policies.schemas import FAMILY
from tenants.configuration.contexts import context_for
from tenants.configuration.resolver import EffectiveConfig, load_entries, merge


@dataclass(frozen=True)
class AppointmentRules:
    policy: EffectiveConfig
    switches: tuple[EffectiveConfig, ...]


def rules_for(
    appointments: Sequence, policy_kind: PolicyType, switch_kinds: Sequence[PolicyType]
) -> list[AppointmentRules]:
    """Resolve the policy and switches of each appointment's context.

    Every kind comes from one `load_entries` call, so the whole batch costs
    one cache round trip plus at most one query for uncached levels.
    """
    contexts = [
        context_for(a.company_id, a.branch_id, a.service_id, a.staff_id)
        for a in appointments
    ]
    entries = load_entries(entity for c in contexts for entity in c.entities())
    rules = []
    for context in contexts:
        ordered = [(entity, entries[entity]) for entity in context.entities()]
        rules.append(
            AppointmentRules(
                policy=merge(FAMILY, policy_kind.value, ordered),
                switches=tuple(
                    merge(FAMILY, kind.value, ordered) for kind in switch_kinds
                ),
            )
        )
    return rules
