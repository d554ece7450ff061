import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from notifications.models import (
    AttemptOutcome,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    SentMessage,
)
from notifications.services.dispatch import notification_event_dispatch
from notifications.services.sending import delivery_send
from notifications.tasks import send_delivery
from tenants import events
from tests.factories import CustomerFactory, StaffFactory
from tests.notifications.factories import notify

pytestmark = pytest.mark.django_db(transaction=True)

FAILING = "tests.notifications.failing_backends"


@pytest.fixture
def queued(monkeypatch):
    """Record every send_delivery.apply_async call and let it run."""
    calls = []
    original = send_delivery.apply_async

    def spy(args=None, kwargs=None, **options):
        calls.append({"args": args, **options})
        return original(args=args, kwargs=kwargs, **options)

    monkeypatch.setattr(send_delivery, "apply_async", spy)
    return calls


def assign(staff, event_key="evt", **payload):
    return notification_event_dispatch(
        events.CALLBACK_ASSIGNED,
        staff.company_id,
        {"callback_id": 1, "assignee_id": staff.pk, **payload},
        event_key,
    )


def test_send_delivery_twice_sends_once():
    staff = StaffFactory()
    notify(staff.company, events.CALLBACK_ASSIGNED, channel="email")
    (delivery,) = assign(staff)

    second = send_delivery.apply(args=[delivery.pk]).get()

    assert second == "skipped"
    assert SentMessage.objects.count() == 1
    assert DeliveryAttempt.objects.filter(delivery=delivery).count() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempt_count == 1


