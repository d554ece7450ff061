"""Effective callback policies with their documented defaults filled in."""

from dataclasses import dataclass
from datetime import timedelta

from callbacks.models import Priority
from tenants.configuration.contexts import context_for
from tenants.configuration.resolver import ConfigContext, resolve, resolve_many

DEFAULT_SLA_MINUTES = {
    Priority.URGENT: 120,
    Priority.HIGH: 240,
    Priority.NORMAL: 1440,
}
DEFAULT_WARNING_MINUTES = 30
DEFAULT_EXPIRE_AFTER_MINUTES = 3 * 24 * 60
DEFAULT_ESCALATION_COOLDOWN_MINUTES = 30
DEFAULT_CAPACITY = 5
DEFAULT_TIERS = ("preferred", "service", "branch")


@dataclass(frozen=True)
class SlaPolicy:
    minutes: dict[str, int]
    business_hours: bool
    warning: timedelta
    expire_after: timedelta
    escalation_cooldown: timedelta

    def target(self, priority: str) -> timedelta:
        return timedelta(minutes=self.minutes[priority])


@dataclass(frozen=True)
class AssignmentPolicy:
    capacity: int
    tiers: tuple[str, ...]


def _sla_from(values: dict) -> SlaPolicy:
    minutes = {
        priority: values.get(f"{priority}_minutes") or default
        for priority, default in DEFAULT_SLA_MINUTES.items()
    }

    def minutes_of(key: str, default: int) -> timedelta:
        value = values.get(key)
        return timedelta(minutes=default if value is None else value)

    return SlaPolicy(
        minutes=minutes,
        business_hours=bool(values.get("business_hours", False)),
        warning=minutes_of("warning_minutes", DEFAULT_WARNING_MINUTES),
        expire_after=minutes_of("expire_after_minutes", DEFAULT_EXPIRE_AFTER_MINUTES),
        escalation_cooldown=minutes_of(
            "escalation_cooldown_minutes", DEFAULT_ESCALATION_COOLDOWN_MINUTES
        ),
    )


def _assignment_from(values: dict) -> AssignmentPolicy:
    capacity = values.get("capacity")
    return AssignmentPolicy(
        capacity=DEFAULT_CAPACITY if capacity is None else capacity,
        tiers=tuple(values.get("tiers") or DEFAULT_TIERS),
    )


def sla_policy(company_id: int, branch_id: int, service_id: int | None) -> SlaPolicy:
    context = context_for(company_id, branch_id, service_id)
    return _sla_from(resolve(context, "policy", "callback_sla").values)


def sla_policies(contexts: list[ConfigContext]) -> list[SlaPolicy]:
    """Resolve many SLA contexts with one cache read and at most one query."""
    return [
        _sla_from(effective.values)
        for effective in resolve_many(contexts, "policy", "callback_sla")
    ]


def assignment_policies(contexts: list[ConfigContext]) -> list[AssignmentPolicy]:
    return [
        _assignment_from(effective.values)
        for effective in resolve_many(contexts, "policy", "callback_assignment")
    ]
