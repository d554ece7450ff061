from django.contrib import admin

from policies import appointment_admin  # noqa: F401 - registers AppointmentAdmin
from policies.forms import PolicyConfigurationForm
from policies.models import PolicyConfiguration
from tenants.admin.configuration import HierarchyConfigChildAdmin
from tenants.admin.effective import effective_configuration_html
from tenants.schedules import WEEKDAYS


@admin.register(PolicyConfiguration)
class PolicyConfigurationAdmin(HierarchyConfigChildAdmin):
    base_form = PolicyConfigurationForm
    form = PolicyConfigurationForm
    list_display = [
        "kind",
        "level",
        "target",
        "values_summary",
        "enabled",
        "updated_at",
    ]
    list_filter = ["kind", "level", "enabled"]
    readonly_fields = ["effective_at_target"]
    fieldsets = [
        (None, {"fields": ["target_choice", "kind", "enabled", "locked_keys"]}),
        (
            "Cancellation and reschedule",
            {
                "description": "Used by the cancellation and reschedule types.",
                "fields": [
                    "hours_before",
                    "max_cancellations_per_month",
                    "max_reschedules_per_appointment",
                    "fee_rule",
                    "fee",
                    "fee_tiers",
                    "fee_percentage",
                ],
            },
        ),
        (
            "Recurring appointments",
            {
                "classes": ["collapse"],
                "fields": [
                    "max_occurrences",
                    "cancel_scope",
                    "allow_series_cancellation_by_phone",
                ],
            },
        ),
        (
            "Callback SLA",
            {
                "classes": ["collapse"],
                "description": "Minutes allowed to reach a caller, per priority.",
                "fields": [
                    "urgent_minutes",
                    "high_minutes",
                    "normal_minutes",
                    "business_hours",
                    "warning_minutes",
                    "expire_after_minutes",
                    "escalation_cooldown_minutes",
                ],
            },
        ),
        (
            "Callback assignment",
            {"classes": ["collapse"], "fields": ["capacity", "tiers"]},
        ),
        (
            "Phone agent switch",
            {
                "classes": ["collapse"],
                "description": "Used by the booking, cancellation by phone and "
                "callback service types.",
                "fields": [
                    "switch_enabled",
                    "disabled_message",
                    *(f"allowed_hours_{day}" for day in WEEKDAYS),
                ],
            },
        ),
        ("Effective policy", {"fields": ["effective_at_target"]}),
    ]

    def get_queryset(self, request):
        # One query per target type instead of one per row for the target column.
        return super().get_queryset(request).prefetch_related("target")

    @admin.display(description="Values")
    def values_summary(self, obj: PolicyConfiguration) -> str:
        return ", ".join(f"{key}={value}" for key, value in obj.values.items())

    @admin.display(description="Effective configuration of the target")
    def effective_at_target(self, obj: PolicyConfiguration | None):
        return effective_configuration_html(obj.target if obj else None)
