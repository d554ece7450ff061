"""The callback dashboard on the admin index, scoped to the user's company."""

from zoneinfo import ZoneInfo

from django import template

from callbacks import selectors
from callbacks.admin.columns import relative_due
from tenants.scoping import membership_of

register = template.Library()

BAR_WIDTH = 28
CHART_HEIGHT = 120


@register.inclusion_tag("admin/callbacks/dashboard.html", takes_context=True)
def callback_dashboard(context) -> dict:
    request = context["request"]
    user = request.user
    membership = membership_of(user)
    if membership is None and not user.is_superuser:
        return {"visible": False}
    company = membership.company if membership else None
    zone = ZoneInfo(company.time_zone if company else "UTC")
    data = selectors.dashboard(company.pk if company else None, zone)

    overdue_rows = [
        {"callback": callback, "due": relative_due(callback, data["now"])}
        for callback in data["overdue"]
    ]
    max_load = max((staff.open_load for staff in data["loads"]), default=0) or 1
    loads = [
        {"staff": staff, "width": round(100 * staff.open_load / max_load)}
        for staff in data["loads"]
    ]
    max_branch = max((b.recent_count for b in data["branches"]), default=0) or 1
    branches = [
        {"branch": branch, "width": round(100 * branch.recent_count / max_branch)}
        for branch in data["branches"]
    ]
    compliance = []
    for index, day in enumerate(data["compliance"]):
        percent = day.percent
        height = round(CHART_HEIGHT * (percent or 0) / 100)
        compliance.append(
            {
                "day": day,
                "x": index * (BAR_WIDTH + 12) + 6,
                "y": CHART_HEIGHT - height,
                "height": height,
                "label_x": index * (BAR_WIDTH + 12) + 6 + BAR_WIDTH // 2,
            }
        )
    return {
        "visible": True,
        "counts": data["counts"],
        "overdue_rows": overdue_rows,
        "loads": loads,
        "branches": branches,
        "compliance": compliance,
        "bar_width": BAR_WIDTH,
        "chart_height": CHART_HEIGHT,
        "chart_width": len(compliance) * (BAR_WIDTH + 12) + 12,
    }
