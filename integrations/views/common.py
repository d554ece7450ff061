"""Steps shared by the webhook endpoints: reading, authenticating and parsing."""

import functools
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError as PydanticValidationError

from integrations.errors import WebhookError
from integrations.models import WebhookEvent
from integrations.rejections import rejection_record
from integrations.schemas.base import Payload
from integrations.signatures import SignatureError
from tenants.models import Company

# Request headers kept with a stored event, for debugging deliveries.
KEPT_HEADERS = ("Content-Type", "User-Agent", "Content-Length")

Schema = TypeVar("Schema", bound=Payload)


def receipt(event: WebhookEvent, created: bool, handled: bool) -> JsonResponse:
    """Acknowledge a stored event; a redelivery is acknowledged as a duplicate."""
    if not created:
        status = "duplicate"
    else:
        status = "accepted" if handled else "ignored"
    return JsonResponse({"status": status, "event_id": event.pk})


def webhook_endpoint(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Accept only POST and turn a WebhookError into its JSON response."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            if request.method != "POST":
                raise WebhookError(
                    405, "method_not_allowed", "Webhooks accept only POST requests."
                )
            return view(request, *args, **kwargs)
        except WebhookError as error:
            response = error.response()
            if error.status == 405:
                response["Allow"] = "POST"
            return response

    return wrapper


# Retell and Cal.com send JSON; a sender that omits the header is tolerated.
ACCEPTED_CONTENT_TYPES = ("application/json", "")


def require_json(request: HttpRequest) -> None:
    """Raise 415 for a body that is not JSON; called after authentication."""
    if request.content_type not in ACCEPTED_CONTENT_TYPES:
        raise WebhookError(
            415,
            "unsupported_media_type",
            f"Content-Type {request.content_type} is not accepted; send the body "
            "as application/json.",
        )


def read_body(request: HttpRequest) -> bytes:
    try:
        return request.body
    except RequestDataTooBig as error:
        raise WebhookError(
            413,
            "body_too_large",
            f"The request body is larger than the webhook limit of "
            f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024} KiB.",
        ) from error


def company_for_webhook(provider: str, slug: str, key_field: str) -> Company:
    """Return the company of the URL with its key, or raise 401."""
    company = (
        Company.objects.filter(slug=slug)
        .only("id", "slug", "time_zone", "phone_region", "currency", key_field)
        .first()
    )
    if company is None:
        reject(provider, slug, "unknown_company", "No company has this URL.")
    if not getattr(company, key_field):
        reject(
            provider,
            slug,
            "key_not_configured",
            "The company has no webhook key configured for this provider.",
        )
    return company


def reject(provider: str, slug: str, reason: str, message: str):
    rejection_record(provider, reason, slug)
    raise WebhookError(401, reason, message)


def reject_signature(provider: str, slug: str, error: SignatureError):
    reject(provider, slug, error.reason, error.message)


def kept_headers(request: HttpRequest, *extra: str) -> dict[str, str]:
    kept = {}
    for name in (*KEPT_HEADERS, *extra):
        value = request.headers.get(name)
        if value is not None:
            kept[name] = value[:500]
    return kept


def body_text(body: bytes) -> str:
    """Return the body as text, rejecting what the database cannot store."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise WebhookError(
            400, "invalid_json", "The body is not UTF-8 encoded JSON."
        ) from error
    # PostgreSQL text and jsonb columns cannot hold a NUL character.
    if "\x00" in text or "\\u0000" in text:
        raise WebhookError(
            400, "invalid_payload", "The body contains a NUL character (\\u0000)."
        )
    return text


def parse(schema: type[Schema], data: str | dict) -> Schema:
    """Validate JSON text or a decoded part of it against `schema`, or raise 400."""
    try:
        if isinstance(data, str):
            return schema.model_validate_json(data)
        return schema.from_json_data(data)
    except PydanticValidationError as error:
        raise WebhookError(400, *describe(error)) from error


def describe(error: PydanticValidationError) -> tuple[str, str]:
    """Return (code, message) naming the first invalid field."""
    first = error.errors(include_url=False, include_input=False)[0]
    if first["type"] == "json_invalid":
        return "invalid_json", f"The body is not valid JSON: {first['msg']}."
    location = ".".join(str(part) for part in first["loc"]) or "body"
    return "invalid_payload", f"{location}: {first['msg']}."
