"""An event published while the broker is down still gets its deliveries."""

import pytest
from django.db import transaction

from notifications.models import Delivery
from tenants import events
from tests.e2e.test_broker_outage import broker  # noqa: F401 - fixture
from tests.factories import StaffFactory
from tests.notifications.factories import notify

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_event_during_broker_outage_writes_deliveries(broker, caplog):  # noqa: F811
    staff = StaffFactory()
    notify(staff.company, events.CALLBACK_ASSIGNED, channel="email")
    broker.stop()

    with transaction.atomic():
        events.publish(
            events.CALLBACK_ASSIGNED,
            staff.company_id,
            callback_id=1,
            assignee_id=staff.pk,
        )

    delivery = Delivery.objects.get()
    assert delivery.recipient_id == staff.pk
    assert delivery.status == "pending"
    assert "cannot queue notifications for event callback_assigned" in caplog.text
