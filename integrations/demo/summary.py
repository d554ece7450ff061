"""The short printed account of what the demo traffic did."""

from collections import Counter

from appointments.models import Appointment
from callbacks.models import CallbackRequest
from integrations.demo.traffic import Exchange
from notifications.models import Delivery
from tenants.models import Company


def demo_summary_lines(company: Company, exchanges: list[Exchange]) -> list[str]:
    lines = ["Webhook requests replayed through the real URLs:"]
    for exchange in exchanges:
        text = exchange.answer.get("message") or exchange.answer.get("status", "")
        lines.append(f"  {exchange.status} {exchange.label}: {text}")

    lines.append("Callback requests:")
    callbacks = CallbackRequest.objects.filter(company=company).select_related(
        "assignee", "branch"
    )
    for callback in callbacks:
        assignee = callback.assignee.name if callback.assignee else "nobody yet"
        lines.append(
            f"  {callback.reference} from {callback.name or callback.phone} at "
            f"{callback.branch.name}: {callback.status}, assigned to {assignee}, "
            f"due {callback.due_at:%Y-%m-%d %H:%M} UTC"
        )

    statuses = Counter(
        Appointment.objects.filter(company=company).values_list("status", flat=True)
    )
    lines.append(
        "Appointments: "
        + ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
    )

    deliveries = Counter(
        Delivery.objects.filter(company=company).values_list(
            "event_type", "channel", "status"
        )
    )
    lines.append("Notification deliveries (development backend, nothing leaves):")
    for (event, channel, status), count in sorted(deliveries.items()):
        lines.append(f"  {count} x {event} by {channel}: {status}")
    return lines
