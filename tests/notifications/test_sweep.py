from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import (
    AttemptOutcome,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    SentMessage,
)
from notifications.services.actions import deliveries_sweep
from tenants import events
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)


def delivery_for(staff, key: str, **fields) -> Delivery:
    defaults = {
        "company": staff.company,
        "event_type": events.CALLBACK_ASSIGNED,
        "event_key": key,
        "recipient_type": "staff",
        "recipient_id": staff.pk,
        "recipient_name": staff.name,
        "channel": "email",
        "address": staff.email,
        "payload": {"assignee_id": staff.pk},
        "scheduled_for": timezone.now(),
    }
    return Delivery.objects.create(**{**defaults, **fields})


def test_sweep_sends_lost_due_deliveries():
    staff = StaffFactory()
    lost = delivery_for(
        staff, "lost", scheduled_for=timezone.now() - timedelta(minutes=10)
    )
    fresh = delivery_for(staff, "fresh")
    later = delivery_for(
        staff, "later", scheduled_for=timezone.now() + timedelta(hours=1)
    )

    result = deliveries_sweep()

    assert result == {"queued": 1, "closed": 0}
    statuses = dict(Delivery.objects.values_list("pk", "status"))
    assert statuses == {
        lost.pk: DeliveryStatus.SENT,
        fresh.pk: DeliveryStatus.PENDING,
        later.pk: DeliveryStatus.PENDING,
    }
    assert SentMessage.objects.get().delivery_id == lost.pk


def test_sweep_closes_abandoned_sends_without_sending():
    staff = StaffFactory()
    stuck = delivery_for(staff, "stuck", status=DeliveryStatus.SENDING)
    Delivery.objects.filter(pk=stuck.pk).update(
        updated_at=timezone.now() - timedelta(minutes=30)
    )
    DeliveryAttempt.objects.create(
        delivery=stuck, number=1, channel="email", started_at=timezone.now()
    )
    busy = delivery_for(staff, "busy", status=DeliveryStatus.SENDING)

    result = deliveries_sweep()

    assert result == {"queued": 0, "closed": 1}
    stuck.refresh_from_db()
    assert stuck.status == DeliveryStatus.FAILED
    assert stuck.last_error.startswith("the worker stopped during the send")
    assert stuck.attempts.get().outcome == AttemptOutcome.PERMANENT
    busy.refresh_from_db()
    assert busy.status == DeliveryStatus.SENDING
    assert SentMessage.objects.count() == 0
