"""Cal.com bookings kept in sync with appointments, idempotent on the booking uid."""

import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from appointments.models import Appointment, AppointmentSource, AppointmentStatus
from appointments.services import appointment_create
from integrations.schemas.calcom import BookingPayload
from policies.services import appointment_cancel, appointment_reschedule
from tenants.models import Branch, Company, Customer, Service, Staff
from tenants.phones import normalize_phone

logger = logging.getLogger(__name__)

ACTOR = "calcom"


def booking_customer(company: Company, booking: BookingPayload) -> Customer:
    """Return the attendee's customer by phone, then by email, or create one."""
    attendee = booking.attendee()
    email = (attendee.email or "").strip() if attendee else ""
    name = (attendee.name or "").strip() if attendee else ""
    raw_phone = booking.attendee_phone()
    try:
        phone = normalize_phone(raw_phone, company.phone_region) if raw_phone else ""
    except ValidationError:
        logger.info("booking %s has an unusable phone number", booking.uid)
        phone = ""
    if phone:
        customer = Customer.objects.filter(company=company, phone=phone).first()
        if customer is not None:
            return customer
    if email:
        customer = Customer.objects.filter(company=company, email__iexact=email).first()
        if customer is not None:
            if phone and not customer.phone:
                customer.phone, customer.phone_raw = phone, raw_phone
                customer.save(update_fields=["phone", "phone_raw"])
            return customer
    return Customer.objects.create(
        company=company,
        phone=phone,
        phone_raw=raw_phone if phone else "",
        name=name,
        email=email,
    )


def booking_service(company: Company, booking: BookingPayload) -> Service | None:
    keys = [key for key in (booking.type, booking.eventTypeId) if key not in (None, "")]
    if not keys:
        return None
    matches = Q()
    for key in keys:
        matches |= Q(external_event_type=str(key))
    return Service.objects.filter(matches, company=company).order_by("pk").first()


def booking_staff(company: Company, booking: BookingPayload) -> Staff | None:
    email = booking.organizer.email if booking.organizer else None
    if not email:
        return None
    return Staff.objects.filter(company=company, email__iexact=email).first()


def booking_branch(
    company: Company, staff: Staff | None, service: Service | None
) -> Branch:
    """Return the organizer's branch, else the only branch that fits."""
    if staff is not None:
        return staff.branch
    candidates = service.branches.all() if service is not None else company.branches
    branches = list(candidates.order_by("pk")[:2])
    if len(branches) == 1:
        return branches[0]
    raise ValueError(
        f"cannot tell the branch of a booking of company {company.pk}: the "
        "organizer's email matches no staff member; give the organizer a staff "
        "profile with that email and retry."
    )


def booking_price(booking: BookingPayload) -> Decimal | None:
    # NOTE: Cal.com sends prices in the currency's minor unit; currencies
    # without cents (JPY) would read 100 times too small.
    if booking.price is None:
        return None
    return (Decimal(str(booking.price)) / 100).quantize(Decimal("0.01"))


def _by_uid(company: Company, uid: str) -> Appointment | None:
    return Appointment.objects.filter(company=company, external_uid=uid).first()


def _create(
    company: Company, booking: BookingPayload, rescheduled_from: Appointment | None
) -> Appointment:
    service = booking_service(company, booking)
    staff = booking_staff(company, booking)
    appointment = appointment_create(
        branch=booking_branch(company, staff, service),
        customer=booking_customer(company, booking),
        starts_at=booking.startTime,
        ends_at=booking.endTime,
        service=service,
        staff=staff,
        price=booking_price(booking),
        currency=(booking.currency or "").upper()[:3],
        source=AppointmentSource.CALCOM,
        external_uid=booking.uid,
        notes=booking.additionalNotes or "",
    )
    if rescheduled_from is not None:
        appointment.rescheduled_from = rescheduled_from
        appointment.reschedule_count = rescheduled_from.reschedule_count + 1
        appointment.save(update_fields=["rescheduled_from", "reschedule_count"])
    return appointment


def booking_created_sync(company: Company, booking: BookingPayload) -> str:
    existing = _by_uid(company, booking.uid)
    if existing is not None:
        return f"booking already synced as appointment {existing.pk}"
    appointment = _create(company, booking, rescheduled_from=None)
    return f"appointment {appointment.pk} created"


def booking_rescheduled_sync(company: Company, booking: BookingPayload) -> str:
    """Book the new booking and link it to the old one through `rescheduleUid`.

    A future booked appointment moves through the reschedule service, forced
    because Cal.com already moved it; that records the modification. Any
    other old row is linked as it is.
    """
    existing = _by_uid(company, booking.uid)
    if existing is not None:
        return f"booking already synced as appointment {existing.pk}"
    old = _by_uid(company, booking.rescheduleUid) if booking.rescheduleUid else None
    movable = (
        old is not None
        and old.status == AppointmentStatus.BOOKED
        and old.starts_at > timezone.now()
    )
    if not movable:
        appointment = _create(company, booking, rescheduled_from=old)
        if old is not None and old.status == AppointmentStatus.BOOKED:
            old.status = AppointmentStatus.RESCHEDULED
            old.save(update_fields=["status", "updated_at"])
        linked = f" from appointment {old.pk}" if old else " (old booking unknown)"
        return f"appointment {appointment.pk} created{linked}"
    decision = appointment_reschedule(
        old,
        booking.startTime,
        actor=ACTOR,
        reason="rescheduled in Cal.com",
        force=True,
    )
    moved = Appointment.objects.get(pk=decision.details["new_appointment_id"])
    moved.external_uid = booking.uid
    moved.ends_at = booking.endTime
    moved.staff = booking_staff(company, booking) or moved.staff
    moved.service = booking_service(company, booking) or moved.service
    moved.price = booking_price(booking) if booking.price is not None else moved.price
    moved.save()
    return f"appointment {old.pk} moved to appointment {moved.pk}"


def booking_cancelled_sync(company: Company, booking: BookingPayload) -> str:
    appointment = _by_uid(company, booking.uid)
    if appointment is None:
        # Cal.com does not promise order: the cancellation may come first. The
        # booking is recorded from it and cancelled, so a late BOOKING_CREATED
        # finds the uid and leaves it cancelled.
        appointment = _create(company, booking, rescheduled_from=None)
    if appointment.status != AppointmentStatus.BOOKED:
        return f"appointment {appointment.pk} already {appointment.status}"
    reason = booking.cancellationReason or "cancelled in Cal.com"
    if appointment.starts_at <= timezone.now():
        # The policy service refuses past appointments; Cal.com is the source
        # of truth for its own bookings, so the status follows it.
        appointment.status = AppointmentStatus.CANCELLED
        appointment.save(update_fields=["status", "updated_at"])
    else:
        appointment_cancel(appointment, actor=ACTOR, reason=reason, force=True)
    return f"appointment {appointment.pk} cancelled"
