"""Reads for the dashboard. Every function runs one query, whatever the size."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from callbacks.models import OPEN_STATUSES, UNREACHED_STATUSES, CallbackRequest, Status
from tenants.models import Branch, Staff

OVERDUE_LISTED = 10
STAFF_LISTED = 25
COMPLIANCE_DAYS = 7
BRANCH_PERIOD = timedelta(days=30)


def _scoped(queryset: QuerySet, company_id: int | None) -> QuerySet:
    """Limit to one company; None (a superuser) means every company."""
    return queryset if company_id is None else queryset.filter(company_id=company_id)


def queue_counts(company_id: int | None, now: datetime) -> dict[str, int]:
    return _scoped(CallbackRequest.objects.all(), company_id).aggregate(
        pending=Count("pk", filter=Q(status=Status.PENDING)),
        assigned=Count("pk", filter=Q(status=Status.ASSIGNED)),
        contacted=Count("pk", filter=Q(status=Status.CONTACTED)),
        overdue=Count("pk", filter=Q(status__in=UNREACHED_STATUSES, due_at__lte=now)),
    )


def overdue_callbacks(company_id: int | None, now: datetime) -> list[CallbackRequest]:
    return list(
        _scoped(CallbackRequest.objects.all(), company_id)
        .filter(status__in=UNREACHED_STATUSES, due_at__lte=now)
        .select_related("branch", "assignee")
        .order_by("due_at", "pk")[:OVERDUE_LISTED]
    )


def open_load_of_staff() -> Coalesce:
    """Return an expression counting the open requests of the outer staff row."""
    open_load = (
        CallbackRequest.objects.filter(
            assignee=OuterRef("pk"), status__in=OPEN_STATUSES
        )
        .order_by()
        .values("assignee")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(open_load), 0, output_field=IntegerField())


def staff_loads(company_id: int | None) -> list[Staff]:
    """Return active staff with `open_load`, busiest first."""
    return list(
        _scoped(Staff.objects.filter(is_active=True), company_id)
        .select_related("branch")
        .annotate(open_load=open_load_of_staff())
        .order_by("-open_load", "name", "pk")[:STAFF_LISTED]
    )


@dataclass(frozen=True)
class ComplianceDay:
    day: date
    due: int
    met: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.met / self.due) if self.due else None


def sla_compliance(company_id: int | None, now: datetime, zone) -> list[ComplianceDay]:
    """Return, per local day of the last week, requests due and those met.

    A request meets its SLA when staff reached it by its due time. Cancelled
    requests are left out because nobody needed to call them.
    """
    today = now.astimezone(zone).date()
    first_day = today - timedelta(days=COMPLIANCE_DAYS - 1)
    since = datetime.combine(first_day, datetime.min.time(), zone)
    rows = (
        _scoped(CallbackRequest.objects.all(), company_id)
        .filter(due_at__gte=since, due_at__lte=now)
        .exclude(status=Status.CANCELLED)
        .annotate(day=TruncDate("due_at", tzinfo=zone))
        .values("day")
        .annotate(
            due=Count("pk"),
            met=Count(
                "pk",
                filter=Q(contacted_at__isnull=False) & Q(contacted_at__lte=F("due_at")),
            ),
        )
    )
    by_day = {row["day"]: row for row in rows}
    days = []
    for offset in range(COMPLIANCE_DAYS):
        day = first_day + timedelta(days=offset)
        row = by_day.get(day, {"due": 0, "met": 0})
        days.append(ComplianceDay(day=day, due=row["due"], met=row["met"]))
    return days


def branch_totals(company_id: int | None, now: datetime) -> list[Branch]:
    """Return branches with `open_count` and `recent_count` (last 30 days)."""
    return list(
        _scoped(Branch.objects.all(), company_id)
        .annotate(
            open_count=Count(
                "callback_requests",
                filter=Q(callback_requests__status__in=OPEN_STATUSES),
            ),
            recent_count=Count(
                "callback_requests",
                filter=Q(callback_requests__created_at__gte=now - BRANCH_PERIOD),
            ),
        )
        .order_by("-open_count", "name", "pk")
    )


def dashboard(company_id: int | None, zone) -> dict:
    now = timezone.now()
    return {
        "counts": queue_counts(company_id, now),
        "overdue": overdue_callbacks(company_id, now),
        "loads": staff_loads(company_id),
        "compliance": sla_compliance(company_id, now, zone),
        "branches": branch_totals(company_id, now),
        "now": now,
    }
