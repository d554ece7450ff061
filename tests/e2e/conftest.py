"""Fixtures of the end-to-end tests; the worker fixtures are in tests/conftest.py."""

from tests.integrations.conftest import studio  # noqa: F401 - shared fixture
