import pytest
from django.core.cache import caches

from tests.factories import ServiceFactory, StaffFactory


@pytest.fixture
def entities():
    """Return a company with one branch, one service and one staff member."""
    staff = StaffFactory()
    branch = staff.branch
    company = branch.company
    service = ServiceFactory(company=company)
    return company, branch, service, staff


@pytest.fixture
def cache_reads(monkeypatch):
    """Record the keys of every get_many call, one network round trip each.

    The real method still runs; the wrapper only counts.
    """
    backend = caches["default"]
    real_get_many = backend.get_many
    calls = []

    def counting_get_many(keys, *args, **kwargs):
        calls.append(list(keys))
        return real_get_many(keys, *args, **kwargs)

    monkeypatch.setattr(backend, "get_many", counting_get_many)
    return calls
