import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from callbacks.models import CallbackRequest, Escalation, Source, Status
from tenants.models import Role
from tests.callbacks.factories import CallbackRequestFactory
from tests.factories import BranchFactory, MembershipFactory, StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)

CHANGELIST = reverse("admin:callbacks_callbackrequest_changelist")
EXPORT = reverse("admin:callbacks_callbackrequest_export")


@pytest.fixture
def branch():
    return BranchFactory()


@pytest.fixture
def manager(client, branch):
    membership = MembershipFactory(company=branch.company, role=Role.MANAGER)
    client.force_login(membership.user)
    return membership.user


def _fill_queue(branch, count: int) -> None:
    now = timezone.now()
    staff = StaffFactory(branch=branch)
    for index in range(count):
        callback = CallbackRequestFactory(
            branch=branch,
            status=Status.ASSIGNED,
            assignee=staff,
            service=None,
            due_at=now + timedelta(minutes=index - count // 2),
        )
        Escalation.objects.create(callback=callback, level=1, reason="manual")


def _change_url(callback) -> str:
    return reverse("admin:callbacks_callbackrequest_change", args=[callback.pk])


def test_changelist_query_count_is_constant(client, manager, branch):
    _fill_queue(branch, 3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(CHANGELIST).status_code == 200
    _fill_queue(branch, 40)
    with CaptureQueriesContext(connection) as large:
        response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert len(large) == len(small)
    # Session, user, membership, the pending badge, three filter choice
    # lists, the filtered count and the page itself.
    assert len(large) == 9
    # Due times run from 1 minute ago to 1 minute ahead, then from 20
    # minutes ago to 19 minutes ahead: 2 + 21 of them have passed.
    assert response.content.count(b'class="cb-overdue"') == 23


def test_changelist_shows_marker_badge_and_escalations(client, manager, branch):
    overdue = CallbackRequestFactory(
        branch=branch, priority="urgent", due_at=timezone.now() - timedelta(hours=2)
    )
    Escalation.objects.create(callback=overdue, level=1, reason="sla_breach")
    CallbackRequestFactory(branch=branch)

    response = client.get(CHANGELIST)

    html = response.content.decode()
    assert "2 pending" in html
    assert "!!! urgent" in html
    assert "overdue 2 h 0 min" in html
    assert '<td class="field-escalation_count">1</td>' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("whose=mine", ["mine"]),
        ("whose=unassigned", ["waiting"]),
        ("sla=overdue", ["late"]),
        ("status=assigned", ["mine", "late"]),
    ],
)
def test_changelist_filters(client, manager, branch, query, expected):
    me = StaffFactory(branch=branch, user=manager)
    other = StaffFactory(branch=branch)
    now = timezone.now()
    CallbackRequestFactory(
        branch=branch, name="mine", status=Status.ASSIGNED, assignee=me
    )
    CallbackRequestFactory(branch=branch, name="waiting")
    CallbackRequestFactory(
        branch=branch,
        name="late",
        status=Status.ASSIGNED,
        assignee=other,
        due_at=now - timedelta(minutes=5),
    )

    response = client.get(f"{CHANGELIST}?{query}")

    names = sorted(c.name for c in response.context["cl"].result_list)
    assert names == sorted(expected)


def test_changelist_search_by_formatted_phone(client, manager, branch):
    CallbackRequestFactory(branch=branch, phone="+12025550143", name="found")
    CallbackRequestFactory(branch=branch, phone="+12025550199", name="other")

    response = client.get(CHANGELIST, {"q": "(202) 555-0143"})

    assert [c.name for c in response.context["cl"].result_list] == ["found"]


def test_changelist_hides_other_company(client, manager, branch):
    CallbackRequestFactory(branch=branch, name="ours")
    CallbackRequestFactory(name="theirs")

    response = client.get(CHANGELIST)

    assert [c.name for c in response.context["cl"].result_list] == ["ours"]
    assert "1 pending" in response.content.decode()


def test_change_page_other_company_is_404(client, manager):
    theirs = CallbackRequestFactory()

    assert client.get(_change_url(theirs)).status_code == 404
    response = client.post(_change_url(theirs), {"name": "changed"})

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name != "changed"


