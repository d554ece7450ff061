"""A pool process killed in the middle of a task: the work is done once.

The test holds a row lock that the task needs, so the task is certainly in
progress when its pool process gets SIGKILL. Late acknowledgement with
reject-on-worker-lost puts the message back; after the lock is released the
task runs again, and its effect must happen exactly once. A call event is
the exception: its claim survives the killed process, so the redelivered
task leaves it alone and the stale-event sweep queues it again.
"""

import os
import signal
import subprocess
from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from callbacks.models import (
    AssignmentDecision,
    CallbackRequest,
    CallbackStatusChange,
    DecisionOutcome,
    Status,
)
from callbacks.tasks import assign_callback
from integrations.benchmark.database import database_url
from integrations.benchmark.processes import celery_worker
from integrations.models import Call, CallEvent, EventStatus, WebhookEvent
from integrations.services.inbox import webhook_events_requeue_stale
from integrations.tasks import process_webhook_event
from notifications.models import Delivery, DeliveryStatus, SentMessage
from notifications.services.dispatch import notification_event_dispatch
from tenants import events
from tests.callbacks.factories import CallbackRequestFactory
from tests.e2e.killing import (
    RowLock,
    child_pids,
    pool_process_running,
    wait_for_lock_waiter,
)
from tests.factories import StaffFactory
from tests.integrations.signing import events_url, fixture_body, post_retell
from tests.notifications.factories import notify
from tests.waiting import settle, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _worker(queue: str):
    return celery_worker(database_url(connection.settings_dict["NAME"]), queue)


def kill_pool_process(worker: subprocess.Popen, queue: str, task_name: str) -> None:
    """SIGKILL the pool process running `task_name`, a child of `worker`."""
    pid = pool_process_running(queue, task_name)
    assert pid in child_pids(worker.pid)
    os.kill(pid, signal.SIGKILL)


def test_killed_assignment_runs_again_once(worker_queue):
    staff = StaffFactory()
    callback = CallbackRequestFactory(branch=staff.branch)
    # Saving the staff member queued a backlog run that would assign the
    # request too; drop it so that only the task under test can.
    redis.Redis.from_url(settings.REDIS_URL).delete(worker_queue)

    with (
        RowLock("tenants_branch", staff.branch_id) as lock,
        _worker(worker_queue) as worker,
    ):
        assign_callback.delay(callback.pk)
        wait_for_lock_waiter()
        kill_pool_process(worker, worker_queue, assign_callback.name)
        lock.release()
        wait_for(
            lambda: CallbackRequest.objects.filter(
                pk=callback.pk, status=Status.ASSIGNED
            ).exists()
        )
        settle(lambda: AssignmentDecision.objects.count() == 1)

    callback.refresh_from_db()
    assert callback.assignee_id == staff.pk
    assert list(
        CallbackStatusChange.objects.filter(callback=callback).values_list(
            "from_status", "to_status", "assignee_id"
        )
    ) == [(Status.PENDING, Status.ASSIGNED, staff.pk)]
    decision = AssignmentDecision.objects.get()
    assert decision.outcome == DecisionOutcome.ASSIGNED
    assert decision.winner_id == staff.pk


def test_killed_delivery_runs_again_once(worker_queue):
    staff = StaffFactory(phone="+12025550111")
    notify(staff.company, events.CALLBACK_ASSIGNED, channel="sms")
    # Without a worker yet, the send task waits in the queue.
    with transaction.atomic():
        notification_event_dispatch(
            events.CALLBACK_ASSIGNED,
            staff.company_id,
            {"callback_id": 1, "assignee_id": staff.pk},
            "killed-delivery",
        )
    delivery = Delivery.objects.get()

    with (
        RowLock("notifications_delivery", delivery.pk) as lock,
        _worker(worker_queue) as worker,
    ):
        wait_for_lock_waiter()
        kill_pool_process(worker, worker_queue, "notifications.tasks.send_delivery")
        lock.release()
        wait_for(SentMessage.objects.exists)
        settle(lambda: SentMessage.objects.count() == 1)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempt_count == 1
    assert delivery.attempts.count() == 1
    message = SentMessage.objects.get()
    assert message.delivery_id == delivery.pk
    assert message.to == "+12025550111"


def test_killed_call_event_recovered_by_sweep(studio, worker_queue):
    started = fixture_body("retell/call_started.json")
    ended = fixture_body("retell/call_ended.json")

    with _worker(worker_queue) as worker:
        post_retell(Client(), events_url(), started)
        wait_for(Call.objects.exists)
        call = Call.objects.get()
        with RowLock("integrations_call", call.pk):
            post_retell(Client(), events_url(), ended)
            wait_for_lock_waiter()
            kill_pool_process(worker, worker_queue, process_webhook_event.name)
        event = WebhookEvent.objects.get(event="call_ended")
        # The redelivered task finds the event claimed by the dead process,
        # so it waits for the sweep that reclaims stale events.
        settle(
            lambda: WebhookEvent.objects.filter(
                pk=event.pk, status=EventStatus.PROCESSING
            ).exists()
        )
        later = timezone.now() + timedelta(
            seconds=settings.WEBHOOK_STALE_PROCESSING_SECONDS + 1
        )
        assert webhook_events_requeue_stale(now=later) == 1
        wait_for(
            lambda: WebhookEvent.objects.filter(
                pk=event.pk, status=EventStatus.PROCESSED
            ).exists()
        )

    event.refresh_from_db()
    assert event.attempts == 2
    assert list(
        CallEvent.objects.order_by("pk").values_list("event", "webhook_event_id")
    ) == [
        ("call_started", WebhookEvent.objects.get(event="call_started").pk),
        ("call_ended", event.pk),
    ]
    call.refresh_from_db()
    assert call.ended_at is not None
