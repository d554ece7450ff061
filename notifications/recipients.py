"""Recipients of each event, loaded with one query per recipient type."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from notifications.models import Channel, RecipientType
from tenants import events
from tenants.configuration.contexts import context_for
from tenants.configuration.resolver import ConfigContext
from tenants.models import Company, Customer, Staff


@dataclass(frozen=True)
class Recipient:
    type: str
    id: int
    name: str
    email: str
    phone: str
    time_zone: str
    context: ConfigContext


@dataclass
class RecipientFilter:
    """Filters of the staff and customers an event goes to."""

    staff: Q | None = None
    customer_ids: frozenset[int] = frozenset()

    def __or__(self, other: "RecipientFilter") -> "RecipientFilter":
        staff = self.staff
        if other.staff is not None:
            staff = other.staff if staff is None else staff | other.staff
        return RecipientFilter(staff, self.customer_ids | other.customer_ids)


Payload = dict[str, Any]


def _staff(*keys: str) -> Callable[[Payload], RecipientFilter]:
    def select(payload: Payload) -> RecipientFilter:
        ids = [payload[key] for key in keys if payload.get(key)]
        return RecipientFilter(staff=Q(pk__in=ids)) if ids else RecipientFilter()

    return select


def branch_team(payload: Payload) -> RecipientFilter:
    if not payload.get("branch_id"):
        return RecipientFilter()
    return RecipientFilter(staff=Q(branch_id=payload["branch_id"], is_active=True))


def branch_managers(payload: Payload) -> RecipientFilter:
    if not payload.get("branch_id"):
        return RecipientFilter()
    return RecipientFilter(
        staff=Q(branch_id=payload["branch_id"], is_manager=True, is_active=True)
    )


def customer(payload: Payload) -> RecipientFilter:
    if not payload.get("customer_id"):
        return RecipientFilter()
    return RecipientFilter(customer_ids=frozenset({payload["customer_id"]}))


RULES: dict[str, tuple[Callable[[Payload], RecipientFilter], ...]] = {
    events.CALLBACK_CREATED: (branch_team,),
    events.CALLBACK_ASSIGNED: (_staff("assignee_id"),),
    events.CALLBACK_SLA_WARNING: (_staff("assignee_id"),),
    events.CALLBACK_ESCALATED: (_staff("to_staff_id"), branch_managers),
    events.CALLBACK_EXPIRED: (branch_managers,),
    events.APPOINTMENT_CANCELLED: (customer, _staff("staff_id")),
    events.APPOINTMENT_RESCHEDULED: (customer, _staff("staff_id")),
    events.POLICY_VIOLATION: (branch_managers,),
}


def staff_recipient(staff: Staff, service_id: int | None = None) -> Recipient:
    return Recipient(
        type=RecipientType.STAFF,
        id=staff.pk,
        name=staff.name,
        email=staff.email,
        phone=staff.phone,
        time_zone=staff.branch.time_zone,
        context=context_for(staff.company_id, staff.branch_id, service_id, staff.pk),
    )


def customer_recipient(
    customer: Customer, company: Company, branch_id: int | None
) -> Recipient:
    return Recipient(
        type=RecipientType.CUSTOMER,
        id=customer.pk,
        name=customer.name,
        email=customer.email,
        phone=customer.phone,
        time_zone=company.time_zone,
        context=context_for(company.pk, branch_id),
    )


def recipients_for(
    event_type: str, company: Company, payload: Payload
) -> list[Recipient]:
    """Return the recipients of one event, staff first, each person once."""
    selection = RecipientFilter()
    for rule in RULES.get(event_type, ()):
        selection = selection | rule(payload)
    service_id = payload.get("service_id")
    recipients = []
    if selection.staff is not None:
        staff = (
            Staff.objects.filter(selection.staff, company_id=company.pk)
            .select_related("branch")
            .order_by("pk")
        )
        recipients += [staff_recipient(member, service_id) for member in staff]
    if selection.customer_ids:
        customers = Customer.objects.filter(
            company_id=company.pk, pk__in=selection.customer_ids
        ).order_by("pk")
        branch_id = payload.get("branch_id")
        recipients += [customer_recipient(c, company, branch_id) for c in customers]
    return recipients


def load_recipient(
    company: Company, recipient_type: str, recipient_id: int, payload: Payload
) -> Recipient | None:
    """Load one recipient again, e.g. to address a fallback channel."""
    if recipient_type == RecipientType.STAFF:
        staff = (
            Staff.objects.filter(company_id=company.pk, pk=recipient_id)
            .select_related("branch")
            .first()
        )
        return staff_recipient(staff, payload.get("service_id")) if staff else None
    if recipient_type == RecipientType.CUSTOMER:
        found = Customer.objects.filter(company_id=company.pk, pk=recipient_id).first()
        if found is None:
            return None
        return customer_recipient(found, company, payload.get("branch_id"))
    return None


def address_for(recipient: Recipient, channel: str, webhook_url: str) -> str:
    """Return where `channel` reaches `recipient`; empty when it cannot."""
    if channel == Channel.EMAIL:
        return recipient.email
    if channel in (Channel.SMS, Channel.WHATSAPP):
        return recipient.phone
    if channel == Channel.WEBHOOK:
        return webhook_url or ""
    return ""
