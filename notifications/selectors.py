"""Reads of notification configuration."""

from notifications.schemas import FAMILY
from tenants.configuration.contexts import context_for
from tenants.configuration.resolver import EffectiveConfig, resolve


def notification_settings_for(
    event_type: str,
    company_id: int,
    branch_id: int | None = None,
    service_id: int | None = None,
    staff_id: int | None = None,
) -> EffectiveConfig:
    """Return the effective configuration of `event_type` for one recipient.

    One cache round trip when warm, plus at most one query for what is not.
    """
    context = context_for(company_id, branch_id, service_id, staff_id)
    return resolve(context, FAMILY, event_type)
