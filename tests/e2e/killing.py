"""Block a worker task on a row lock and find the pool process running it."""

import socket
import time
from pathlib import Path

import psycopg
from django.db import connection

from config.celery import app as celery_app
from integrations.benchmark.database import database_url


class RowLock:
    """`FOR UPDATE` on one row, held by a connection of the test's own."""

    def __init__(self, table: str, row_id: int) -> None:
        self.table = table
        self.row_id = row_id
        self.connection: psycopg.Connection | None = None

    def __enter__(self) -> "RowLock":
        url = database_url(connection.settings_dict["NAME"])
        self.connection = psycopg.connect(url)
        self.connection.execute(
            f"SELECT id FROM {self.table} WHERE id = %s FOR UPDATE",  # noqa: S608
            [self.row_id],
        )
        return self

    def release(self) -> None:
        if self.connection is not None and not self.connection.closed:
            self.connection.rollback()
            self.connection.close()

    def __exit__(self, *exc_info) -> None:
        self.release()


def wait_for_lock_waiter(seconds: float = 30.0) -> None:
    """Wait until some session of the test database waits on a row lock."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.1)
    raise AssertionError(f"no task waited on the lock within {seconds} s")


def pool_process_running(queue: str, task_name: str) -> int:
    """Return the pid of the pool process executing `task_name` on `queue`'s worker."""
    hostname = f"{queue}@{socket.gethostname()}"
    active = celery_app.control.inspect(destination=[hostname], timeout=2).active()
    pids = [
        task["worker_pid"]
        for task in (active or {}).get(hostname, [])
        if task["name"] == task_name
    ]
    assert len(pids) == 1, active
    return pids[0]


def child_pids(pid: int) -> set[int]:
    """Return the pids of the direct children of process `pid` (Linux /proc)."""
    children: set[int] = set()
    for listing in Path(f"/proc/{pid}/task").glob("*/children"):
        children.update(int(child) for child in listing.read_text().split())
    return children
