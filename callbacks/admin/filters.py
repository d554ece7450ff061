from django.contrib import admin
from django.db.models import Q
from django.utils import timezone

from callbacks.models import UNREACHED_STATUSES, Status


class OverdueFilter(admin.SimpleListFilter):
    title = "SLA"
    parameter_name = "sla"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("on_time", "On time")]

    def queryset(self, request, queryset):
        overdue = Q(status__in=UNREACHED_STATUSES, due_at__lte=timezone.now())
        if self.value() == "overdue":
            return queryset.filter(overdue)
        if self.value() == "on_time":
            return queryset.exclude(overdue)
        return queryset


class OwnerFilter(admin.SimpleListFilter):
    """Requests of the signed-in staff member, or of nobody yet."""

    title = "whose"
    parameter_name = "whose"

    def lookups(self, request, model_admin):
        return [("mine", "Mine"), ("unassigned", "Unassigned")]

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return queryset.filter(assignee__user=request.user)
        if self.value() == "unassigned":
            return queryset.filter(assignee__isnull=True, status=Status.PENDING)
        return queryset
