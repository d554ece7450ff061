import os

from celery import Celery
from celery.signals import task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("switchboard")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def queue_task(name: str, *args, **options):
    """Queue the registered task `name` with positional `args`.

    Services queue tasks by name rather than importing them, so a tasks
    module can import the services it runs without an import cycle. Each
    app imports its tasks module in AppConfig.ready(), which registers them.
    """
    return app.tasks[name].apply_async(args=list(args), **options)


@task_prerun.connect
def close_old_database_connections(sender=None, **kwargs) -> None:
    """Drop connections past CONN_MAX_AGE or broken, as Django does per request.

    Eager tasks run inside the caller's transaction, whose connection must stay.
    """
    if sender is None or getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
