from config.env import env_bool, env_str
from config.settings.cache import REDIS_URL

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)

# Without a broker the tasks run inline, so the demo needs no worker. Celery
# still builds a producer for eager calls, so it gets kombu's in-memory
# transport instead of an empty URL.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "switchboard")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A task not acknowledged within this many seconds is delivered again;
    # it must exceed the longest task.
    "visibility_timeout": 600,
}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Celery closes Django's database connections before and after every task
# unless this is set, so each task paid for a new PostgreSQL connection. With
# it, Celery closes them only every 1,000 tasks, and config.celery drops them
# as Django does per request: past CONN_MAX_AGE or when found broken.
CELERY_DB_REUSE_MAX = 1000
