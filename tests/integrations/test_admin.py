"""The inbox and call admins: company scoping, the retry action, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integrations.models import Call, EventStatus, WebhookEvent
from tenants.models import Role
from tests.factories import CompanyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def make_event(company, status=EventStatus.FAILED, key="k") -> WebhookEvent:
    return WebhookEvent.objects.create(
        company=company,
        provider="retell",
        kind="call_event",
        event="call_started",
        external_id="call_1",
        idempotency_key=key,
        body='{"event": "call_started"}',
        status=status,
        error="ValueError: boom",
    )


@pytest.fixture
def manager_client(client, studio):
    membership = MembershipFactory(company=studio.company, role=Role.MANAGER)
    client.force_login(membership.user)
    return client


def test_event_of_other_company_is_404(manager_client, studio):
    other = make_event(CompanyFactory())

    response = manager_client.get(
        reverse("admin:integrations_webhookevent_change", args=[other.pk])
    )

    assert response.status_code == 404


def test_call_of_other_company_is_404(manager_client, studio):
    call = Call.objects.create(company=CompanyFactory(), call_id="call_x")

    response = manager_client.get(
        reverse("admin:integrations_call_change", args=[call.pk])
    )

    assert response.status_code == 404


def test_changelist_shows_only_own_company(manager_client, studio):
    own = make_event(studio.company, key="own")
    make_event(CompanyFactory(), key="other")

    response = manager_client.get(reverse("admin:integrations_webhookevent_changelist"))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [own]


def test_changelist_queries_do_not_grow(manager_client, studio):
    url = reverse("admin:integrations_webhookevent_changelist")
    make_event(studio.company, key="first")
    with CaptureQueriesContext(connection) as few:
        manager_client.get(url)
    for index in range(40):
        make_event(studio.company, key=f"k{index}")

    with CaptureQueriesContext(connection) as many:
        response = manager_client.get(url)

    assert response.status_code == 200
    assert len(many) == len(few)
    assert len(many) <= 11


def test_change_page_shows_body(manager_client, studio):
    event = make_event(studio.company)

    response = manager_client.get(
        reverse("admin:integrations_webhookevent_change", args=[event.pk])
    )

    assert response.status_code == 200
    assert "call_started" in response.content.decode()


def test_retry_action_requeues_own_failed_events(manager_client, studio):
    own = make_event(studio.company, key="own")
    other = make_event(CompanyFactory(), key="other")

    response = manager_client.post(
        reverse("admin:integrations_webhookevent_changelist"),
        {"action": "retry_failed", "_selected_action": [own.pk, other.pk]},
    )

    own.refresh_from_db()
    other.refresh_from_db()
    assert response.status_code == 302
    assert own.status == EventStatus.RECEIVED
    assert own.error == ""
    assert other.status == EventStatus.FAILED


def test_agent_cannot_retry(client, studio):
    membership = MembershipFactory(company=studio.company, role=Role.AGENT)
    client.force_login(membership.user)
    event = make_event(studio.company)

    response = client.post(
        reverse("admin:integrations_webhookevent_changelist"),
        {"action": "retry_failed", "_selected_action": [event.pk]},
    )

    event.refresh_from_db()
    assert response.status_code in {200, 302}
    assert event.status == EventStatus.FAILED
