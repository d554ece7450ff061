"""The demo command on PostgreSQL: seed, replay the samples, summarise."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from appointments.models import Appointment, AppointmentModification
from callbacks.models import CallbackRequest
from integrations.models import WebhookEvent
from notifications.models import Delivery, SentMessage
from tenants.models import Company

pytestmark = pytest.mark.django_db(transaction=True)

DEVELOPMENT = "notifications.backends.development.DevelopmentBackend"
OFFLINE = dict.fromkeys(("email", "sms", "whatsapp", "webhook"), DEVELOPMENT)


def run_demo() -> str:
    output = StringIO()
    with override_settings(NOTIFICATION_BACKENDS=OFFLINE):
        call_command("demo", "--no-serve", stdout=output)
    return output.getvalue()


def test_demo_replays_samples_and_assigns_callback():
    output = run_demo()

    company = Company.objects.get(slug="demo")
    callback = CallbackRequest.objects.get(company=company)
    assert callback.status == "assigned"
    assert callback.assignee is not None
    assert callback.retell_call_id == "call_5c1e0a7d2b9f4e3a8d6c0b1a2f3e4d5c"
    assert f"{callback.reference} from Sam Example at Downtown: assigned" in output
    assert "Admin login: http://127.0.0.1:8000/admin/" in output


def test_demo_answers_every_request_with_200():
    output = run_demo()

    replayed = [line for line in output.splitlines() if line.startswith("  200 ")]
    assert len(replayed) == 10
    assert "can't be cancelled by phone" in output
    assert WebhookEvent.objects.exclude(status="processed").count() == 0


def test_demo_records_policy_outcomes_and_deliveries():
    run_demo()

    company = Company.objects.get(slug="demo")
    statuses = sorted(
        Appointment.objects.filter(company=company).values_list("status", flat=True)
    )
    assert statuses == ["booked", "booked", "cancelled", "rescheduled", "rescheduled"]
    assert AppointmentModification.objects.filter(kind="reschedule").count() == 2
    assert Delivery.objects.filter(company=company).exclude(status="sent").count() == 0
    assert (
        SentMessage.objects.filter(company=company).count()
        == Delivery.objects.filter(company=company).count()
    )


def test_demo_twice_changes_nothing_the_second_time():
    run_demo()
    counts = (
        CallbackRequest.objects.count(),
        Appointment.objects.count(),
        Delivery.objects.count(),
    )

    run_demo()

    assert (
        CallbackRequest.objects.count(),
        Appointment.objects.count(),
        Delivery.objects.count(),
    ) == counts
