"""Row locks of the callbacks app, kept in one place.

Everything that picks staff for a callback (automatic assignment, manual
assignment, escalation) locks the callback row and its branch row in one
statement of the same shape, so the locks are always taken in the same
order. Holding the branch row from reading the loads until the claim commits
means two workers never pick from the same counts.
"""

from django.db.models import QuerySet


def with_pool_lock(queryset: QuerySet) -> QuerySet:
    """Lock the callback rows and their branch rows (`select_related("branch")`)."""
    return queryset.select_for_update(of=("self", "branch"))


def with_row_lock(queryset: QuerySet) -> QuerySet:
    """Lock the callback rows of `queryset` and nothing joined to them."""
    return queryset.select_for_update(of=("self",))
