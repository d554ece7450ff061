"""The callback a caller asked for, when the agent did not create it live."""

import logging

from django.core.exceptions import ValidationError

from callbacks.models import CallbackRequest
from callbacks.services.create import callback_create
from integrations.models import Call
from integrations.schemas.retell import RetellCall
from integrations.services.calls import line_and_caller
from tenants.models import Branch, Customer
from tenants.phones import mask_phone

logger = logging.getLogger(__name__)


def callback_for_analyzed_call(call: Call, payload: RetellCall) -> str:
    """Create a callback when the analysis reports that the caller requested one.

    Return a short outcome. Nothing happens when a callback already carries
    this call id, so a redelivered or retried event creates no second one.
    """
    analysis = payload.call_analysis
    data = (analysis.custom_analysis_data if analysis else None) or {}
    if data.get("callback_requested") is not True:
        return "no callback requested"
    if CallbackRequest.objects.filter(
        company_id=call.company_id, retell_call_id=call.call_id
    ).exists():
        return "callback already exists"
    if call.branch_id is None:
        # Without the dialled number's branch no staff member can be assigned.
        # Failing keeps the event visible in the admin for a retry.
        raise ValueError(
            f"call {call.call_id} reached {call.to_number or 'no number'}, which is "
            "not a phone line of any branch; add the number to a branch and retry."
        )
    _, caller_phone = line_and_caller(payload)
    customer = (
        Customer.objects.filter(pk=call.customer_id).first()
        if call.customer_id
        else None
    )
    notes = "\n".join(
        part
        for part in (
            str(data.get("callback_reason") or ""),
            f"Preferred time: {data['preferred_window']}"
            if data.get("preferred_window")
            else "",
            (analysis.call_summary or "") if analysis else "",
        )
        if part
    )
    try:
        callback, created = callback_create(
            company=call.company,
            branch=Branch.objects.get(pk=call.branch_id),
            phone=caller_phone,
            name=customer.name if customer else "",
            email=customer.email if customer else "",
            customer=customer,
            notes=notes,
            source="phone_agent",
            retell_call_id=call.call_id,
            metadata={
                "from_call_analysis": True,
                "callback_reason": str(data.get("callback_reason") or ""),
                "preferred_window": str(data.get("preferred_window") or ""),
            },
        )
    except ValidationError as error:
        # A caller number we cannot call back will not get better on retry,
        # so the call is kept and the event records why nothing was created.
        logger.warning(
            "no callback for call %s: caller number %s was rejected",
            call.pk,
            mask_phone(caller_phone),
        )
        return f"callback not created: {' '.join(error.messages)}"
    logger.info(
        "callback %s %s from the analysis of call %s",
        callback.pk,
        "created" if created else "merged",
        call.pk,
    )
    return f"callback {callback.reference} {'created' if created else 'merged'}"
