"""Effective notification settings of an entity, per event, with their source."""

from dataclasses import dataclass

from notifications.schemas import DEFAULTS, FAMILY, NotificationSettings
from tenants.configuration.contexts import context_for_entity
from tenants.configuration.resolver import resolve_family
from tenants.events import EVENT_TYPES

SHOWN_KEYS = list(NotificationSettings.model_fields)


@dataclass(frozen=True)
class EffectiveRow:
    event: str
    key: str
    value: object
    source: str


def effective_notification_rows(entity) -> list[EffectiveRow]:
    """Return one row per event and key; unconfigured events get one row."""
    resolved = resolve_family(context_for_entity(entity), FAMILY)
    rows = []
    for event in EVENT_TYPES:
        effective = resolved.get(event)
        if effective is None or not effective.configured:
            rows.append(EffectiveRow(event, "", "not notified", "no configuration"))
            continue
        channel = effective.values.get("channel", DEFAULTS["channel"])
        for key in SHOWN_KEYS:
            if key in effective.values:
                source = effective.sources[key]
                label = f"{source.level} #{source.object_id}"
                if key in effective.locked:
                    label += " (locked)"
                if key == "fallback_channel" and effective.values[key] == channel:
                    label += " (unused: same as the channel)"
                rows.append(EffectiveRow(event, key, effective.values[key], label))
            elif DEFAULTS[key] not in (None, ""):
                rows.append(EffectiveRow(event, key, DEFAULTS[key], "default"))
    return rows
