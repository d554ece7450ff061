from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from notifications.models import (
    Channel,
    Delivery,
    DeliveryAttempt,
    SentMessage,
    WebhookSigningKey,
)
from notifications.services.actions import delivery_resend
from notifications.services.webhook_keys import webhook_key_rotate
from tenants.admin.scoped import TenantScopedAdmin, TenantScopedTabularInline
from tenants.models import Role
from tenants.phones import mask_phone


class DeliveryAttemptInline(TenantScopedTabularInline):
    model = DeliveryAttempt
    fields = [
        "number",
        "channel",
        "outcome",
        "error",
        "retry_in_seconds",
        "started_at",
        "finished_at",
    ]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _shown_address(delivery: Delivery) -> str:
    if delivery.channel in (Channel.SMS, Channel.WHATSAPP):
        return mask_phone(delivery.address) if delivery.address else ""
    return delivery.address


@admin.register(Delivery)
class DeliveryAdmin(TenantScopedAdmin):
    list_display = [
        "created_at",
        "event_type",
        "channel",
        "recipient",
        "to",
        "status",
        "attempt_count",
        "scheduled_for",
        "error",
    ]
    list_filter = ["status", "channel", "event_type", "created_at"]
    search_fields = ["recipient_name", "event_key"]
    # The log grows without bound; skip the second COUNT(*) over all rows.
    show_full_result_count = False
    actions = ["resend"]
    inlines = [DeliveryAttemptInline]
    fields = [
        "event_type",
        "event_key",
        "recipient",
        "channel",
        "to",
        "status",
        "scheduled_for",
        "attempt_count",
        "sent_at",
        "last_error",
        "fallback_of",
        "fallback_link",
        "subject",
        "body",
        "payload",
        "settings",
        "created_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Recipient")
    def recipient(self, obj: Delivery) -> str:
        return f"{obj.get_recipient_type_display()} {obj.recipient_name}".strip()

    @admin.display(description="To")
    def to(self, obj: Delivery) -> str:
        return _shown_address(obj)

    @admin.display(description="Error")
    def error(self, obj: Delivery) -> str:
        return obj.last_error[:120]

    @admin.display(description="Fallback")
    def fallback_link(self, obj: Delivery) -> str:
        fallback = Delivery.objects.filter(fallback_of=obj).first()
        if fallback is None:
            return "-"
        return format_html(
            '<a href="{}">{} delivery {}</a>',
            reverse("admin:notifications_delivery_change", args=[fallback.pk]),
            fallback.channel,
            fallback.pk,
        )

    @admin.action(
        description="Send the selected deliveries again", permissions=["change"]
    )
    def resend(self, request, queryset):
        queued = sum(delivery_resend(delivery) for delivery in queryset)
        skipped = len(queryset) - queued
        self.message_user(
            request, f"Queued {queued} deliveries again.", messages.SUCCESS
        )
        if skipped:
            self.message_user(
                request,
                f"Skipped {skipped} deliveries that are still pending or sending.",
                messages.WARNING,
            )

    def get_readonly_fields(self, request, obj=None):
        return self.fields


@admin.register(SentMessage)
class SentMessageAdmin(TenantScopedAdmin):
    """The development backend's outbox."""

    list_display = ["created_at", "channel", "to", "subject", "delivery"]
    list_select_related = ["delivery"]
    list_filter = ["channel"]
    search_fields = ["to", "subject"]
    readonly_fields = [
        "company",
        "delivery",
        "channel",
        "to",
        "subject",
        "text",
        "html",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(WebhookSigningKey)
class WebhookSigningKeyAdmin(TenantScopedAdmin):
    list_display = ["company", "created_at", "rotated_at"]
    list_select_related = ["company"]
    readonly_fields = ["company", "secret", "created_at", "rotated_at"]
    fields = readonly_fields
    actions = ["rotate"]
    role_permissions = {
        Role.OWNER: frozenset({"view", "change"}),
        Role.MANAGER: frozenset(),
        Role.AGENT: frozenset(),
    }

    def has_add_permission(self, request):
        return False

    @admin.action(description="Rotate the signing secret", permissions=["change"])
    def rotate(self, request, queryset):
        for key in queryset:
            webhook_key_rotate(key)
        self.message_user(
            request,
            "Rotated; receivers must use the new secret from now on.",
            messages.WARNING,
        )
