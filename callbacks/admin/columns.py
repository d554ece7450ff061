"""Queue columns computed in Python from the row, without extra queries."""

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.html import format_html

from callbacks.models import UNREACHED_STATUSES, CallbackRequest, Priority

URGENCY_STYLE = {
    Priority.URGENT: ("cb-urgent", "!!! urgent"),
    Priority.HIGH: ("cb-high", "!! high"),
    Priority.NORMAL: ("cb-normal", "normal"),
}


def describe_span(span: timedelta) -> str:
    """Return a short duration such as "3 d 4 h", "2 h 5 min" or "40 min"."""
    minutes = int(abs(span).total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


def relative_due(callback: CallbackRequest, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if callback.due_at is None:
        return "-"
    if callback.status not in UNREACHED_STATUSES:
        return "reached" if callback.contacted_at else callback.get_status_display()
    span = callback.due_at - now
    if span.total_seconds() <= 0:
        return format_html(
            '<span class="cb-overdue" title="{}">overdue {}</span>',
            callback.due_at.isoformat(),
            describe_span(span),
        )
    return format_html(
        '<span title="{}">in {}</span>',
        callback.due_at.isoformat(),
        describe_span(span),
    )


def urgency_marker(callback: CallbackRequest) -> str:
    css_class, label = URGENCY_STYLE[callback.priority]
    return format_html('<span class="cb-priority {}">{}</span>', css_class, label)
