import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from notifications.models import Delivery, DeliveryStatus, SentMessage
from notifications.services.dispatch import notification_event_dispatch
from tenants import events
from tests.factories import BranchFactory, CustomerFactory, StaffFactory
from tests.notifications.factories import notify

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def branch():
    return BranchFactory()


def staff_of(branch, **kwargs):
    return StaffFactory(branch=branch, company=branch.company, **kwargs)


def recipients(event_key: str) -> set[tuple[str, int]]:
    rows = Delivery.objects.filter(event_key=event_key)
    return set(rows.values_list("recipient_type", "recipient_id"))


def test_publish_callback_created_notifies_active_branch_team(branch):
    first, second = staff_of(branch), staff_of(branch)
    staff_of(branch, is_active=False)
    staff_of(BranchFactory(company=branch.company))
    notify(branch.company, events.CALLBACK_CREATED, channel="email")

    with transaction.atomic():
        events.publish(
            events.CALLBACK_CREATED,
            branch.company_id,
            callback_id=7,
            branch_id=branch.pk,
            assignee_id=None,
            event_id="evt-created-7",
        )

    assert recipients("evt-created-7") == {("staff", first.pk), ("staff", second.pk)}
    sent = SentMessage.objects.order_by("to")
    assert [message.to for message in sent] == sorted([first.email, second.email])
    assert sent[0].subject == f"New callback request at {branch.name}"
    assert "New callback request 7" in sent[0].text
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 2


def test_publish_rolled_back_sends_nothing(branch):
    staff_of(branch)
    notify(branch.company, events.CALLBACK_CREATED, channel="email")

    with pytest.raises(RuntimeError):
        with transaction.atomic():
            events.publish(
                events.CALLBACK_CREATED, branch.company_id, branch_id=branch.pk
            )
            raise RuntimeError("roll back")

    assert Delivery.objects.count() == 0
    assert SentMessage.objects.count() == 0


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (events.CALLBACK_ASSIGNED, {"assignee"}),
        (events.CALLBACK_SLA_WARNING, {"assignee"}),
        (events.CALLBACK_ESCALATED, {"new_owner", "manager"}),
        (events.CALLBACK_EXPIRED, {"manager"}),
        (events.APPOINTMENT_CANCELLED, {"customer", "staff"}),
        (events.APPOINTMENT_RESCHEDULED, {"customer", "staff"}),
        (events.POLICY_VIOLATION, {"manager"}),
    ],
)
def test_dispatch_recipients_per_event(branch, event, expected):
    company = branch.company
    people = {
        "assignee": staff_of(branch),
        "new_owner": staff_of(branch),
        "manager": staff_of(branch, is_manager=True),
        "staff": staff_of(branch),
    }
    staff_of(branch, is_manager=True, is_active=False)
    staff_of(BranchFactory(company=company), is_manager=True)
    customer = CustomerFactory(company=company, email="c@example.com")
    notify(company, event, channel="email")
    payload = {
        "callback_id": 1,
        "appointment_id": 2,
        "branch_id": branch.pk,
        "assignee_id": people["assignee"].pk,
        "to_staff_id": people["new_owner"].pk,
        "staff_id": people["staff"].pk,
        "customer_id": customer.pk,
        "reason": "deadline_missed",
    }

    notification_event_dispatch(event, company.pk, payload, "evt-1")

    expected_recipients = {
        ("staff", people[name].pk) for name in expected if name != "customer"
    }
    if "customer" in expected:
        expected_recipients.add(("customer", customer.pk))
    assert recipients("evt-1") == expected_recipients


def test_dispatch_same_event_twice_writes_once(branch):
    member = staff_of(branch, phone="+12025550143")
    notify(branch.company, events.CALLBACK_ASSIGNED, channel="sms")
    payload = {"callback_id": 3, "branch_id": branch.pk, "assignee_id": member.pk}

    notification_event_dispatch(
        events.CALLBACK_ASSIGNED, branch.company_id, payload, "k"
    )
    again = notification_event_dispatch(
        events.CALLBACK_ASSIGNED, branch.company_id, payload, "k"
    )

    assert again == []
    assert Delivery.objects.count() == 1
    assert SentMessage.objects.count() == 1


def test_dispatch_without_configuration_sends_nothing(branch):
    member = staff_of(branch)
    notify(branch.company, events.CALLBACK_CREATED, channel="sms")

    notification_event_dispatch(
        events.CALLBACK_ASSIGNED,
        branch.company_id,
        {"assignee_id": member.pk, "branch_id": branch.pk},
        "k",
    )

    assert Delivery.objects.count() == 0


def test_dispatch_disabled_branch_row_inherits_company(branch):
    member = staff_of(branch, phone="+12025550143")
    notify(branch.company, events.CALLBACK_ASSIGNED, channel="sms")
    notify(branch, events.CALLBACK_ASSIGNED, channel="email", enabled=False)

    notification_event_dispatch(
        events.CALLBACK_ASSIGNED, branch.company_id, {"assignee_id": member.pk}, "k"
    )

    delivery = Delivery.objects.get()
    assert delivery.channel == "sms"
    assert delivery.address == "+12025550143"


def test_dispatch_ignores_other_company_ids(branch):
    stranger = StaffFactory()
    notify(branch.company, events.CALLBACK_ASSIGNED, channel="email")
    notify(stranger.company, events.CALLBACK_ASSIGNED, channel="email")

    notification_event_dispatch(
        events.CALLBACK_ASSIGNED,
        branch.company_id,
        {"assignee_id": stranger.pk, "branch_id": stranger.branch_id},
        "k",
    )

    assert Delivery.objects.count() == 0


def test_dispatch_branch_team_query_count(branch):
    for _ in range(10):
        staff_of(branch)
    notify(branch.company, events.CALLBACK_CREATED, channel="email", critical=True)
    payload = {"callback_id": 1, "branch_id": branch.pk}

    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        created = notification_event_dispatch(
            events.CALLBACK_CREATED, branch.company_id, payload, "k"
        )

    assert len(created) == 10
    # company, staff, config (cold cache), insert, read back; plus savepoints
    statements = [q["sql"] for q in captured if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 5
