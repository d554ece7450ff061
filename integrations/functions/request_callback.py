"""`request_callback`: the caller wants a human to call back."""

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError

from callbacks.services.create import callback_create
from integrations.functions.speech import deadline_text, window_text
from integrations.schemas.functions import RequestCallbackArgs
from integrations.services.function_calls import Answer, FunctionContext
from tenants.models import Customer, Service
from tenants.phones import mask_phone, normalize_phone

logger = logging.getLogger(__name__)

NO_BRANCH_MESSAGE = (
    "I'm sorry, I cannot register a callback from this line. Please call the "
    "branch directly."
)


def _window(
    context: FunctionContext, args: RequestCallbackArgs
) -> tuple[datetime | None, datetime | None]:
    """Return the caller's window as aware datetimes in the branch's zone."""
    if args.window_start is None:
        return None, None
    zone = ZoneInfo(context.time_zone)
    day = args.window_date or context.now.astimezone(zone).date()
    starts = datetime.combine(day, args.window_start.replace(tzinfo=None), zone)
    ends = None
    if args.window_end is not None:
        ends = datetime.combine(day, args.window_end.replace(tzinfo=None), zone)
    return starts, ends


def request_callback(context: FunctionContext, args: RequestCallbackArgs) -> Answer:
    company = context.company
    if context.branch is None:
        return {"result": "unavailable", "message": NO_BRANCH_MESSAGE}
    raw_phone = args.phone_number or context.caller_phone
    try:
        phone = normalize_phone(raw_phone, company.phone_region)
    except ValidationError:
        return {
            "result": "invalid_phone",
            "message": f"I could not use the number {raw_phone or 'you gave'}. "
            "Could you tell me the number again, with the area code?",
        }

    service = None
    if args.service_name:
        service = Service.objects.filter(
            company=company, name__iexact=args.service_name.strip()
        ).first()
    customer = Customer.objects.filter(company=company, phone=phone).first()

    window_starts_at, window_ends_at = _window(context, args)
    notes = args.reason
    if args.preferred_time:
        notes = f"{notes}\nPreferred time: {args.preferred_time}".strip()
    callback, created = callback_create(
        company=company,
        branch=context.branch,
        phone=phone,
        name=args.customer_name or (customer.name if customer else ""),
        email=customer.email if customer else "",
        service=service,
        customer=customer,
        priority=args.urgency,
        window_starts_at=window_starts_at,
        window_ends_at=window_ends_at,
        notes=notes,
        source="phone_agent",
        retell_call_id=context.call.call_id,
        metadata={
            "reason": args.reason,
            "preferred_time": args.preferred_time,
            "service_name": args.service_name,
        },
    )

    if callback.window_starts_at is not None and callback.window_starts_at > (
        context.now
    ):
        when = window_text(
            callback.window_starts_at,
            callback.window_ends_at,
            context.now,
            context.time_zone,
        )
    else:
        when = deadline_text(callback.due_at, context.now, context.time_zone)
    if created:
        message = (
            f"Thank you. A colleague will call you back {when}. Your reference "
            f"is {callback.reference}."
        )
    else:
        message = (
            f"You already have a callback request, reference {callback.reference}, "
            f"and I have added this to it. A colleague will call you back {when}."
        )
    logger.info(
        "callback %s %s for %s during call %s",
        callback.pk,
        "created" if created else "merged",
        mask_phone(phone),
        context.call.call_id,
    )
    return {
        "result": "created" if created else "merged",
        "reference": callback.reference,
        "due_at": callback.due_at.isoformat(),
        "message": message,
    }
