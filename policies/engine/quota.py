"""The rolling quota: changes of one kind per customer over the last 30 days."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import Count

from appointments.models import AppointmentModification

QUOTA_WINDOW = timedelta(days=30)


def modification_counts(
    customer_ids: Iterable[int], kind: str, at: datetime
) -> dict[int, int]:
    """Count each customer's `kind` changes in (at - 30 days, at] in one query."""
    ids = sorted(set(customer_ids))
    if not ids:
        return {}
    rows = (
        AppointmentModification.objects.filter(
            customer_id__in=ids,
            kind=kind,
            occurred_at__gt=at - QUOTA_WINDOW,
            occurred_at__lte=at,
        )
        .values("customer_id")
        .annotate(count=Count("id"))
        .order_by()
        .values_list("customer_id", "count")
    )
    counts = dict.fromkeys(ids, 0)
    counts.update(rows)
    return counts
