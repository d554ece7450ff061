import importlib
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from callbacks.models import Escalation, Status
from callbacks.tasks import check_sla, expire_overdue
from config.celery import app
from tests.callbacks.factories import CallbackRequestFactory
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEAT_TASKS = {
    "callbacks.tasks.sweep_unassigned": 60,
    "callbacks.tasks.check_sla": 60,
    "callbacks.tasks.expire_overdue": 300,
}


def test_periodic_tasks_are_scheduled_and_registered():
    # Transactional tests flush the rows the migration wrote, so run its
    # forward step again; it only creates what is missing.
    migration = importlib.import_module("callbacks.migrations.0002_periodic_tasks")
    migration.create_tasks(django_apps, None)
    app.loader.import_default_modules()

    scheduled = {
        task.task: task.interval.every
        for task in PeriodicTask.objects.filter(task__startswith="callbacks.")
    }

    assert scheduled == BEAT_TASKS
    for name in BEAT_TASKS:
        assert name in app.tasks


def test_check_sla_task_warns_and_escalates():
    staff = StaffFactory()
    now = timezone.now()
    callback = CallbackRequestFactory(
        branch=staff.branch,
        due_at=now - timedelta(minutes=1),
        warn_at=now - timedelta(minutes=31),
    )

    result = check_sla()

    assert result == {"warned": 1, "escalated": 1}
    callback.refresh_from_db()
    assert callback.warned_at is not None
    assert callback.assignee_id == staff.pk
    assert Escalation.objects.get(callback=callback).level == 1


def test_expire_overdue_task_expires():
    callback = CallbackRequestFactory(expires_at=timezone.now() - timedelta(seconds=1))

    assert expire_overdue() == 1

    callback.refresh_from_db()
    assert callback.status == Status.EXPIRED
