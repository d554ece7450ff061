"""Read-only history panels on the callback change page."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from callbacks.models import (
    AssignmentDecision,
    CallbackStatusChange,
    ContactAttempt,
    Escalation,
)
from tenants.admin.scoped import TenantScopedTabularInline


class ReadOnlyInline(TenantScopedTabularInline):
    can_delete = False
    max_num = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StatusChangeInline(ReadOnlyInline):
    model = CallbackStatusChange
    fields = [
        "changed_at",
        "from_status",
        "to_status",
        "assignee",
        "changed_by",
        "reason",
    ]
    readonly_fields = fields
    verbose_name_plural = "status history"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("assignee", "changed_by")


class EscalationInline(ReadOnlyInline):
    model = Escalation
    fields = [
        "created_at",
        "level",
        "reason",
        "from_staff",
        "to_staff",
        "details",
        "resolved",
        "created_by",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("from_staff", "to_staff", "created_by")
        )


class ContactAttemptInline(ReadOnlyInline):
    model = ContactAttempt
    fields = ["attempted_at", "outcome", "staff", "notes", "recorded_by"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("staff", "recorded_by")


class AssignmentDecisionInline(ReadOnlyInline):
    model = AssignmentDecision
    fields = ["created_at", "trigger", "outcome", "tier", "winner", "candidate_table"]
    readonly_fields = fields
    verbose_name_plural = "assignment decisions"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("winner")

    @admin.display(description="Candidates")
    def candidate_table(self, decision: AssignmentDecision):
        if not decision.candidates:
            return "No staff in the branch."
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}/{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    candidate["name"],
                    ", ".join(candidate["tiers"]) or "-",
                    candidate["load"],
                    candidate["capacity"],
                    candidate["last_assigned_at"] or "never",
                    candidate["dropped"] or "eligible",
                )
                for candidate in decision.candidates
            ),
        )
        return format_html(
            "<table><thead><tr><th>Staff</th><th>Tiers</th><th>Load</th>"
            "<th>Last assigned</th><th>Result</th></tr></thead><tbody>{}</tbody>"
            "</table>",
            rows,
        )
