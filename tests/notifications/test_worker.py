"""End to end through Redis and a real Celery worker process."""

import pytest
from django.db import connection, transaction

from integrations.benchmark.database import database_url
from integrations.benchmark.processes import celery_worker
from notifications.models import Delivery, DeliveryStatus, SentMessage
from notifications.tasks import send_delivery
from tenants import events
from tests.factories import StaffFactory
from tests.notifications.factories import notify
from tests.waiting import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(transactional_db, worker_queue):
    """One worker process, so it takes tasks in the order they were queued."""
    url = database_url(connection.settings_dict["NAME"])
    with celery_worker(
        url, worker_queue, concurrency=1, NOTIFICATION_BACKEND="development"
    ) as process:
        yield process


def test_worker_redelivered_task_sends_once(worker, worker_queue):
    staff = StaffFactory()
    other = StaffFactory(company=staff.company, branch=staff.branch)
    notify(staff.company, events.CALLBACK_ASSIGNED, channel="email")

    with transaction.atomic():
        events.publish(
            events.CALLBACK_ASSIGNED,
            staff.company_id,
            callback_id=1,
            assignee_id=staff.pk,
        )
    # The worker writes the delivery row, then sends it.
    wait_for(Delivery.objects.exists)
    delivery = Delivery.objects.get()
    wait_for(
        lambda: Delivery.objects.filter(
            pk=delivery.pk, status=DeliveryStatus.SENT
        ).exists()
    )

    # The broker hands the same task out twice more, as after a lost ack.
    send_delivery.apply_async(args=[delivery.pk], queue=worker_queue)
    send_delivery.apply_async(args=[delivery.pk], queue=worker_queue)
    events.publish(
        events.CALLBACK_ASSIGNED, staff.company_id, callback_id=2, assignee_id=other.pk
    )
    # One worker process takes tasks in order, so once the later event is
    # sent the duplicates have run.
    wait_for(lambda: SentMessage.objects.filter(to=other.email).exists())

    assert SentMessage.objects.filter(to=staff.email).count() == 1
    assert delivery.attempts.count() == 1
