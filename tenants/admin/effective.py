"""Render the effective configuration of an entity with the source of each key."""

import json
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from tenants.configuration.contexts import context_for_entity
from tenants.configuration.resolver import resolve_family
from tenants.configuration.schemas import families


def effective_configuration_html(entity) -> SafeString:
    if entity is None or entity.pk is None:
        return format_html("<p>{}</p>", "Save the entity first.")
    context = context_for_entity(entity)
    rows = []
    for family in families():
        for kind, effective in resolve_family(context, family).items():
            for key in sorted(effective.values):
                source = effective.sources[key]
                lock = effective.locked.get(key)
                rows.append(
                    (
                        family,
                        kind,
                        key,
                        json.dumps(effective.values[key], default=str),
                        f"{source.level} #{source.object_id}",
                        f"locked at {lock.level}" if lock else "",
                    )
                )
    if not rows:
        return format_html("<p>{}</p>", "No configuration applies here yet.")
    body = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td><code>{}</code></td>"
        "<td>{}</td><td>{}</td></tr>",
        rows,
    )
    return format_html(
        '<table class="effective-config"><thead><tr><th>Family</th><th>Kind</th>'
        "<th>Key</th><th>Value</th><th>Set at</th><th>Lock</th></tr></thead>"
        "<tbody>{}</tbody></table>",
        body,
    )


def configurations_link(entity, level: str) -> SafeString:
    if entity is None or entity.pk is None:
        return SafeString("")
    query = urlencode({"level": level, "object_id": entity.pk})
    url = f"{reverse('admin:tenants_hierarchyconfig_changelist')}?{query}"
    return format_html('<a href="{}">All configurations set on this {}</a>', url, level)
