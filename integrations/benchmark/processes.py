"""Start gunicorn and Celery workers against the benchmark database."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

PROJECT_ROOT = Path(settings.BASE_DIR)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def child_environment(database_url: str, **extra: str) -> dict[str, str]:
    """Return the environment of a child process, configured as deployed.

    DEBUG is off, as in production: with it on, Django keeps every query in
    memory and the development template loaders recompile each template.
    """
    env = dict(os.environ)
    env["DJANGO_DEBUG"] = "false"
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass(frozen=True)
class Server:
    url: str
    pid: int


@contextlib.contextmanager
def gunicorn_server(
    database_url: str, workers: int = 2, queue: str = ""
) -> Iterator[Server]:
    """Serve the project on a free loopback port; yield its URL and master pid.

    Tasks the web workers queue go to `queue` when one is given.
    """
    port = _free_port()
    extra = {"CELERY_TASK_DEFAULT_QUEUE": queue} if queue else {}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=PROJECT_ROOT,
        env=child_environment(
            database_url, CACHE_KEY_PREFIX=_cache_prefix(), LOG_LEVEL="WARNING", **extra
        ),
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_http(f"{base_url}/healthz", process)
        yield Server(base_url, process.pid)
    finally:
        _stop(process)


def _cache_prefix() -> str:
    from django.core.cache import cache

    return cache.key_prefix


def _wait_for_http(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not respond within {seconds} s")


@contextlib.contextmanager
def celery_worker(
    database_url: str, queue: str, concurrency: int = 2, **extra_env: str
) -> Iterator[subprocess.Popen]:
    """Run a Celery worker with `concurrency` processes consuming `queue`.

    `extra_env` adds environment variables, e.g. NOTIFICATION_BACKEND.
    """
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--concurrency",
            str(concurrency),
            "--queues",
            queue,
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--pool",
            "prefork",
            "--hostname",
            f"{queue}@%h",
        ],
        cwd=PROJECT_ROOT,
        env=child_environment(
            database_url,
            CELERY_TASK_DEFAULT_QUEUE=queue,
            CACHE_KEY_PREFIX=_cache_prefix(),
            **extra_env,
        ),
        # The start-up banner only; warnings and errors go to stderr.
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait_for_worker(queue, process)
        yield process
    finally:
        _stop(process)


def _wait_for_worker(queue: str, process: subprocess.Popen, seconds: float = 60):
    from config.celery import app

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"worker exited with code {process.returncode}")
        replies = app.control.ping(
            destination=[f"{queue}@{socket.gethostname()}"], timeout=0.5
        )
        if replies:
            return
    raise RuntimeError(f"worker for queue {queue} did not start within {seconds} s")


def child_pids(pid: int) -> list[int]:
    """Return the ids of the direct children of process `pid` (Linux only)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(part) for part in children.read_text().split()]


def rss_kib(pid: int) -> int:
    """Return the resident set size of process `pid` in KiB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/{pid}/status has no VmRSS line")