def test_change_page_shows_history_and_decision(client, manager, branch):
    StaffFactory(branch=branch, name="Robin")
    from callbacks.services import callback_create

    callback, _ = callback_create(
        company=branch.company, branch=branch, phone="+12025550143"
    )

    response = client.get(_change_url(callback))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Status history" in html
    assert "auto-assigned (branch tier)" in html
    assert "Assignment decisions" in html
    assert "<td>Robin</td><td>branch</td><td>0/5</td>" in html


def test_action_mark_contacted(client, manager, branch):
    staff = StaffFactory(branch=branch)
    callback = CallbackRequestFactory(
        branch=branch, status=Status.ASSIGNED, assignee=staff
    )

    response = client.post(
        CHANGELIST,
        {"action": "mark_contacted", "_selected_action": [callback.pk]},
        follow=True,
    )

    assert response.status_code == 200
    callback.refresh_from_db()
    assert callback.status == Status.CONTACTED
    assert "Mark contacted: 1 callback updated." in response.content.decode()


def test_action_reports_illegal_transition(client, manager, branch):
    callback = CallbackRequestFactory(branch=branch, status=Status.COMPLETED)

    response = client.post(
        CHANGELIST,
        {"action": "cancel", "_selected_action": [callback.pk]},
        follow=True,
    )

    assert "cannot go from completed to cancelled" in response.content.decode()
    callback.refresh_from_db()
    assert callback.status == Status.COMPLETED


def test_action_assign_asks_for_staff_first(client, manager, branch):
    staff = StaffFactory(branch=branch, name="Robin")
    StaffFactory(name="Elsewhere")
    callback = CallbackRequestFactory(branch=branch)
    selection = {"action": "assign_to_staff", "_selected_action": [callback.pk]}

    form_page = client.post(CHANGELIST, selection)
    assigned = client.post(CHANGELIST, {**selection, "apply": "1", "staff": staff.pk})

    form_html = form_page.content.decode()
    assert "Robin" in form_html
    assert "Elsewhere" not in form_html
    assert assigned.status_code == 302
    callback.refresh_from_db()
    assert callback.assignee_id == staff.pk
    assert callback.status == Status.ASSIGNED


def test_action_escalate_requires_details(client, manager, branch):
    StaffFactory(branch=branch, is_manager=True)
    callback = CallbackRequestFactory(branch=branch)
    selection = {"action": "escalate", "_selected_action": [callback.pk]}

    rejected = client.post(CHANGELIST, {**selection, "apply": "1", "details": ""})
    assert rejected.status_code == 200
    assert not Escalation.objects.exists()

    client.post(CHANGELIST, {**selection, "apply": "1", "details": "VIP caller"})

    escalation = Escalation.objects.get()
    assert escalation.reason == "manual"
    assert escalation.details.startswith("VIP caller")
    assert escalation.created_by == manager


def test_action_large_selection_runs_as_job(client, manager, branch):
    callbacks = CallbackRequestFactory.create_batch(60, branch=branch)
    theirs = CallbackRequestFactory()

    response = client.post(
        CHANGELIST,
        {
            "action": "cancel",
            "_selected_action": [c.pk for c in callbacks] + [theirs.pk],
        },
        follow=True,
    )

    assert "60 callbacks were queued for cancel" in response.content.decode()
    assert CallbackRequest.objects.filter(status=Status.CANCELLED).count() == 60
    theirs.refresh_from_db()
    assert theirs.status == Status.PENDING


def test_bulk_job_ignores_other_company_ids(manager, branch):
    from callbacks.tasks import run_bulk_action

    theirs = CallbackRequestFactory()

    done = run_bulk_action("cancel", [theirs.pk], manager.pk, {})

    assert done == 0
    theirs.refresh_from_db()
    assert theirs.status == Status.PENDING


