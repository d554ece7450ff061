"""Book appointments."""

import logging
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from appointments.models import Appointment, AppointmentSource
from tenants.models import Branch, Customer, Service, Staff

logger = logging.getLogger(__name__)


def require_aware(value: datetime, name: str) -> None:
    if timezone.is_naive(value):
        raise ValidationError(
            {name: f"{value.isoformat()} has no time zone; pass an aware datetime."}
        )


@transaction.atomic
def appointment_create(
    *,
    branch: Branch,
    customer: Customer,
    starts_at: datetime,
    ends_at: datetime | None = None,
    service: Service | None = None,
    staff: Staff | None = None,
    price: Decimal | None = None,
    currency: str = "",
    source: str = AppointmentSource.ADMIN,
    external_uid: str = "",
    notes: str = "",
) -> Appointment:
    """Book an appointment; the end, price and currency default from the service.

    Raise ValidationError naming the field when the times are naive or out of
    order, or when a related object belongs to another company.
    """
    require_aware(starts_at, "starts_at")
    if ends_at is None:
        minutes = service.duration_minutes if service is not None else 30
        ends_at = starts_at + timedelta(minutes=minutes)
    require_aware(ends_at, "ends_at")
    if price is None and service is not None:
        price = service.price
    appointment = Appointment(
        company_id=branch.company_id,
        branch=branch,
        customer=customer,
        service=service,
        staff=staff,
        starts_at=starts_at,
        ends_at=ends_at,
        price=price,
        currency=currency or branch.company.currency,
        source=source,
        external_uid=external_uid,
        notes=notes,
    )
    appointment.full_clean()
    appointment.save()
    logger.info("appointment %s booked for customer %s", appointment.pk, customer.pk)
    return appointment
