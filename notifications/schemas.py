"""Schemas of the notification kinds: one per event type, all with the same keys.

Every key is optional because a level sets only what it overrides. Keys that
no level sets take the values in DEFAULTS when a delivery is prepared.
"""

import re
from typing import Literal

from django.template import (
    Context,
    Template,
    TemplateSyntaxError,
    VariableDoesNotExist,
)
from pydantic import Field, HttpUrl, field_validator, model_validator

from tenants.configuration.schemas import ConfigSchema, register_schema
from tenants.events import EVENT_TYPES

FAMILY = "notification"

ChannelName = Literal["email", "sms", "whatsapp", "webhook"]
BackoffName = Literal["exponential", "linear", "constant"]

DEFAULTS = {
    "channel": "email",
    "fallback_channel": None,
    "retry_count": 3,
    "retry_delay_seconds": 60,
    "backoff": "exponential",
    "max_delay_seconds": 3600,
    "template": "",
    "subject": "",
    "quiet_hours": None,
    "critical": False,
    "webhook_url": "",
}

CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class QuietHours(ConfigSchema):
    """A local time window, in the recipient's zone, when messages wait.

    The window may cross midnight: 22:00 to 07:00 delays messages from ten at
    night until seven the next morning.
    """

    start: str
    end: str

    @field_validator("start", "end")
    @classmethod
    def clock_time(cls, value: str) -> str:
        if not CLOCK.match(value):
            raise ValueError(f"{value!r} is not a time; write it as HH:MM, e.g. 22:00")
        return value

    @model_validator(mode="after")
    def not_empty(self) -> "QuietHours":
        if self.start == self.end:
            raise ValueError("start and end are equal; the window would be empty")
        return self


def check_template(text: str) -> str:
    """Compile and render `text` once so a broken template is rejected early."""
    try:
        Template(text).render(Context({}))
    except TemplateSyntaxError as error:
        raise ValueError(f"the template does not compile: {error}") from error
    except VariableDoesNotExist:
        # A filter argument names a value the empty check context lacks; real
        # events may carry it, and a send that lacks it records the error.
        pass
    except Exception as error:  # noqa: BLE001 - any render error is reported
        raise ValueError(
            f"the template fails to render: {type(error).__name__}: {error}"
        ) from error
    return text


class NotificationSettings(ConfigSchema):
    """Delivery settings of one event type: channels, retries, timing, text."""

    channel: ChannelName | None = None
    fallback_channel: ChannelName | None = None
    retry_count: int | None = Field(default=None, ge=0, le=20)
    retry_delay_seconds: int | None = Field(default=None, ge=1, le=86400)
    backoff: BackoffName | None = None
    max_delay_seconds: int | None = Field(default=None, ge=1, le=7 * 86400)
    template: str | None = Field(default=None, max_length=5000)
    subject: str | None = Field(default=None, max_length=200)
    quiet_hours: QuietHours | None = None
    critical: bool | None = None
    webhook_url: HttpUrl | None = None

    @field_validator("template", "subject")
    @classmethod
    def renders(cls, value: str | None) -> str | None:
        return check_template(value) if value else value

    @model_validator(mode="after")
    def distinct_fallback(self) -> "NotificationSettings":
        if (
            self.channel is not None
            and self.fallback_channel is not None
            and self.channel == self.fallback_channel
        ):
            raise ValueError(
                f"fallback_channel {self.fallback_channel!r} is the same as channel; "
                "choose another channel or leave it empty"
            )
        return self


for _event_type in EVENT_TYPES:
    register_schema(FAMILY, _event_type)(NotificationSettings)


def with_defaults(values: dict) -> dict:
    """Return the effective values with DEFAULTS filled in for unset keys."""
    merged = dict(DEFAULTS)
    merged.update({key: value for key, value in values.items() if value is not None})
    if merged["fallback_channel"] == merged["channel"]:
        merged["fallback_channel"] = None
    return merged
