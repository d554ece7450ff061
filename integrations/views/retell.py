"""Retell endpoints: call events, which are queued, and in-call functions, which
respond within the request."""

from django.http import HttpRequest, JsonResponse

from integrations.errors import WebhookError
from integrations.functions import FUNCTIONS
from integrations.handlers.retell_events import RETELL_EVENT_HANDLERS
from integrations.models import EventKind, Provider
from integrations.schemas.functions import FunctionCall
from integrations.schemas.retell import RetellCallEvent
from integrations.services.function_calls import function_call_answer
from integrations.services.inbox import webhook_event_receive
from integrations.signatures import RETELL_HEADER, SignatureError, verify_retell
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
from tenants.models import Company

PROVIDER = Provider.RETELL.value


def _authenticated(request: HttpRequest, company_slug: str) -> tuple[Company, str]:
    body = read_body(request)
    company = company_for_webhook(PROVIDER, company_slug, "retell_api_key")
    try:
        verify_retell(body, request.headers.get(RETELL_HEADER), company.retell_api_key)
    except SignatureError as error:
        reject_signature(PROVIDER, company_slug, error)
    require_json(request)
    return company, body_text(body)


@webhook_endpoint
def retell_events(request: HttpRequest, company_slug: str) -> JsonResponse:
    company, text = _authenticated(request, company_slug)
    payload = parse(RetellCallEvent, text)
    handled = payload.event in RETELL_EVENT_HANDLERS
    event, created = webhook_event_receive(
        company_id=company.pk,
        provider=PROVIDER,
        kind=EventKind.CALL_EVENT,
        event=payload.event,
        external_id=payload.call.call_id,
        idempotency_key=f"{payload.event}:{payload.call.call_id}",
        body=text,
        headers=kept_headers(request, RETELL_HEADER),
        handled=handled,
    )
    return receipt(event, created, handled)


@webhook_endpoint
def retell_functions(request: HttpRequest, company_slug: str) -> JsonResponse:
    company, text = _authenticated(request, company_slug)
    envelope = parse(FunctionCall, text)
    function = FUNCTIONS.get(envelope.name)
    if function is None:
        raise WebhookError(
            400,
            "unknown_function",
            f"{envelope.name[:100]!r} is not a function of this endpoint; use one "
            f"of {', '.join(sorted(FUNCTIONS))}.",
        )
    args = parse(function.args_schema, envelope.args)
    answer, status = function_call_answer(
        company=company,
        envelope=envelope,
        args=args,
        function=function,
        body=text,
        headers=kept_headers(request, RETELL_HEADER),
    )
    return JsonResponse(answer, status=status)
