"""Settings, split by concern. Each module reads its part of the environment.

With nothing set, the project runs on the embedded default: SQLite, a local
memory cache and Celery tasks executed eagerly. `DATABASE_URL` and `REDIS_URL`
switch to PostgreSQL and Redis.
"""

from config.settings.base import *
from config.settings.cache import *
from config.settings.celery import *
from config.settings.database import *
from config.settings.logging import *
from config.settings.notifications import *
from config.settings.security import *
from config.settings.webhooks import *
