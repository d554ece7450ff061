"""Back office views of the webhook inbox and of calls."""

import json

from django.contrib import admin, messages
from django.utils.html import format_html

from integrations.models import Call, CallEvent, EventStatus, WebhookEvent
from integrations.services.inbox import webhook_events_retry
from tenants.admin.scoped import TenantScopedAdmin, TenantScopedTabularInline


class ReadOnlyMixin:
    """Inbox rows and calls record what providers sent, so they are read-only."""

    def has_add_permission(self, request, *args) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyMixin, TenantScopedAdmin):
    list_display = [
        "received_at",
        "provider",
        "event",
        "external_id",
        "status",
        "attempts",
        "outcome",
        "company",
    ]
    list_filter = ["status", "provider", "kind", "event"]
    list_select_related = ["company"]
    search_fields = ["external_id", "idempotency_key"]
    date_hierarchy = "received_at"
    actions = ["retry_failed"]
    readonly_fields = [
        "company",
        "provider",
        "kind",
        "event",
        "external_id",
        "idempotency_key",
        "received_at",
        "status",
        "attempts",
        "started_at",
        "processed_at",
        "outcome",
        "error",
        "headers",
        "pretty_body",
        "response",
    ]
    exclude = ["body"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith(
            "changelist"
        ):
            # The list shows no body; raw bodies of many events are large.
            queryset = queryset.defer("body", "headers", "response")
        return queryset

    @admin.display(description="Body")
    def pretty_body(self, obj: WebhookEvent) -> str:
        try:
            text = json.dumps(json.loads(obj.body), indent=2, ensure_ascii=False)
        except ValueError:
            text = obj.body
        return format_html("<pre style='white-space: pre-wrap'>{}</pre>", text)

    def has_retry_permission(self, request) -> bool:
        # Rows are read-only, but roles that may change data may retry them.
        allowed = self._member_may(request, "change")
        return request.user.is_superuser if allowed is None else allowed

    @admin.action(description="Retry selected failed events", permissions=["retry"])
    def retry_failed(self, request, queryset):
        failed = queryset.filter(status=EventStatus.FAILED)
        count = webhook_events_retry(failed)
        skipped = queryset.count() - count
        self.message_user(
            request, f"Queued {count} failed events again.", messages.SUCCESS
        )
        if skipped:
            self.message_user(
                request,
                f"Skipped {skipped} events that were not failed.",
                messages.WARNING,
            )


class CallEventInline(ReadOnlyMixin, TenantScopedTabularInline):
    model = CallEvent
    fields = ["created_at", "event", "status_after", "webhook_event"]
    readonly_fields = fields


@admin.register(Call)
class CallAdmin(ReadOnlyMixin, TenantScopedAdmin):
    list_display = [
        "call_id",
        "started_at",
        "status",
        "direction",
        "branch",
        "customer",
        "duration_ms",
        "sentiment",
    ]
    list_filter = ["status", "direction", "branch", "sentiment"]
    list_select_related = ["branch", "customer"]
    search_fields = ["call_id", "from_number", "to_number"]
    date_hierarchy = "started_at"
    inlines = [CallEventInline]
    exclude = ["company"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields if field.name != "id"]
