"""Render a delivery's message from the event's templates or the tenant's text.

Templates see plain dictionaries, never model instances. A tenant's override
text therefore reaches only the names and ids chosen in `template_context` and
the callback's or appointment's columns, minus any whose name suggests a
secret, and never a company's stored keys.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db import models
from django.template import Context, Template, TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe

from notifications.models import Channel, Delivery
from tenants.models import Branch, Company, Customer, Staff
from tenants.scoping import tenant_path_of

EVENT_LABELS = {
    "callback_created": "New callback request",
    "callback_assigned": "Callback assigned to you",
    "callback_sla_warning": "Callback due soon",
    "callback_escalated": "Callback escalated",
    "callback_expired": "Callback expired",
    "appointment_cancelled": "Appointment cancelled",
    "appointment_rescheduled": "Appointment rescheduled",
    "policy_violation": "Policy violation",
}

# Optional apps whose rows enrich the template context when they are installed.
RELATED_MODELS = {
    "callback": ("callbacks", "CallbackRequest", "callback_id"),
    "appointment": ("appointments", "Appointment", "appointment_id"),
}
HIDDEN_FIELD_WORDS = ("secret", "key", "token", "password")


class RenderError(Exception):
    """A template that does not compile or render; the message names it."""


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str = ""


def _plain_fields(obj: models.Model) -> dict[str, Any]:
    values = {}
    for field in obj._meta.concrete_fields:
        if any(word in field.name for word in HIDDEN_FIELD_WORDS):
            continue
        if field.is_relation:
            values[field.attname] = getattr(obj, field.attname)
        else:
            values[field.name] = getattr(obj, field.name)
    return values


def _related_row(name: str, company_id: int, payload: dict) -> dict[str, Any] | None:
    app_label, model_name, key = RELATED_MODELS[name]
    if not payload.get(key):
        return None
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None
    if tenant_path_of(model) != "company":
        return None
    row = model._default_manager.filter(company_id=company_id, pk=payload[key]).first()
    return _plain_fields(row) if row is not None else None


def _person(obj) -> dict[str, Any] | None:
    if obj is None:
        return None
    return {"id": obj.pk, "name": obj.name, "email": obj.email}


def _times(payload: dict) -> dict[str, datetime]:
    """Parse the payload's ISO timestamps (keys ending in `_at`) for `date`."""
    times = {}
    for key, value in payload.items():
        if key.endswith("_at") and isinstance(value, str):
            parsed = parse_datetime(value)
            if parsed is not None:
                times[key] = parsed
    return times


def template_context(delivery: Delivery) -> dict[str, Any]:
    """Build what the templates may use from the delivery and its event."""
    payload = delivery.payload
    company_id = delivery.company_id
    company = Company.objects.filter(pk=company_id).only("name", "time_zone").first()

    branch = None
    if payload.get("branch_id"):
        branch = Branch.objects.filter(
            company_id=company_id, pk=payload["branch_id"]
        ).first()

    staff_ids = {
        key: payload[key]
        for key in ("assignee_id", "to_staff_id", "staff_id")
        if payload.get(key)
    }
    staff = {}
    if staff_ids:
        found = Staff.objects.filter(company_id=company_id, pk__in=staff_ids.values())
        by_id = {member.pk: member for member in found}
        staff = {key: by_id.get(pk) for key, pk in staff_ids.items()}

    customer = None
    if payload.get("customer_id"):
        customer = Customer.objects.filter(
            company_id=company_id, pk=payload["customer_id"]
        ).first()

    return {
        "event": delivery.event_type,
        "times": _times(payload),
        "event_label": EVENT_LABELS.get(delivery.event_type, delivery.event_type),
        "payload": payload,
        "reason": payload.get("reason", ""),
        "company": {"name": company.name if company else ""},
        "branch": {"name": branch.name, "time_zone": branch.time_zone}
        if branch
        else None,
        "recipient": {"name": delivery.recipient_name, "type": delivery.recipient_type},
        "assignee": _person(staff.get("assignee_id")),
        "new_owner": _person(staff.get("to_staff_id")),
        "staff": _person(staff.get("staff_id")),
        "customer": {"id": customer.pk, "name": customer.name} if customer else None,
        "callback": _related_row("callback", company_id, payload),
        "appointment": _related_row("appointment", company_id, payload),
    }


def _render_file(name: str, context: dict, autoescape: bool = False) -> str:
    """Render a template file; text files render without HTML escaping."""
    try:
        template = get_template(name).template
        return template.render(Context(context, autoescape=autoescape))
    except TemplateDoesNotExist as error:
        raise RenderError(f"template {name} does not exist; add it") from error
    except Exception as error:  # noqa: BLE001 - any template failure is reported
        raise RenderError(
            f"template {name} failed to render: {type(error).__name__}: {error}"
        ) from error


def _render_text(text: str, context: dict, label: str) -> str:
    try:
        return Template(text).render(Context(context, autoescape=False))
    except Exception as error:  # noqa: BLE001 - any template failure is reported
        raise RenderError(
            f"the configured {label} failed to render: {type(error).__name__}: "
            f"{error}; fix it in the notification configuration"
        ) from error


def render_message(delivery: Delivery, context: dict) -> Rendered:
    """Render subject, text and (for email) HTML of one delivery.

    Dates render in the recipient's time zone.
    """
    with timezone.override(delivery.time_zone):
        return _render(delivery, context)


def _render(delivery: Delivery, context: dict) -> Rendered:
    event = delivery.event_type
    override = delivery.settings.get("template") or ""
    subject_override = delivery.settings.get("subject") or ""
    base = f"notifications/{event}"

    if subject_override:
        subject = _render_text(subject_override, context, "subject")
    else:
        subject = _render_file(f"{base}.subject.txt", context)
    subject = " ".join(subject.split())

    if override:
        text = _render_text(override, context, "template").strip()
    else:
        text = _render_file(f"{base}.txt", context).strip()

    html = ""
    if delivery.channel == Channel.EMAIL:
        if override:
            html = _render_file(
                "notifications/email_base.html",
                {
                    **context,
                    "subject": subject,
                    "body": mark_safe(linebreaks(text, autoescape=True)),
                },
                autoescape=True,
            )
        else:
            html = _render_file(
                f"{base}.html", {**context, "subject": subject}, autoescape=True
            )
    return Rendered(subject=subject, text=text, html=html)
