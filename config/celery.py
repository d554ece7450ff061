import os

from celery import Celery

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
