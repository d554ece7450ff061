from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from notifications.admin.effective import effective_notification_rows
from notifications.admin.forms import NotificationConfigurationForm
from notifications.models import Channel, DeliveryStatus, NotificationConfiguration
from notifications.services.actions import notification_send_test
from notifications.services.webhook_keys import webhook_key_for
from tenants.admin.configuration import TARGET_MODELS, HierarchyConfigChildAdmin
from tenants.scoping import scope_queryset


@admin.register(NotificationConfiguration)
class NotificationConfigurationAdmin(HierarchyConfigChildAdmin):
    base_form = NotificationConfigurationForm
    list_display = ["kind", "level", "target", "channel", "enabled", "updated_at"]
    list_filter = ["kind", "level", "enabled"]
    actions = ["send_test"]
    fieldsets = [
        (None, {"fields": ["target_choice", "kind", "enabled"]}),
        (
            "Delivery",
            {
                "fields": [
                    "channel",
                    "fallback_channel",
                    "webhook_url",
                    "retry_count",
                    "retry_delay_seconds",
                    "backoff",
                    "max_delay_seconds",
                ]
            },
        ),
        (
            "Timing",
            {"fields": ["quiet_hours_start", "quiet_hours_end", "critical"]},
        ),
        ("Message", {"fields": ["subject", "template"]}),
        ("Hierarchy", {"fields": ["locked_keys", "effective_link"]}),
    ]
    readonly_fields = ["effective_link"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("target")

    @admin.display(description="Channel")
    def channel(self, obj: NotificationConfiguration) -> str:
        return obj.values.get("channel", "(inherited)")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        channels = {obj.values.get("channel"), obj.values.get("fallback_channel")}
        if Channel.WEBHOOK in channels:
            # Receivers need the secret before the first webhook arrives.
            webhook_key_for(obj.company_id)

    @admin.display(description="Effective settings")
    def effective_link(self, obj: NotificationConfiguration) -> str:
        if obj.pk is None:
            return "-"
        url = reverse("admin:notifications_effective", args=[obj.level, obj.object_id])
        return format_html(
            '<a href="{}">Every event as it applies to this {}</a>', url, obj.level
        )

    @admin.action(description="Send a test message to me", permissions=["change"])
    def send_test(self, request, queryset):
        for config in queryset:
            delivery = notification_send_test(config, request.user)
            if delivery.status == DeliveryStatus.SENT:
                self.message_user(
                    request,
                    f"Test of {config.kind} sent by {delivery.channel} "
                    f"(delivery {delivery.pk}).",
                    messages.SUCCESS,
                )
            else:
                self.message_user(
                    request,
                    f"Test of {config.kind} by {delivery.channel} failed: "
                    f"{delivery.last_error}",
                    messages.ERROR,
                )

    def get_urls(self):
        view = self.admin_site.admin_view(self.effective_view)
        return [
            path(
                "effective/<str:level>/<int:object_id>/",
                view,
                name="notifications_effective",
            ),
            *super().get_urls(),
        ]

    def effective_view(self, request, level: str, object_id: int):
        """List the effective settings of every event for one entity."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        model = TARGET_MODELS.get(level)
        if model is None:
            raise Http404(
                f"{level!r} is not a level; use company, branch, service or staff."
            )
        entity = get_object_or_404(
            scope_queryset(model.objects.all(), request.user), pk=object_id
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Effective notifications of {level} {entity}",
            "entity": entity,
            "rows": effective_notification_rows(entity),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/notifications/effective.html", context)
