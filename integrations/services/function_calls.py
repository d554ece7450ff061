"""In-call functions: run inside the request, at most once per call.

The same function call (call id, function name and arguments) delivered
again returns the stored answer and has no second effect. The first delivery
holds its inbox row uncommitted while it works, so a concurrent duplicate
waits on the unique index and then reads the committed answer.
"""

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations.models import EventKind, EventStatus, Provider, WebhookEvent
from integrations.schemas.base import Payload
from integrations.schemas.functions import FunctionCall
from integrations.schemas.retell import RetellCall
from integrations.services.calls import line_and_caller
from tenants.models import Branch, Company, PhoneLine

logger = logging.getLogger(__name__)

Answer = dict[str, Any]

FAILED_ANSWER = {
    "error": "function_failed",
    "message": "Sorry, I could not complete that just now. Please try again in a "
    "moment.",
}

FINISH_FIELDS = ("status", "attempts", "started_at", "processed_at")


@dataclass(frozen=True)
class FunctionContext:
    """The live call a function serves: company, branch, caller and clock."""

    company: Company
    call: RetellCall
    branch: Branch | None
    caller_phone: str
    now: datetime

    @property
    def time_zone(self) -> str:
        return self.branch.time_zone if self.branch else self.company.time_zone


@dataclass(frozen=True)
class InCallFunction:
    name: str
    args_schema: type[Payload]
    handler: Callable[[FunctionContext, Any], Answer]


def arguments_key(envelope: FunctionCall) -> str:
    """Return the idempotency key: call id, function name and an args digest."""
    canonical = json.dumps(envelope.args, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:40]
    return f"{envelope.call.call_id}:{envelope.name}:{digest}"


def function_context(company: Company, call: RetellCall) -> FunctionContext:
    line_number, caller_phone = line_and_caller(call)
    line = (
        PhoneLine.objects.select_related("branch")
        .filter(company=company, number=line_number)
        .first()
        if line_number
        else None
    )
    return FunctionContext(
        company=company,
        call=call,
        branch=line.branch if line else None,
        caller_phone=caller_phone,
        now=timezone.now(),
    )


def _claim(
    company: Company, envelope: FunctionCall, key: str, body: str, headers: dict
) -> tuple[WebhookEvent, bool]:
    """Insert the inbox row, or lock the stored one; return it and whether it is new."""
    try:
        with transaction.atomic():
            event = WebhookEvent.objects.create(
                company=company,
                provider=Provider.RETELL,
                kind=EventKind.FUNCTION_CALL,
                event=envelope.name,
                external_id=envelope.call.call_id,
                idempotency_key=key,
                body=body,
                headers=headers,
                status=EventStatus.PROCESSING,
                attempts=1,
                started_at=timezone.now(),
            )
        return event, True
    except IntegrityError:
        stored = WebhookEvent.objects.select_for_update().get(
            provider=Provider.RETELL, company=company, idempotency_key=key
        )
        return stored, False


def function_call_answer(
    *,
    company: Company,
    envelope: FunctionCall,
    args: Payload,
    function: InCallFunction,
    body: str,
    headers: dict[str, str],
) -> tuple[Answer, int]:
    """Run `function` once for this call and arguments; return (response, status).

    A failing function rolls back everything it did, including the claim of
    the inbox row, and the failure is then recorded in a transaction of its
    own. This saves the happy path a savepoint around the function.
    """
    key = arguments_key(envelope)
    try:
        with transaction.atomic():
            event, created = _claim(company, envelope, key, body, headers)
            if not created and event.status == EventStatus.PROCESSED:
                logger.info(
                    "function call %s delivered again; returning the stored response",
                    event.pk,
                )
                return event.response, 200
            if not created:
                # The earlier delivery failed; this one tries again.
                event.attempts += 1
                event.started_at = timezone.now()
            answer = function.handler(function_context(company, envelope.call), args)
            event.status = EventStatus.PROCESSED
            event.response = answer
            event.outcome = str(answer.get("result", ""))[:200]
            event.error = ""
            event.processed_at = timezone.now()
            event.save(update_fields=[*FINISH_FIELDS, "error", "response", "outcome"])
    except Exception as error:
        # Recorded on the row; Retell retries a failed function call.
        logger.exception("function call %s of call %s failed", envelope.name, key)
        _record_failure(company, envelope, key, body, headers, error)
        return FAILED_ANSWER, 503
    return answer, 200


def _record_failure(
    company: Company,
    envelope: FunctionCall,
    key: str,
    body: str,
    headers: dict[str, str],
    error: Exception,
) -> None:
    now = timezone.now()
    event, created = WebhookEvent.objects.get_or_create(
        provider=Provider.RETELL,
        company=company,
        idempotency_key=key,
        defaults={
            "kind": EventKind.FUNCTION_CALL,
            "event": envelope.name,
            "external_id": envelope.call.call_id,
            "body": body,
            "headers": headers,
            "started_at": now,
        },
    )
    if event.status == EventStatus.PROCESSED:
        return  # a concurrent delivery succeeded meanwhile
    event.status = EventStatus.FAILED
    event.attempts += 1
    event.error = f"{type(error).__name__}: {error}"
    event.processed_at = now
    event.save(update_fields=[*FINISH_FIELDS, "error"])
