"""Values a configuration row inherits from the levels above it."""

from notifications.schemas import DEFAULTS, FAMILY, with_defaults
from tenants.configuration.resolver import ConfigContext, resolve
from tenants.models import HierarchyConfig


def parent_context(config: HierarchyConfig) -> ConfigContext | None:
    """Return the context of the levels above `config`'s entity, if any."""
    if config.level == "company":
        return None
    if config.level == "staff":
        target = config.target
        branch_id = target.branch_id if target is not None else None
        return ConfigContext(company_id=config.company_id, branch_id=branch_id)
    return ConfigContext(company_id=config.company_id)


def inherited_values(config: HierarchyConfig) -> dict[str, tuple[object, str]]:
    """Return key -> (value, where it is set) that `config` would inherit."""
    context = parent_context(config)
    if context is None:
        return {key: (value, "default") for key, value in DEFAULTS.items()}
    effective = resolve(context, FAMILY, config.kind)
    values = with_defaults(effective.values)
    return {
        key: (value, effective.level_of(key) or "default")
        for key, value in values.items()
    }