def test_export_streams_filtered_csv(client, manager, branch):
    CallbackRequestFactory(branch=branch, name="=HYPERLINK()", phone="+12025550143")
    CallbackRequestFactory(branch=branch, status=Status.COMPLETED, name="done")
    CallbackRequestFactory(name="theirs")

    response = client.get(EXPORT, {"status": "pending"})

    assert response.status_code == 200
    assert response.streaming
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 1
    assert rows[0]["name"] == "'=HYPERLINK()"
    assert rows[0]["phone"] == "+12025550143"
    assert rows[0]["branch"] == branch.name


def test_add_creates_through_service(client, manager, branch):
    response = client.post(
        reverse("admin:callbacks_callbackrequest_add"),
        {
            "branch": branch.pk,
            "phone": "202 555 0143",
            "priority": "high",
            "name": "Ada",
        },
    )

    assert response.status_code == 302
    callback = CallbackRequest.objects.get()
    assert callback.phone == "+12025550143"
    assert callback.source == Source.ADMIN
    assert callback.company_id == branch.company_id


def test_add_merges_into_open_request(client, manager, branch):
    existing = CallbackRequestFactory(branch=branch, phone="+12025550143")

    response = client.post(
        reverse("admin:callbacks_callbackrequest_add"),
        {"branch": branch.pk, "phone": "+12025550143", "priority": "urgent"},
        follow=True,
    )

    assert "was merged into it" in response.content.decode()
    assert CallbackRequest.objects.count() == 1
    existing.refresh_from_db()
    assert existing.priority == "urgent"


def test_add_rejects_bad_phone(client, manager, branch):
    response = client.post(
        reverse("admin:callbacks_callbackrequest_add"),
        {"branch": branch.pk, "phone": "12", "priority": "normal"},
    )

    assert response.status_code == 200
    assert "12 is not a valid phone number" in response.content.decode()
    assert not CallbackRequest.objects.exists()


def test_agent_may_run_actions(client, branch):
    agent = MembershipFactory(company=branch.company, role=Role.AGENT).user
    client.force_login(agent)
    callback = CallbackRequestFactory(branch=branch)

    client.post(CHANGELIST, {"action": "cancel", "_selected_action": [callback.pk]})

    callback.refresh_from_db()
    assert callback.status == Status.CANCELLED


def test_superuser_sees_every_company(client, branch):
    from tests.factories import UserFactory

    admin_user = UserFactory(is_superuser=True)
    client.force_login(admin_user)
    CallbackRequestFactory(branch=branch, name="ours")
    CallbackRequestFactory(name="theirs")

    response = client.get(CHANGELIST)

    names = sorted(c.name for c in response.context["cl"].result_list)
    assert names == ["ours", "theirs"]
    assert "2 pending" in response.content.decode()


def test_changelist_orders_waiting_first_then_due(client, manager, branch):
    now = timezone.now()
    CallbackRequestFactory(
        branch=branch, name="closed", status=Status.COMPLETED, due_at=now
    )
    CallbackRequestFactory(branch=branch, name="later", due_at=now + timedelta(hours=2))
    CallbackRequestFactory(
        branch=branch, name="sooner", due_at=now + timedelta(hours=1)
    )

    response = client.get(CHANGELIST)

    names = [c.name for c in response.context["cl"].result_list]
    assert names == ["sooner", "later", "closed"]


def test_changelist_sorts_by_urgency(client, manager, branch):
    for priority in ("high", "normal", "urgent"):
        CallbackRequestFactory(branch=branch, name=priority, priority=priority)

    # Column 1 is the urgency marker; column 0 holds the action checkboxes.
    response = client.get(CHANGELIST, {"o": "1"})

    names = [c.name for c in response.context["cl"].result_list]
    assert names == ["urgent", "high", "normal"]


def test_action_record_no_answer(client, manager, branch):
    staff = StaffFactory(branch=branch)
    callback = CallbackRequestFactory(
        branch=branch, status=Status.ASSIGNED, assignee=staff
    )

    client.post(
        CHANGELIST, {"action": "record_no_answer", "_selected_action": [callback.pk]}
    )

    attempt = callback.contact_attempts.get()
    assert attempt.outcome == "no_answer"
    assert attempt.staff_id == staff.pk
    assert attempt.recorded_by == manager
    callback.refresh_from_db()
    assert callback.status == Status.ASSIGNED
