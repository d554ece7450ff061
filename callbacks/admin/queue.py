from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import path

from callbacks.admin import columns
from callbacks.admin.actions import QUEUE_ACTIONS
from callbacks.admin.export import csv_response
from callbacks.admin.filters import OverdueFilter, OwnerFilter
from callbacks.admin.forms import (
    ADD_FIELDS,
    CHANGE_FIELDSETS,
    EDITABLE_ON_CHANGE,
    CallbackAddForm,
)
from callbacks.admin.inlines import (
    AssignmentDecisionInline,
    ContactAttemptInline,
    EscalationInline,
    StatusChangeInline,
)
from callbacks.models import (
    PRIORITY_RANK,
    CallbackRequest,
    Escalation,
    Source,
    Status,
)
from callbacks.services import callback_create
from tenants.admin.scoped import ALL_ACTIONS, TenantScopedAdmin
from tenants.models import Role
from tenants.phones import normalize_phone
from tenants.scoping import company_id_for, membership_of, scope_queryset

# Waiting requests first, then contacted ones, then closed ones.
QUEUE_RANK = {Status.PENDING: 0, Status.ASSIGNED: 0, Status.CONTACTED: 1}
CLOSED_RANK = 2


def _rank(field: str, ranks: dict[str, int], default: int = 0) -> Case:
    whens = [When(**{field: value}, then=Value(rank)) for value, rank in ranks.items()]
    return Case(*whens, default=Value(default), output_field=IntegerField())


@admin.register(CallbackRequest)
class CallbackRequestAdmin(TenantScopedAdmin):
    # Agents work the queue, so they may change requests through its actions.
    role_permissions = {
        Role.OWNER: ALL_ACTIONS,
        Role.MANAGER: ALL_ACTIONS,
        Role.AGENT: frozenset({"view", "add", "change"}),
    }
    list_display = [
        "urgency",
        "reference",
        "name",
        "phone",
        "branch",
        "service",
        "assignee",
        "status",
        "due",
        "escalation_count",
        "created_at",
    ]
    list_display_links = ["reference"]
    list_select_related = ["branch", "service", "assignee"]
    list_filter = [
        "status",
        "priority",
        OverdueFilter,
        OwnerFilter,
        "branch",
        "service",
        "assignee",
        "source",
        ("created_at", admin.DateFieldListFilter),
    ]
    search_fields = ["name", "phone", "email", "reference"]
    actions = QUEUE_ACTIONS
    inlines = [
        StatusChangeInline,
        ContactAttemptInline,
        EscalationInline,
        AssignmentDecisionInline,
    ]

    # Only the queue's own columns: counting 10,000 unfiltered rows for the
    # "show all" link costs more than it helps.
    show_full_result_count = False

    def get_ordering(self, request):
        # Requests still waiting for a call come first, soonest due on top.
        # Set here rather than in `ordering` because the system checks reject
        # annotations there.
        return ["queue_rank", "due_at", "id"]

    def get_queryset(self, request):
        escalations = (
            Escalation.objects.filter(callback=OuterRef("pk"))
            .order_by()
            .values("callback")
            .annotate(total=Count("pk"))
            .values("total")
        )
        # The annotations must exist before the admin's ordering refers to
        # them, so the queryset is built here and scoped with the same helper
        # TenantScopedAdmin uses.
        queryset = self.model._default_manager.annotate(
            escalation_total=Coalesce(
                Subquery(escalations), 0, output_field=IntegerField()
            ),
            priority_rank=_rank("priority", PRIORITY_RANK),
            queue_rank=_rank("status", QUEUE_RANK, CLOSED_RANK),
        )
        queryset = scope_queryset(queryset, request.user, self.get_tenant_path())
        return queryset.order_by(*self.get_ordering(request))

    def get_inline_instances(self, request, obj=None):
        # A request has no history before it exists.
        return super().get_inline_instances(request, obj) if obj else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = CallbackAddForm
            kwargs["fields"] = ADD_FIELDS
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ADD_FIELDS})]
        return CHANGE_FIELDSETS

    def get_fields(self, request, obj=None):
        if obj is None:
            return ADD_FIELDS
        return [name for _, options in CHANGE_FIELDSETS for name in options["fields"]]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [f for f in self.get_fields(request, obj) if f not in EDITABLE_ON_CHANGE]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=EDITABLE_ON_CHANGE)
            return
        if not request.user.is_superuser:
            obj.company_id = company_id_for(request.user)
        data = form.cleaned_data
        callback, created = callback_create(
            company=obj.company,
            branch=data["branch"],
            phone=data["phone"],
            name=data.get("name", ""),
            email=data.get("email", ""),
            service=data.get("service"),
            customer=data.get("customer"),
            priority=data["priority"],
            window_starts_at=data.get("window_starts_at"),
            window_ends_at=data.get("window_ends_at"),
            preferred_staff=data.get("preferred_staff"),
            notes=data.get("notes", ""),
            source=Source.ADMIN,
        )
        obj.pk = callback.pk
        obj.refresh_from_db()
        if not created:
            self.message_user(
                request,
                f"{callback.phone} already had open callback {callback.reference}; "
                "the new request was merged into it.",
                messages.WARNING,
            )

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        membership = membership_of(request.user)
        region = membership.company.phone_region if membership else "US"
        try:
            phone = normalize_phone(search_term, region)
        except ValidationError:
            return results, may_have_duplicates
        return results | queryset.filter(phone=phone), may_have_duplicates

    def get_urls(self):
        export = path(
            "export/",
            self.admin_site.admin_view(self.export_view),
            name="callbacks_callbackrequest_export",
        )
        return [export, *super().get_urls()]

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        queryset = changelist.get_queryset(request)
        return csv_response(queryset)

    def changelist_view(self, request, extra_context=None):
        pending = scope_queryset(
            CallbackRequest.objects.filter(status=Status.PENDING), request.user
        ).count()
        extra_context = {**(extra_context or {}), "pending_count": pending}
        return super().changelist_view(request, extra_context)

    @admin.display(description="Urgency", ordering="-priority_rank")
    def urgency(self, obj):
        return columns.urgency_marker(obj)

    @admin.display(description="Due", ordering="due_at")
    def due(self, obj):
        return columns.relative_due(obj)

    @admin.display(description="Escalations", ordering="escalation_total")
    def escalation_count(self, obj):
        return obj.escalation_total
