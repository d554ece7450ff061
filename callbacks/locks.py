"""Row locks of the callbacks app, kept in one place.

Assignment serialises on the branch row: every worker that assigns within a
branch's staff pool holds the branch row lock from reading the loads until its
claim commits, so two workers never pick from the same stale counts. Lock
order is always the callback row first, then the branch row.
"""

from django.db.models import QuerySet


def with_pool_lock(queryset: QuerySet) -> QuerySet:
    """Lock the branch row joined into a callback queryset (`select_related`)."""
    return queryset.select_for_update(of=("branch",))


def with_row_lock(queryset: QuerySet) -> QuerySet:
    """Lock the callback rows of `queryset` and nothing joined to them."""
    return queryset.select_for_update(of=("self",))


def with_row_and_pool_lock(queryset: QuerySet) -> QuerySet:
    """Lock the callback rows and their branch rows, callback first."""
    return queryset.select_for_update(of=("self", "branch"))
