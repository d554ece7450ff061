"""The demo prints its admin login before serving, even into a pipe."""

import os
import socket
import subprocess
import sys
import threading

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_demo_prints_login_into_pipe_before_serving():
    database = connection.settings_dict
    # A newcomer's shell has no PYTHONUNBUFFERED, so the output is buffered.
    environment = {
        **{
            key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"
        },
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "true",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "demo", "--port", str(free_port())],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    # A login stuck in the output buffer never arrives, so stop the server
    # after a minute and let readline see the end of the pipe.
    timer = threading.Timer(60, process.terminate)
    timer.start()
    lines = []
    try:
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Admin login:"):
                break
    finally:
        timer.cancel()
        process.terminate()
        process.wait(timeout=30)

    assert any(line.startswith("Admin login:") for line in lines), lines
