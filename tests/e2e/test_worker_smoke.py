import pytest

from config.celery import app as celery_app

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_live_worker_answers_ping(live_worker, worker_queue):
    import socket

    replies = celery_app.control.ping(
        destination=[f"{worker_queue}@{socket.gethostname()}"], timeout=2
    )

    assert len(replies) == 1
