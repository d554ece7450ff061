"""Polling helpers for tests that wait on a real worker process."""

import time
from collections.abc import Callable


def wait_for(condition: Callable[[], bool], seconds: float = 30.0) -> None:
    """Poll `condition` until it is true; fail the test after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"condition not met within {seconds} s")


def settle(condition: Callable[[], bool], seconds: float = 2.0) -> None:
    """Wait `seconds` more and fail if `condition` stops holding meanwhile.

    Used after the expected effect appears, so that a second, unwanted effect
    (a task run twice) has time to show up before the test counts.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert condition()
        time.sleep(0.2)
