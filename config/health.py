"""The health endpoint: one probe per backing service."""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger(__name__)


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_cache() -> str:
    key = "healthz:probe"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("cache returned a different value than it stored")
    return "ok"


def check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    from config.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=1)
    return "ok"


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
}


# Exempt from CSRF so that a POST gets the JSON 405 below, not an HTML 403 page.
@csrf_exempt
def healthz(request: HttpRequest) -> JsonResponse:
    if request.method not in ("GET", "HEAD"):
        response = JsonResponse(
            {
                "error": "method_not_allowed",
                "message": "/healthz accepts only GET and HEAD requests.",
            },
            status=405,
        )
        response["Allow"] = "GET, HEAD"
        return response
    report: dict[str, str] = {}
    healthy = True
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            report[name] = check()
        except Exception as error:  # noqa: BLE001 - any failure means "down"
            healthy = False
            report[name] = "down"
            logger.warning(
                "health check %s failed after %.3fs: %s",
                name,
                time.monotonic() - started,
                type(error).__name__,
            )
    status = "ok" if healthy else "degraded"
    return JsonResponse({"status": status, **report}, status=200 if healthy else 503)
