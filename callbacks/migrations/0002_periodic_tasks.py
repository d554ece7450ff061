"""Schedule the periodic callback work in django-celery-beat.

The rows live in the database so staff can see and change the schedule in
the admin; this migration only creates the ones that are missing.
"""

from django.db import migrations

PERIODIC_TASKS = [
    # name, task, every (seconds)
    ("Callbacks: assign pending requests", "callbacks.tasks.sweep_unassigned", 60),
    ("Callbacks: SLA warnings and escalations", "callbacks.tasks.check_sla", 60),
    ("Callbacks: expire overdue requests", "callbacks.tasks.expire_overdue", 300),
]


def create_tasks(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, seconds in PERIODIC_TASKS:
        schedule, _ = IntervalSchedule.objects.get_or_create(
            every=seconds, period="seconds"
        )
        PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task, "interval": schedule}
        )


def remove_tasks(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, _, _ in PERIODIC_TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("callbacks", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_tasks, remove_tasks)]
