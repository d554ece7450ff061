import logging

import pytest
from django.db import transaction

from notifications.models import Delivery, SentMessage
from tenants import events
from tests.factories import StaffFactory
from tests.notifications.factories import notify

pytestmark = pytest.mark.django_db(transaction=True)


def test_republished_event_with_id_sends_once():
    staff = StaffFactory()
    notify(staff.company, events.CALLBACK_ASSIGNED, channel="email")

    for _ in range(2):
        with transaction.atomic():
            events.publish(
                events.CALLBACK_ASSIGNED,
                staff.company_id,
                callback_id=5,
                assignee_id=staff.pk,
                event_id="callback-5-assigned-1",
            )

    assert Delivery.objects.get().event_key == "callback-5-assigned-1"
    assert SentMessage.objects.count() == 1


def test_events_without_id_are_separate_occurrences():
    staff = StaffFactory()
    notify(staff.company, events.CALLBACK_SLA_WARNING, channel="email")

    for _ in range(2):
        events.publish(
            events.CALLBACK_SLA_WARNING,
            staff.company_id,
            callback_id=5,
            assignee_id=staff.pk,
        )

    assert SentMessage.objects.count() == 2


def test_subscriber_error_does_not_reach_publisher(caplog):
    staff = StaffFactory()
    notify(staff.company, events.CALLBACK_ASSIGNED, channel="email")

    with caplog.at_level(logging.ERROR, logger="notifications.subscribers"):
        events.publish(
            events.CALLBACK_ASSIGNED,
            staff.company_id,
            assignee_id="not-an-id",
        )

    assert "notifications for event callback_assigned of company" in caplog.text
    assert Delivery.objects.count() == 0
