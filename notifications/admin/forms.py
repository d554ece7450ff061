"""The notification configuration form: one field per key, blank means inherit."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from pydantic import ValidationError as PydanticValidationError

from notifications.admin.inherited import inherited_values
from notifications.models import Backoff, Channel, NotificationConfiguration
from notifications.models.delivery import EVENT_CHOICES
from notifications.schemas import NotificationSettings
from tenants.admin.configuration import HierarchyConfigForm

INHERIT = [("", "(inherit)")]
BOOLEAN_CHOICES = [*INHERIT, ("true", "Yes"), ("false", "No")]

# Keys whose form field has the same name; `_values` maps the two quiet hours
# fields and `critical`.
PLAIN_KEYS = [
    "channel",
    "fallback_channel",
    "retry_count",
    "retry_delay_seconds",
    "backoff",
    "max_delay_seconds",
    "subject",
    "template",
    "webhook_url",
]
KEY_CHOICES = [(key, key) for key in NotificationSettings.model_fields]


class NotificationConfigurationForm(HierarchyConfigForm):
    kind = forms.ChoiceField(label="Event", choices=EVENT_CHOICES)
    channel = forms.ChoiceField(choices=INHERIT + Channel.choices, required=False)
    fallback_channel = forms.ChoiceField(
        choices=INHERIT + Channel.choices,
        required=False,
        help_text="Used at once when the channel fails permanently, and after "
        "the last retry.",
    )
    retry_count = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=20,
        help_text="Retries after the first try.",
    )
    retry_delay_seconds = forms.IntegerField(
        required=False, min_value=1, help_text="Seconds before the first retry."
    )
    backoff = forms.ChoiceField(choices=INHERIT + Backoff.choices, required=False)
    max_delay_seconds = forms.IntegerField(
        required=False, min_value=1, help_text="Cap on the delay between retries."
    )
    quiet_hours_start = forms.CharField(
        required=False,
        max_length=5,
        help_text="HH:MM in the recipient's time zone; may be after the end "
        "(22:00 to 07:00 crosses midnight).",
    )
    quiet_hours_end = forms.CharField(required=False, max_length=5)
    critical = forms.ChoiceField(
        choices=BOOLEAN_CHOICES,
        required=False,
        help_text="Critical events are sent during quiet hours.",
    )
    subject = forms.CharField(
        required=False, max_length=200, help_text="Django template for email subjects."
    )
    template = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Django template that replaces the default text, e.g. "
        "Hi {{ recipient.name }}, callback {{ payload.callback_id }} is yours.",
    )
    webhook_url = forms.URLField(required=False, assume_scheme="https")
    locked_keys = forms.MultipleChoiceField(
        choices=KEY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Keys that lower levels may not override.",
    )

    class Meta:
        model = NotificationConfiguration
        fields = ["target_choice", "kind", "locked_keys", "enabled"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        values = self.instance.values or {}
        for key in PLAIN_KEYS:
            if values.get(key) is not None:
                self.initial.setdefault(key, values[key])
        quiet = values.get("quiet_hours") or {}
        self.initial.setdefault("quiet_hours_start", quiet.get("start", ""))
        self.initial.setdefault("quiet_hours_end", quiet.get("end", ""))
        if values.get("critical") is not None:
            self.initial.setdefault(
                "critical", "true" if values["critical"] else "false"
            )
        if self.instance.pk and self.instance.kind:
            self._show_inherited(inherited_values(self.instance))

    def _show_inherited(self, inherited: dict[str, tuple[object, str]]) -> None:
        """Label each blank choice and box with the value it would inherit."""
        for key, (value, source) in inherited.items():
            if key == "quiet_hours":
                text = f"{value['start']} to {value['end']}" if value else "none"
                self.fields[
                    "quiet_hours_start"
                ].help_text += f" Inherited: {text} ({source})."
                continue
            if key == "template" or key not in self.fields:
                continue
            shown = "none" if value in (None, "") else str(value).lower()
            field = self.fields[key]
            if isinstance(field, forms.ChoiceField):
                field.choices = [
                    ("", f"(inherit: {shown}, {source})"),
                    *field.choices[1:],
                ]
            else:
                field.widget.attrs["placeholder"] = f"{shown} ({source})"
                field.widget.attrs["style"] = "min-width: 14em"

    def _values(self) -> dict:
        data = self.cleaned_data
        values = {
            key: data[key] for key in PLAIN_KEYS if data.get(key) not in (None, "")
        }
        start = data.get("quiet_hours_start") or ""
        end = data.get("quiet_hours_end") or ""
        if start or end:
            values["quiet_hours"] = {"start": start, "end": end}
        if data.get("critical"):
            values["critical"] = data["critical"] == "true"
        return values

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("quiet_hours_start")
        end = cleaned.get("quiet_hours_end")
        if bool(start) != bool(end):
            missing = "quiet_hours_end" if start else "quiet_hours_start"
            part = "end" if start else "start"
            self.add_error(missing, f"Enter the {part} of quiet hours too, as HH:MM.")
            return cleaned
        values = self._values()
        try:
            NotificationSettings.model_validate(values)
        except PydanticValidationError as error:
            for item in error.errors():
                self.add_error(_field_of(item["loc"]), _message(item))
            values = {}
        self.instance.values = values
        return cleaned

    def _update_errors(self, errors):
        # The model reports schema errors under `values`, which this form
        # shows as separate fields; anything left is shown above the form.
        if hasattr(errors, "error_dict") and "values" in errors.error_dict:
            errors.error_dict.setdefault(NON_FIELD_ERRORS, []).extend(
                errors.error_dict.pop("values")
            )
        super()._update_errors(errors)


def _field_of(location: tuple) -> str | None:
    if not location:
        return "fallback_channel"
    key = str(location[0])
    if key == "quiet_hours":
        part = str(location[1]) if len(location) > 1 else "start"
        return "quiet_hours_end" if part == "end" else "quiet_hours_start"
    return key


def _message(item: dict) -> str:
    message = item["msg"].removeprefix("Value error, ")
    return message[0].upper() + message[1:] + "."
