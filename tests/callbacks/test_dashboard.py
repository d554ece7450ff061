from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from callbacks.models import Status
from callbacks.selectors import sla_compliance
from tenants.models import Role
from tests.callbacks.factories import CallbackRequestFactory
from tests.factories import BranchFactory, MembershipFactory, StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)

INDEX = reverse("admin:index")


@pytest.fixture
def branch():
    return BranchFactory(name="Downtown")


@pytest.fixture
def manager(client, branch):
    membership = MembershipFactory(company=branch.company, role=Role.MANAGER)
    client.force_login(membership.user)
    return membership.user


def _traffic(branch, count: int) -> None:
    now = timezone.now()
    staff = [StaffFactory(branch=branch) for _ in range(3)]
    for index in range(count):
        CallbackRequestFactory(
            branch=branch,
            status=Status.ASSIGNED,
            assignee=staff[index % 3],
            due_at=now - timedelta(hours=index % 30),
        )


def test_dashboard_query_count_is_constant(client, manager, branch):
    _traffic(branch, 3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(INDEX).status_code == 200
    _traffic(BranchFactory(company=branch.company), 60)
    with CaptureQueriesContext(connection) as large:
        response = client.get(INDEX)

    assert response.status_code == 200
    assert len(large) == len(small)
    # Four for the admin itself (session, user, membership, recent actions)
    # and five for the dashboard panels.
    assert len(large) == 9


def test_dashboard_shows_company_figures_only(client, manager, branch):
    now = timezone.now()
    robin = StaffFactory(branch=branch, name="Robin")
    late = CallbackRequestFactory(
        branch=branch,
        name="Late caller",
        status=Status.ASSIGNED,
        assignee=robin,
        due_at=now - timedelta(hours=1),
    )
    CallbackRequestFactory(branch=branch)
    CallbackRequestFactory(name="Other company", due_at=now - timedelta(hours=1))

    response = client.get(INDEX)

    html = response.content.decode()
    assert '<span class="cb-badge" id="cb-pending-count">1 pending</span>' in html
    assert '<span class="cb-overdue">1 overdue</span>' in html
    assert late.reference in html
    assert "Other company" not in html
    assert "<span>Robin</span>" in html
    assert "<span>Downtown</span>" in html
    assert "<svg" in html
    assert "cdn" not in html.lower()


def test_sla_compliance_counts_met_per_day(branch):
    now = timezone.now()
    zone = timezone.get_default_timezone()
    due = now - timedelta(minutes=10)
    CallbackRequestFactory(
        branch=branch,
        status=Status.COMPLETED,
        due_at=due,
        contacted_at=due - timedelta(minutes=5),
    )
    CallbackRequestFactory(
        branch=branch,
        status=Status.COMPLETED,
        due_at=due,
        contacted_at=due + timedelta(minutes=5),
    )
    CallbackRequestFactory(branch=branch, status=Status.EXPIRED, due_at=due)
    CallbackRequestFactory(branch=branch, status=Status.CANCELLED, due_at=due)
    CallbackRequestFactory(status=Status.EXPIRED, due_at=due)

    days = sla_compliance(branch.company_id, now, zone)

    assert len(days) == 7
    assert days[-1].day == due.astimezone(zone).date()
    assert (days[-1].due, days[-1].met, days[-1].percent) == (3, 1, 33)
    assert all(day.due == 0 and day.percent is None for day in days[:-1])


def test_dashboard_hidden_for_user_without_company(client):
    user = MembershipFactory().user
    user.membership.delete()
    user.refresh_from_db()
    client.force_login(user)

    response = client.get(INDEX)

    assert "cb-dashboard" not in response.content.decode()
