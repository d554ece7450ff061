"""Handlers of Retell call events, one per event type we use."""

from integrations.models import WebhookEvent
from integrations.schemas.retell import RetellCallEvent
from integrations.services.calls import call_record


def call_event_handle(event: WebhookEvent) -> str:
    payload = RetellCallEvent.model_validate_json(event.body)
    call = call_record(event.company, payload.call, event)
    return f"call {call.pk} {call.status}"


def call_analyzed_handle(event: WebhookEvent) -> str:
    from integrations.services.call_callbacks import callback_for_analyzed_call

    payload = RetellCallEvent.model_validate_json(event.body)
    call = call_record(event.company, payload.call, event)
    outcome = callback_for_analyzed_call(call, payload.call)
    return f"call {call.pk} analyzed; {outcome}"


RETELL_EVENT_HANDLERS = {
    "call_started": call_event_handle,
    "call_ended": call_event_handle,
    "call_analyzed": call_analyzed_handle,
}
