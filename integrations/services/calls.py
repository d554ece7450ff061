"""Calls: one row per Retell call id, merged from every event about it."""

import logging
from datetime import UTC, datetime
from decimal import Decimal

from django.db import IntegrityError, transaction

from integrations.models import STATUS_RANK, Call, CallEvent, Direction, WebhookEvent
from integrations.schemas.retell import CallAnalysis, RetellCall
from tenants.models import Company, Customer, PhoneLine
from tenants.phones import mask_phone

logger = logging.getLogger(__name__)


def _from_ms(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value / 1000, tz=UTC)


def line_and_caller(call: RetellCall) -> tuple[str, str]:
    """Return (our line's number, the other party's number) of a call."""
    if call.direction == Direction.OUTBOUND:
        return call.from_number or "", call.to_number or ""
    return call.to_number or "", call.from_number or ""


def branch_id_for_line(company_id: int, number: str) -> int | None:
    if not number:
        return None
    return (
        PhoneLine.objects.filter(company_id=company_id, number=number)
        .values_list("branch_id", flat=True)
        .first()
    )


def customer_id_for_phone(company_id: int, phone: str) -> int | None:
    if not phone.startswith("+"):
        return None
    return (
        Customer.objects.filter(company_id=company_id, phone=phone)
        .values_list("pk", flat=True)
        .first()
    )


def _locked_call(company: Company, call_id: str) -> Call:
    """Return the call row locked for update, creating it when it is new."""
    existing = (
        Call.objects.select_for_update()
        .filter(company=company, call_id=call_id)
        .first()
    )
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Call.objects.create(company=company, call_id=call_id)
    except IntegrityError:
        # Another worker created it between our read and our insert.
        return Call.objects.select_for_update().get(company=company, call_id=call_id)


def _merge(row: Call, call: RetellCall) -> None:
    """Copy the fields the event carries; never blank out what is known."""
    if call.agent_id:
        row.agent_id = call.agent_id
    if call.direction in Direction.values:
        row.direction = call.direction
    if call.from_number:
        row.from_number = call.from_number
    if call.to_number:
        row.to_number = call.to_number

    rank = STATUS_RANK.get(call.call_status)
    if rank is not None and rank > STATUS_RANK[row.status]:
        row.status = call.call_status
    row.started_at = _from_ms(call.start_timestamp) or row.started_at
    row.ended_at = _from_ms(call.end_timestamp) or row.ended_at
    if call.duration_ms is not None:
        row.duration_ms = call.duration_ms
    if call.disconnection_reason:
        row.disconnection_reason = call.disconnection_reason

    if call.transcript:
        row.transcript = call.transcript
    if call.recording_url:
        row.recording_url = call.recording_url
    if call.call_cost is not None and call.call_cost.combined_cost is not None:
        row.cost_cents = Decimal(str(call.call_cost.combined_cost))
    if call.call_analysis is not None:
        _merge_analysis(row, call.call_analysis)


def _merge_analysis(row: Call, analysis: CallAnalysis) -> None:
    row.summary = analysis.call_summary or row.summary
    row.sentiment = analysis.user_sentiment or row.sentiment
    if analysis.call_successful is not None:
        row.successful = analysis.call_successful
    if analysis.in_voicemail is not None:
        row.in_voicemail = analysis.in_voicemail
    if analysis.custom_analysis_data is not None:
        row.custom_analysis = analysis.custom_analysis_data


def call_record(
    company: Company, call: RetellCall, event: WebhookEvent | None = None
) -> Call:
    """Create or update the call of a Retell event and record the event on it.

    Must run inside a transaction: the call row stays locked until it ends,
    so two events of one call are merged one after the other.
    """
    row = _locked_call(company, call.call_id)
    _merge(row, call)
    line_number, caller_phone = line_and_caller(call)
    if row.branch_id is None:
        row.branch_id = branch_id_for_line(company.pk, line_number)
    if row.customer_id is None:
        row.customer_id = customer_id_for_phone(company.pk, caller_phone)
    row.save()
    CallEvent.objects.create(
        company=company,
        call=row,
        webhook_event=event,
        event=event.event if event is not None else "",
        status_after=row.status,
    )
    logger.info(
        "call %s of company %s from %s is %s",
        row.pk,
        company.pk,
        mask_phone(caller_phone),
        row.status,
    )
    return row
