"""Admin of appointments, showing the policy engine's current decision.

It lives with the policies because the decision panel and the cancel action
need the engine, and appointments must not depend on policies.
"""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from appointments.models import Appointment, AppointmentModification, AppointmentStatus
from policies.engine import PolicyDecision, can_cancel, can_reschedule
from policies.services import appointment_cancel
from tenants.admin.scoped import TenantScopedAdmin, TenantScopedTabularInline

# Only the services move a booking into these states, because they check the
# policy and record the modification.
SERVICE_ONLY_STATUSES = {AppointmentStatus.CANCELLED, AppointmentStatus.RESCHEDULED}


class AppointmentForm(forms.ModelForm):
    class Meta:
        model = Appointment
        fields = [
            "company",
            "branch",
            "service",
            "staff",
            "customer",
            "starts_at",
            "ends_at",
            "price",
            "currency",
            "status",
            "source",
            "external_uid",
            "notes",
        ]

    def clean_status(self) -> str:
        status = self.cleaned_data["status"]
        previous = self.instance.status if self.instance.pk else None
        if status in SERVICE_ONLY_STATUSES and status != previous:
            raise forms.ValidationError(
                f"Status {status} is set by the cancel or reschedule action, "
                "which checks the policy and records the change; use the "
                "'Cancel within policy' action instead."
            )
        return status


class AppointmentModificationInline(TenantScopedTabularInline):
    model = AppointmentModification
    fk_name = "appointment"
    fields = [
        "kind",
        "occurred_at",
        "notice_hours",
        "fee_charged",
        "currency",
        "within_policy",
        "policy_reason",
        "actor",
        "reason",
        "new_appointment",
    ]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _decision_row(action: str, decision: PolicyDecision) -> tuple:
    details = decision.details
    quota = (
        f"{details['quota_used']} of {details['quota_max']}"
        if details["quota_max"] is not None
        else "no limit"
    )
    levels = ", ".join(
        f"{key} from {level}" for key, level in details["levels"].items()
    )
    return (
        action,
        "yes" if decision.allowed else "no",
        decision.reason,
        decision.message,
        f"{decision.fee} {decision.currency}",
        details["notice_hours"],
        details["required_hours"] if details["required_hours"] is not None else "-",
        quota,
        levels or "no policy",
    )


@admin.register(Appointment)
class AppointmentAdmin(TenantScopedAdmin):
    form = AppointmentForm
    list_display = [
        "starts_at",
        "customer",
        "branch",
        "staff",
        "service",
        "status",
        "price",
        "currency",
        "source",
    ]
    list_filter = [
        "status",
        "branch",
        "staff",
        ("starts_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["customer", "branch", "staff", "service"]
    search_fields = ["customer__name", "customer__phone", "external_uid"]
    autocomplete_fields = ["customer"]
    readonly_fields = [
        "policy_decision",
        "rescheduled_from",
        "reschedule_count",
        "created_at",
        "updated_at",
    ]
    inlines = [AppointmentModificationInline]
    actions = ["cancel_within_policy"]

    @admin.display(description="Policy decision now")
    def policy_decision(self, obj: Appointment | None):
        if obj is None or obj.pk is None:
            return "Save the appointment first."
        now = timezone.now()
        rows = [
            _decision_row("cancel", can_cancel(obj, at=now)),
            _decision_row("reschedule", can_reschedule(obj, at=now)),
        ]
        body = format_html_join(
            "", "<tr>" + "<td>{}</td>" * len(rows[0]) + "</tr>", rows
        )
        return format_html(
            '<table class="policy-decision"><thead><tr><th>Action</th>'
            "<th>Allowed</th><th>Reason</th><th>Message</th><th>Fee</th>"
            "<th>Notice (h)</th><th>Required (h)</th><th>Quota</th>"
            "<th>Rules from</th></tr></thead><tbody>{}</tbody></table>",
            body,
        )

    @admin.action(description="Cancel within policy", permissions=["change"])
    def cancel_within_policy(self, request, queryset):
        cancelled = 0
        rejected = []
        for appointment in queryset.select_related("branch"):
            decision = appointment_cancel(
                appointment, actor=request.user.get_username(), reason="admin action"
            )
            if decision.allowed:
                cancelled += 1
            else:
                rejected.append(f"{appointment.pk}: {decision.message}")
        if cancelled:
            self.message_user(request, f"Cancelled {cancelled} appointment(s).")
        for line in rejected:
            self.message_user(request, f"Not cancelled {line}", messages.WARNING)