def test_send_delivery_concurrent_workers_send_once():
    staff = StaffFactory()
    notify(staff.company, events.CALLBACK_ASSIGNED, channel="email", critical=True)
    delivery = Delivery.objects.create(
        company=staff.company,
        event_type=events.CALLBACK_ASSIGNED,
        event_key="race",
        recipient_type="staff",
        recipient_id=staff.pk,
        channel="email",
        address=staff.email,
        settings={"channel": "email", "retry_count": 0},
        payload={"assignee_id": staff.pk},
        scheduled_for=timezone.now(),
    )
    barrier = threading.Barrier(4)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(delivery_send(delivery.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["sent", "skipped", "skipped", "skipped"]
    assert SentMessage.objects.count() == 1
    assert DeliveryAttempt.objects.count() == 1


def test_send_delivery_not_due_is_skipped():
    staff = StaffFactory()
    delivery = Delivery.objects.create(
        company=staff.company,
        event_type=events.CALLBACK_ASSIGNED,
        event_key="later",
        recipient_type="staff",
        recipient_id=staff.pk,
        channel="email",
        address=staff.email,
        scheduled_for=timezone.now() + timedelta(hours=1),
    )

    assert delivery_send(delivery.pk) == "skipped"
    assert SentMessage.objects.count() == 0
    assert DeliveryAttempt.objects.count() == 0


@pytest.mark.parametrize(
    ("backoff", "delays"),
    [
        ("exponential", [30, 60, 120, 200]),
        ("linear", [30, 60, 90, 120]),
        ("constant", [30, 30, 30, 30]),
    ],
)
def test_transient_failure_retries_with_backoff(settings, queued, backoff, delays):
    settings.NOTIFICATION_BACKENDS = {"email": f"{FAILING}.AlwaysTransient"}
    staff = StaffFactory()
    notify(
        staff.company,
        events.CALLBACK_ASSIGNED,
        channel="email",
        retry_count=4,
        retry_delay_seconds=30,
        backoff=backoff,
        max_delay_seconds=200,
    )
    (delivery,) = assign(staff)

    for _ in range(4):
        # Let the retry fall due, then run the task the worker would run.
        Delivery.objects.filter(pk=delivery.pk).update(
            scheduled_for=timezone.now() - timedelta(seconds=1)
        )
        send_delivery.apply(args=[delivery.pk])

    attempts = list(DeliveryAttempt.objects.filter(delivery=delivery))
    assert [a.retry_in_seconds for a in attempts] == [*delays, None]
    assert [a.outcome for a in attempts] == [AttemptOutcome.TRANSIENT] * 5
    assert [c["countdown"] for c in queued if c.get("countdown")] == delays
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_error == "gave up after 5 attempts: provider busy"


def test_transient_failure_waits_for_delay(settings, queued):
    settings.NOTIFICATION_BACKENDS = {"email": f"{FAILING}.AlwaysTransient"}
    staff = StaffFactory()
    notify(staff.company, events.CALLBACK_ASSIGNED, channel="email")
    before = timezone.now()
    (delivery,) = assign(staff)

    delivery.refresh_from_db()

    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.last_error == "provider busy"
    # The default configuration waits 60 s before the first retry.
    assert before + timedelta(seconds=60) <= delivery.scheduled_for
    assert delivery.scheduled_for <= timezone.now() + timedelta(seconds=60)
    assert queued[-1]["countdown"] == 60
    # The eager retry ran early and did nothing.
    assert DeliveryAttempt.objects.filter(delivery=delivery).count() == 1


def test_permanent_failure_falls_back_at_once(settings):
    settings.NOTIFICATION_BACKENDS = {
        "sms": f"{FAILING}.AlwaysPermanent",
        "email": "notifications.backends.development.DevelopmentBackend",
    }
    staff = StaffFactory(phone="+12025550143")
    notify(
        staff.company,
        events.CALLBACK_ASSIGNED,
        channel="sms",
        fallback_channel="email",
        retry_count=5,
    )

    (delivery,) = assign(staff)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempt_count == 1
    assert delivery.last_error == "number rejected"
    fallback = delivery.fallback
    assert fallback.channel == "email"
    assert fallback.address == staff.email
    assert fallback.status == DeliveryStatus.SENT
    assert SentMessage.objects.get().to == staff.email


def test_missing_address_falls_back():
    staff = StaffFactory(phone="")
    notify(
        staff.company,
        events.CALLBACK_ASSIGNED,
        channel="whatsapp",
        fallback_channel="email",
    )

    (delivery,) = assign(staff)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_error == (
        f"staff {staff.pk} has no address for whatsapp; add one or choose another "
        "channel."
    )
    assert delivery.fallback.status == DeliveryStatus.SENT


def test_exhausted_retries_fall_back(settings):
    settings.NOTIFICATION_BACKENDS = {
        "email": f"{FAILING}.AlwaysTransient",
        "sms": "notifications.backends.development.DevelopmentBackend",
    }
    staff = StaffFactory(phone="+12025550143")
    notify(
        staff.company,
        events.CALLBACK_ASSIGNED,
        channel="email",
        fallback_channel="sms",
        retry_count=0,
    )

    (delivery,) = assign(staff)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.fallback.channel == "sms"
    assert SentMessage.objects.get().to == "+12025550143"


def test_failed_fallback_does_not_fall_back_again(settings):
    settings.NOTIFICATION_BACKENDS = {
        "sms": f"{FAILING}.AlwaysPermanent",
        "email": f"{FAILING}.AlwaysPermanent",
    }
    staff = StaffFactory(phone="+12025550143")
    notify(
        staff.company,
        events.CALLBACK_ASSIGNED,
        channel="sms",
        fallback_channel="email",
    )

    assign(staff)

    assert Delivery.objects.count() == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {"failed"}


def test_broken_override_records_render_error():
    staff = StaffFactory()
    config = notify(staff.company, events.CALLBACK_ASSIGNED, channel="email")
    # Written around the form's validation, as an old row might be.
    type(config).objects.filter(pk=config.pk).update(
        values={"channel": "email", "template": "{% if %}"}
    )

    (delivery,) = assign(staff)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_error.startswith(
        "the configured template failed to render: TemplateSyntaxError:"
    )
    assert SentMessage.objects.count() == 0
    attempt = DeliveryAttempt.objects.get()
    assert attempt.outcome == AttemptOutcome.PERMANENT


def test_override_template_renders_with_context():
    staff = StaffFactory(name="Ana")
    customer = CustomerFactory(company=staff.company, name="O'Brien")
    notify(
        staff.company,
        events.APPOINTMENT_CANCELLED,
        channel="email",
        subject="Cancelled: {{ customer.name }}",
        template="Hi {{ recipient.name }}, {{ customer.name }} cancelled.",
    )

    notification_event_dispatch(
        events.APPOINTMENT_CANCELLED,
        staff.company_id,
        {"appointment_id": 9, "staff_id": staff.pk, "customer_id": customer.pk},
        "evt",
    )

    message = SentMessage.objects.get(to=staff.email)
    assert message.subject == "Cancelled: O'Brien"
    assert message.text == "Hi Ana, O'Brien cancelled."
    assert "<p>Hi Ana, O&#x27;Brien cancelled.</p>" in message.html


def test_default_templates_render_every_event():
    staff = StaffFactory(name="Ana", is_manager=True)
    customer = CustomerFactory(company=staff.company, name="Bo", email="bo@ex.com")
    payload = {
        "callback_id": 4,
        "appointment_id": 5,
        "branch_id": staff.branch_id,
        "assignee_id": staff.pk,
        "to_staff_id": staff.pk,
        "staff_id": staff.pk,
        "customer_id": customer.pk,
        "reason": "deadline_missed",
    }
    for event in events.EVENT_TYPES:
        notify(staff.company, event, channel="email")
        notification_event_dispatch(event, staff.company_id, payload, f"e-{event}")

    assert Delivery.objects.exclude(status=DeliveryStatus.SENT).count() == 0
    texts = dict(
        SentMessage.objects.filter(to=staff.email).values_list("subject", "text")
    )
    branch = staff.branch.name
    assert texts[f"Policy violation at {branch}"] == (
        f"A request about appointment 5 from Bo at {branch} broke a policy: "
        "deadline_missed."
    )
    assert texts[f"Callback escalated at {branch}"] == (
        f"Callback request 4 at {branch} was escalated to Ana (deadline_missed)."
    )
    assert len(texts) == len(events.EVENT_TYPES)


def test_unexpected_backend_error_is_recorded(settings):
    settings.NOTIFICATION_BACKENDS = {
        "email": f"{FAILING}.Broken",
        "sms": "notifications.backends.development.DevelopmentBackend",
    }
    staff = StaffFactory(phone="+12025550143")
    notify(
        staff.company, events.CALLBACK_ASSIGNED, channel="email", fallback_channel="sms"
    )

    (delivery,) = assign(staff)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_error == "unexpected error: KeyError: 'boom'"
    assert delivery.attempts.get().outcome == AttemptOutcome.PERMANENT
    assert delivery.fallback.status == DeliveryStatus.SENT


def test_message_dates_use_recipient_time_zone():
    staff = StaffFactory(name="Ana", branch__time_zone="Europe/Berlin")
    notify(staff.company, events.CALLBACK_SLA_WARNING, channel="email")

    notification_event_dispatch(
        events.CALLBACK_SLA_WARNING,
        staff.company_id,
        {
            "callback_id": 8,
            "reference": "CB-7KQ2",
            "assignee_id": staff.pk,
            "due_at": "2026-03-02T14:30:00+00:00",
        },
        "evt",
    )

    assert SentMessage.objects.get().text == (
        "Hi Ana, callback request CB-7KQ2 is due soon (Mon 2 Mar 2026, 15:30 CET). "
        "Please call back now."
    )
