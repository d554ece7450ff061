"""The admin form of a policy: typed fields per policy type instead of raw JSON.

Each form field maps to one schema key of the policy types that use it. The
form builds `values` from the fields of the chosen type, rejects fields that
the type does not use, and validates the result with the type's schema so
that every error names the key and the allowed values.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from policies.models import PolicyConfiguration, PolicyType
from policies.schemas import FAMILY
from tenants.admin.configuration import HierarchyConfigForm
from tenants.configuration.schemas import schema_for, validate_config
from tenants.schedules import WEEKDAYS

CHANGE_KINDS = (PolicyType.CANCELLATION, PolicyType.RESCHEDULE)
SWITCH_KINDS = (
    PolicyType.BOOKING,
    PolicyType.CANCELLATION_BY_PHONE,
    PolicyType.CALLBACK_SERVICE,
)
FEE_RULES = [
    ("", "No fee here (inherit from a higher level or free)"),
    ("fee", "Fixed fee"),
    ("fee_tiers", "Fee by hours of notice"),
    ("fee_percentage", "Percentage of the appointment price"),
]
INHERIT_CHOICES = [("", "Not set here"), ("true", "Yes"), ("false", "No")]


@dataclass(frozen=True)
class KeyField:
    """A form field that edits one schema key for some policy types."""

    key: str
    kinds: tuple[str, ...]


KEY_FIELDS: dict[str, KeyField] = {
    "hours_before": KeyField("hours_before", CHANGE_KINDS),
    "max_cancellations_per_month": KeyField(
        "max_cancellations_per_month", CHANGE_KINDS
    ),
    "max_reschedules_per_appointment": KeyField(
        "max_reschedules_per_appointment", (PolicyType.RESCHEDULE,)
    ),
    "fee": KeyField("fee", CHANGE_KINDS),
    "fee_tiers": KeyField("fee_tiers", CHANGE_KINDS),
    "fee_percentage": KeyField("fee_percentage", CHANGE_KINDS),
    "max_occurrences": KeyField("max_occurrences", (PolicyType.RECURRING,)),
    "cancel_scope": KeyField("cancel_scope", (PolicyType.RECURRING,)),
    "allow_series_cancellation_by_phone": KeyField(
        "allow_series_cancellation_by_phone", (PolicyType.RECURRING,)
    ),
    "urgent_minutes": KeyField("urgent_minutes", (PolicyType.CALLBACK_SLA,)),
    "high_minutes": KeyField("high_minutes", (PolicyType.CALLBACK_SLA,)),
    "normal_minutes": KeyField("normal_minutes", (PolicyType.CALLBACK_SLA,)),
    "business_hours": KeyField("business_hours", (PolicyType.CALLBACK_SLA,)),
    "warning_minutes": KeyField("warning_minutes", (PolicyType.CALLBACK_SLA,)),
    "expire_after_minutes": KeyField(
        "expire_after_minutes", (PolicyType.CALLBACK_SLA,)
    ),
    "escalation_cooldown_minutes": KeyField(
        "escalation_cooldown_minutes", (PolicyType.CALLBACK_SLA,)
    ),
    "capacity": KeyField("capacity", (PolicyType.CALLBACK_ASSIGNMENT,)),
    "tiers": KeyField("tiers", (PolicyType.CALLBACK_ASSIGNMENT,)),
    # The switch's `enabled` key would clash with the row's own enabled flag.
    "switch_enabled": KeyField("enabled", SWITCH_KINDS),
    "disabled_message": KeyField("disabled_message", SWITCH_KINDS),
    **{
        f"allowed_hours_{day}": KeyField("allowed_hours", SWITCH_KINDS)
        for day in WEEKDAYS
    },
}
FEE_FIELDS = ("fee", "fee_tiers", "fee_percentage")


def _integer(label: str, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=False, min_value=0, help_text=help_text
    )


def _inherit_choice(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        required=False,
        choices=INHERIT_CHOICES,
        coerce=lambda value: value == "true",
        empty_value=None,
    )


def parse_tiers(text: str) -> list[dict[str, str]]:
    """Read one `hours: fee` pair per line, e.g. "24: 10.00"."""
    tiers = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        hours, separator, fee = line.partition(":")
        if not separator or not hours.strip() or not fee.strip():
            raise ValidationError(
                f"Line {number}: {line!r} is not 'hours: fee'; write e.g. '24: 10.00'."
            )
        tiers.append({"min_hours": hours.strip(), "fee": fee.strip()})
    return tiers


def format_tiers(tiers: list[dict[str, Any]]) -> str:
    return "\n".join(f"{tier['min_hours']:g}: {tier['fee']}" for tier in tiers)


def parse_intervals(day: str, text: str) -> list[list[str]]:
    """Read "09:00-12:00, 13:00-17:00" into [["09:00", "12:00"], ...]."""
    intervals = []
    for part in text.split(","):
        part = part.strip()
        start, separator, end = part.partition("-")
        if not separator:
            raise ValidationError(
                f"{day}: {part!r} is not a range; write e.g. '09:00-17:00'."
            )
        intervals.append([start.strip(), end.strip()])
    return intervals


class PolicyConfigurationForm(HierarchyConfigForm):
    kind = forms.ChoiceField(label="Policy type", choices=PolicyType.choices)
    locked_keys = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Keys that branches, services and staff below may not override.",
    )

    hours_before = forms.DecimalField(
        required=False,
        min_value=0,
        decimal_places=2,
        help_text="Hours of notice required before the appointment starts.",
    )
    max_cancellations_per_month = _integer(
        "Max changes per customer in 30 days",
        "Counted over a rolling 30 days per customer.",
    )
    max_reschedules_per_appointment = _integer("Max reschedules per appointment")
    fee_rule = forms.ChoiceField(required=False, choices=FEE_RULES)
    fee = forms.DecimalField(
        required=False, min_value=0, decimal_places=2, label="Fixed fee"
    )
    fee_tiers = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 30}),
        help_text="One 'hours of notice: fee' per line, e.g. '48: 0' and "
        "'24: 10.00'. The tier with the largest hours the notice reaches applies.",
    )
    fee_percentage = forms.DecimalField(
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text="Percent of the appointment price.",
    )

    max_occurrences = forms.IntegerField(required=False, min_value=1)
    cancel_scope = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Not set here"),
            ("occurrence", "One occurrence"),
            ("series", "The whole series"),
        ],
    )
    allow_series_cancellation_by_phone = _inherit_choice("Series cancellation by phone")

    urgent_minutes = forms.IntegerField(required=False, min_value=1)
    high_minutes = forms.IntegerField(required=False, min_value=1)
    normal_minutes = forms.IntegerField(required=False, min_value=1)
    business_hours = _inherit_choice("Count only business hours")
    warning_minutes = _integer("Warning minutes", "Warn this long before the deadline.")
    expire_after_minutes = forms.IntegerField(required=False, min_value=1)
    escalation_cooldown_minutes = _integer("Escalation cooldown minutes")

    capacity = _integer("Capacity", "Open callbacks one staff member may hold.")
    tiers = forms.CharField(
        required=False,
        help_text="Comma-separated order of preferred, service, branch.",
    )

    switch_enabled = _inherit_choice("Phone agent may do this")
    disabled_message = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="What the agent says when the switch is off.",
    )

    class Meta:
        model = PolicyConfiguration
        fields = ["target_choice", "kind", "locked_keys", "enabled"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locked_keys"].choices = _all_keys()
        if self.instance.pk:
            self._load_initial(self.instance.values)

    def _post_clean(self) -> None:
        # Model validation needs a valid target and type, and would only
        # repeat the errors the form already shows.
        if self.errors:
            return
        super()._post_clean()

    def _load_initial(self, values: dict[str, Any]) -> None:
        for name, spec in KEY_FIELDS.items():
            if spec.key not in values or spec.key == "allowed_hours":
                continue
            value = values[spec.key]
            if spec.key == "fee_tiers":
                value = format_tiers(value)
            elif spec.key == "tiers":
                value = ", ".join(value)
            elif isinstance(value, bool):
                value = "true" if value else "false"
            self.initial[name] = value
        for rule in FEE_FIELDS:
            if rule in values:
                self.initial["fee_rule"] = rule
        for day, intervals in (values.get("allowed_hours") or {}).items():
            self.initial[f"allowed_hours_{day}"] = ", ".join(
                f"{start}-{end}" for start, end in intervals
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if not kind:
            return cleaned
        values = self._values_for(kind, cleaned)
        if self.errors:
            return cleaned
        try:
            values, locked = validate_config(
                FAMILY, kind, values, cleaned.get("locked_keys") or []
            )
        except ValidationError as error:
            self._attach_schema_errors(error)
            return cleaned
        self.instance.kind = kind
        self.instance.values = values
        self.instance.locked_keys = locked
        cleaned["locked_keys"] = locked
        return cleaned

    def _values_for(self, kind: str, cleaned: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        rule = cleaned.get("fee_rule") or ""
        for name, spec in KEY_FIELDS.items():
            raw = cleaned.get(name)
            if raw in (None, ""):
                continue
            if kind not in spec.kinds:
                self.add_error(
                    name,
                    f"{spec.key} is not a key of {kind}; clear it or choose a "
                    f"policy type that uses it: {', '.join(spec.kinds)}.",
                )
                continue
            if name in FEE_FIELDS and name != rule:
                self.add_error(
                    name,
                    f"{name} is set but the fee rule is "
                    f"{rule or 'empty'}; clear {name} or choose {name} as the "
                    "fee rule.",
                )
                continue
            if spec.key != "allowed_hours":
                values[spec.key] = self._convert(name, raw)
        missing = cleaned.get(rule) in (None, "") and rule not in self.errors
        if rule and kind in CHANGE_KINDS and missing:
            self.add_error(rule, f"The fee rule is {rule}; enter a value for it.")
        hours = self._allowed_hours(cleaned)
        if hours is not None:
            values["allowed_hours"] = hours
        return values

    def _convert(self, name: str, raw: Any) -> Any:
        if name == "fee_tiers":
            try:
                return parse_tiers(raw)
            except ValidationError as error:
                self.add_error(name, error)
                return None
        if name == "tiers":
            return [part.strip() for part in raw.split(",") if part.strip()]
        if isinstance(raw, Decimal):
            return str(raw)
        return raw

    def _allowed_hours(self, cleaned: dict[str, Any]) -> dict | None:
        hours: dict[str, list[list[str]]] = {}
        for day in WEEKDAYS:
            name = f"allowed_hours_{day}"
            text = cleaned.get(name)
            if not text or name in self.errors:
                continue
            try:
                hours[day] = parse_intervals(day, text)
            except ValidationError as error:
                self.add_error(name, error)
        return hours or None

    def _attach_schema_errors(self, error: ValidationError) -> None:
        by_key = {}
        for name, spec in KEY_FIELDS.items():
            by_key.setdefault(spec.key, name)
        for field, messages in error.message_dict.items():
            for message in messages:
                key = message.split(":", 1)[0].split(".", 1)[0]
                target = by_key.get(key) if field == "values" else field
                if target == "allowed_hours_mon":
                    target = None
                if target not in self.fields:
                    target = None
                self.add_error(target, message)


for _day in WEEKDAYS:
    # One box per weekday, added after the class so that one loop declares all seven.
    _field = forms.CharField(
        required=False,
        label=f"Allowed hours {_day}",
        help_text="Local branch time, e.g. '09:00-12:00, 13:00-17:00'. Fill any "
        "day to limit the agent, and the empty days are then closed.",
    )
    PolicyConfigurationForm.base_fields[f"allowed_hours_{_day}"] = _field
    PolicyConfigurationForm.declared_fields[f"allowed_hours_{_day}"] = _field


def _all_keys() -> list[tuple[str, str]]:
    keys: dict[str, None] = {}
    for kind in PolicyType.values:
        schema = schema_for(FAMILY, kind)
        if schema is not None:
            keys.update(dict.fromkeys(schema.model_fields))
    return [(key, key) for key in keys]
