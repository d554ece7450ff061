"""Schemas of the policy kinds. Every key is optional: a level sets a subset."""

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from tenants.configuration.schemas import ConfigSchema, register_schema
from tenants.schedules import validate_weekly_hours

FAMILY = "policy"

NonNegativeMoney = Annotated[Decimal, Field(ge=0, max_digits=10, decimal_places=2)]
FEE_KEYS = frozenset({"fee", "fee_tiers", "fee_percentage"})


class FeeTier(ConfigSchema):
    min_hours: float = Field(ge=0)
    fee: NonNegativeMoney


class ChangePolicy(ConfigSchema):
    """Rules for cancelling or moving an appointment."""

    exclusive_groups = (FEE_KEYS,)

    hours_before: float | None = Field(default=None, ge=0)
    max_cancellations_per_month: int | None = Field(default=None, ge=0)
    max_reschedules_per_appointment: int | None = Field(default=None, ge=0)
    fee: NonNegativeMoney | None = None
    fee_tiers: list[FeeTier] | None = None
    fee_percentage: float | None = Field(default=None, ge=0, le=100)

    @model_validator(mode="after")
    def one_fee_rule(self) -> "ChangePolicy":
        chosen = [key for key in sorted(FEE_KEYS) if getattr(self, key) is not None]
        if len(chosen) > 1:
            raise ValueError(
                f"set only one of fee, fee_tiers and fee_percentage, not "
                f"{' and '.join(chosen)}"
            )
        return self

    @field_validator("fee_tiers")
    @classmethod
    def distinct_tiers(cls, tiers: list[FeeTier] | None) -> list[FeeTier] | None:
        if tiers is not None:
            edges = [tier.min_hours for tier in tiers]
            if len(edges) != len(set(edges)):
                raise ValueError("each tier needs a different min_hours")
        return tiers


register_schema(FAMILY, "cancellation")(ChangePolicy)
register_schema(FAMILY, "reschedule")(ChangePolicy)


@register_schema(FAMILY, "recurring")
class RecurringPolicy(ConfigSchema):
    """Rules for appointment series."""

    max_occurrences: int | None = Field(default=None, ge=1)
    cancel_scope: Literal["occurrence", "series"] | None = None
    allow_series_cancellation_by_phone: bool | None = None


@register_schema(FAMILY, "callback_sla")
class CallbackSlaPolicy(ConfigSchema):
    """Minutes allowed to reach a caller, per priority."""

    urgent_minutes: int | None = Field(default=None, ge=1)
    high_minutes: int | None = Field(default=None, ge=1)
    normal_minutes: int | None = Field(default=None, ge=1)
    business_hours: bool | None = None
    warning_minutes: int | None = Field(
        default=None, ge=0, description="Warn this many minutes before the deadline."
    )
    expire_after_minutes: int | None = Field(
        default=None, ge=1, description="Expire open requests this long after due."
    )
    escalation_cooldown_minutes: int | None = Field(default=None, ge=0)


@register_schema(FAMILY, "callback_assignment")
class CallbackAssignmentPolicy(ConfigSchema):
    """Distribution of callbacks over staff: capacity and tier order."""

    capacity: int | None = Field(
        default=None, ge=0, description="Open callbacks one staff member may hold."
    )
    tiers: list[Literal["preferred", "service", "branch"]] | None = None


class PhoneSwitch(ConfigSchema):
    """Switch for one thing the phone agent may do, with its allowed hours."""

    enabled: bool | None = None
    disabled_message: str | None = Field(default=None, max_length=500)
    allowed_hours: dict | None = None

    @field_validator("allowed_hours")
    @classmethod
    def weekly_hours(cls, value: dict | None) -> dict | None:
        if value is not None:
            from django.core.exceptions import ValidationError

            try:
                validate_weekly_hours(value)
            except ValidationError as error:
                # The message gets its full stop where the key is added.
                messages = (message.rstrip(".") for message in error.messages)
                raise ValueError("; ".join(messages)) from error
        return value


for _kind in ("booking", "cancellation_by_phone", "callback_service"):
    register_schema(FAMILY, _kind)(PhoneSwitch)
