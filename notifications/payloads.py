"""Fill ids that an event payload left out from the row the event is about."""

from typing import Any

from django.apps import apps

from tenants import events
from tenants.scoping import tenant_path_of

# Event type -> (app label, model, payload key of the row's id, ids to fill).
SOURCES = {
    events.APPOINTMENT_CANCELLED: (
        "appointments",
        "Appointment",
        "appointment_id",
        ("staff_id", "customer_id", "branch_id", "service_id"),
    ),
    events.APPOINTMENT_RESCHEDULED: (
        "appointments",
        "Appointment",
        "appointment_id",
        ("staff_id", "customer_id", "branch_id", "service_id"),
    ),
    events.POLICY_VIOLATION: (
        "appointments",
        "Appointment",
        "appointment_id",
        ("customer_id", "branch_id"),
    ),
}


def payload_completed(
    event_type: str, company_id: int, payload: dict[str, Any]
) -> dict[str, Any]:
    """Return `payload` with missing recipient ids read from the event's row.

    Costs one query when an id is missing and the row's app is installed,
    none otherwise. Rows of other companies are never read.
    """
    source = SOURCES.get(event_type)
    if source is None:
        return payload
    app_label, model_name, key, fill_ids = source
    missing = [name for name in fill_ids if payload.get(name) is None]
    if not missing or not payload.get(key):
        return payload
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return payload
    if tenant_path_of(model) != "company":
        return payload
    columns = {field.attname for field in model._meta.concrete_fields}
    readable = [name for name in missing if name in columns]
    if not readable:
        return payload
    row = (
        model._default_manager.filter(company_id=company_id, pk=payload[key])
        .values(*readable)
        .first()
    )
    if row is None:
        return payload
    return {**payload, **{name: value for name, value in row.items() if value}}
