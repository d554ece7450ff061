import pytest

from tenants.events import domain_event


@pytest.fixture
def published():
    """Collect the domain events sent during a test, as (name, payload) pairs."""
    received = []

    def receiver(sender, event, **kwargs):
        received.append((event.name, event.payload))

    domain_event.connect(receiver, weak=False, dispatch_uid="callbacks-tests")
    yield received
    domain_event.disconnect(dispatch_uid="callbacks-tests")
