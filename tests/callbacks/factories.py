from datetime import timedelta

import factory
from django.utils import timezone

from callbacks.models import CallbackRequest
from tests.factories import BranchFactory


class CallbackRequestFactory(factory.django.DjangoModelFactory):
    """A pending request written directly, without the create service.

    Use it where the lifecycle under test starts later, or to stand for a
    request whose assignment task never ran.
    """

    class Meta:
        model = CallbackRequest

    branch = factory.SubFactory(BranchFactory)
    company = factory.SelfAttribute("branch.company")
    phone = factory.Sequence(lambda n: f"+1202555{n % 10000:04d}")
    name = factory.Sequence(lambda n: f"Caller {n}")
    created_at = factory.LazyFunction(timezone.now)
    due_at = factory.LazyAttribute(lambda o: o.created_at + timedelta(hours=24))
    warn_at = factory.LazyAttribute(lambda o: o.due_at - timedelta(minutes=30))
    expires_at = factory.LazyAttribute(lambda o: o.due_at + timedelta(days=3))
    next_escalation_at = factory.SelfAttribute("due_at")
