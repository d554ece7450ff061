"""Retell call events: `{"event": ..., "call": {...}}`.

Field names follow Retell's call object. Times are Unix milliseconds.
"""

from typing import Any

from pydantic import Field

from integrations.schemas.base import (
    Identifier,
    LongText,
    Payload,
    PhoneText,
    ShortText,
)


class CallCost(Payload):
    combined_cost: float | None = Field(
        default=None, ge=0, le=10**7, allow_inf_nan=False
    )


class CallAnalysis(Payload):
    call_summary: LongText | None = None
    user_sentiment: ShortText | None = None
    call_successful: bool | None = None
    in_voicemail: bool | None = None
    custom_analysis_data: dict[str, Any] | None = None


class RetellCall(Payload):
    call_id: Identifier
    call_type: ShortText | None = None
    agent_id: ShortText | None = None
    direction: ShortText | None = None
    from_number: PhoneText | None = None
    to_number: PhoneText | None = None
    call_status: ShortText | None = None
    start_timestamp: int | None = Field(default=None, ge=0, le=10**14)
    end_timestamp: int | None = Field(default=None, ge=0, le=10**14)
    duration_ms: int | None = Field(default=None, ge=0, le=2**31 - 1)
    disconnection_reason: ShortText | None = None
    transcript: LongText | None = None
    recording_url: ShortText | None = None
    metadata: dict[str, Any] | None = None
    call_cost: CallCost | None = None
    call_analysis: CallAnalysis | None = None


class RetellCallEvent(Payload):
    event: Identifier
    call: RetellCall
