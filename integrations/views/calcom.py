"""The Cal.com endpoint: booking events, stored and processed by a worker."""

import hashlib

from django.http import HttpRequest, JsonResponse

from integrations.handlers.calcom_bookings import CALCOM_BOOKING_HANDLERS
from integrations.models import EventKind, Provider
from integrations.schemas.calcom import BookingPayload, CalcomEnvelope
from integrations.services.inbox import webhook_event_receive
from integrations.signatures import CALCOM_HEADER, SignatureError, verify_calcom
from integrations.views.common import (
    body_text,
    company_for_webhook,
    kept_headers,
    parse,
    read_body,
    receipt,
    reject_signature,
    require_json,
    webhook_endpoint,
)

PROVIDER = Provider.CALCOM.value


@webhook_endpoint
def calcom_bookings(request: HttpRequest, company_slug: str) -> JsonResponse:
    body = read_body(request)
    company = company_for_webhook(PROVIDER, company_slug, "calcom_secret")
    try:
        verify_calcom(body, request.headers.get(CALCOM_HEADER), company.calcom_secret)
    except SignatureError as error:
        reject_signature(PROVIDER, company_slug, error)
    require_json(request)
    text = body_text(body)
    envelope = parse(CalcomEnvelope, text)
    handled = envelope.triggerEvent in CALCOM_BOOKING_HANDLERS
    if handled:
        uid = parse(BookingPayload, envelope.payload).uid
    else:
        # Events we do not use (PING, MEETING_ENDED, ...) may carry no uid;
        # Cal.com signs no timestamp, so the body itself identifies a replay.
        uid = str(envelope.payload.get("uid") or "")[:200]
        uid = uid or hashlib.sha256(body).hexdigest()
    event, created = webhook_event_receive(
        company_id=company.pk,
        provider=PROVIDER,
        kind=EventKind.BOOKING_EVENT,
        event=envelope.triggerEvent,
        external_id=uid,
        idempotency_key=f"{envelope.triggerEvent}:{uid}",
        body=text,
        headers=kept_headers(request, CALCOM_HEADER),
        handled=handled,
    )
    return receipt(event, created, handled)
