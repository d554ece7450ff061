from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.models import (
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    NotificationConfiguration,
    SentMessage,
    WebhookSigningKey,
)
from tenants import events
from tenants.models import Role
from tests.factories import (
    BranchFactory,
    MembershipFactory,
    ServiceFactory,
    StaffFactory,
    UserFactory,
)
from tests.notifications.factories import notify

pytestmark = pytest.mark.django_db(transaction=True)

CONFIG_ADD = "admin:notifications_notificationconfiguration_add"
CONFIG_LIST = "admin:notifications_notificationconfiguration_changelist"
CONFIG_CHANGE = "admin:notifications_notificationconfiguration_change"
DELIVERY_LIST = "admin:notifications_delivery_changelist"
DELIVERY_CHANGE = "admin:notifications_delivery_change"


@pytest.fixture
def branch():
    return BranchFactory()


@pytest.fixture
def member(client, branch):
    membership = MembershipFactory(company=branch.company, role=Role.MANAGER)
    membership.user.email = "manager@example.com"
    membership.user.save()
    client.force_login(membership.user)
    return membership.user


def staff_of(branch):
    return StaffFactory(branch=branch, company=branch.company)


def make_delivery(company, number: int, **fields) -> Delivery:
    defaults = {
        "company": company,
        "event_type": events.CALLBACK_ASSIGNED,
        "event_key": f"evt-{company.pk}-{number}",
        "recipient_type": "staff",
        "recipient_id": number,
        "recipient_name": f"Staff {number}",
        "channel": "sms",
        "address": "+12025550143",
        "status": DeliveryStatus.FAILED,
        "last_error": "number rejected",
        "scheduled_for": timezone.now(),
    }
    return Delivery.objects.create(**{**defaults, **fields})


def form_data(branch, **fields) -> dict:
    data = {
        "target_choice": f"branch:{branch.pk}",
        "kind": events.CALLBACK_CREATED,
        "enabled": "on",
        "channel": "sms",
        "fallback_channel": "email",
        "retry_count": "2",
        "retry_delay_seconds": "30",
        "backoff": "linear",
        "max_delay_seconds": "",
        "quiet_hours_start": "22:00",
        "quiet_hours_end": "07:00",
        "critical": "",
        "subject": "",
        "template": "",
        "webhook_url": "",
    }
    data.update(fields)
    return data


def test_config_add_form_saves_typed_values(client, member, branch):
    response = client.post(
        reverse(CONFIG_ADD), form_data(branch, locked_keys=["channel"])
    )

    assert response.status_code == 302
    config = NotificationConfiguration.objects.get()
    assert config.level == "branch"
    assert config.object_id == branch.pk
    assert config.company_id == branch.company_id
    assert config.values == {
        "channel": "sms",
        "fallback_channel": "email",
        "retry_count": 2,
        "retry_delay_seconds": 30,
        "backoff": "linear",
        "quiet_hours": {"start": "22:00", "end": "07:00"},
    }
    assert config.locked_keys == ["channel"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"quiet_hours_start": "24:30"},
            "quiet_hours_start",
            "'24:30' is not a time; write it as HH:MM, e.g. 22:00.",
        ),
        (
            {"quiet_hours_end": ""},
            "quiet_hours_end",
            "Enter the end of quiet hours too, as HH:MM.",
        ),
        (
            {"fallback_channel": "sms"},
            "fallback_channel",
            "Fallback_channel 'sms' is the same as channel; choose another channel "
            "or leave it empty.",
        ),
        (
            {"template": "Hi {{ recipient.name|nosuchfilter }}"},
            "template",
            "The template does not compile: Invalid filter: 'nosuchfilter'.",
        ),
    ],
)
def test_config_add_form_rejects_bad_input(
    client, member, branch, fields, field, message
):
    response = client.post(reverse(CONFIG_ADD), form_data(branch, **fields))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [message]
    assert NotificationConfiguration.objects.count() == 0


def test_config_change_form_shows_stored_values(client, member, branch):
    config = notify(
        branch,
        events.CALLBACK_CREATED,
        channel="whatsapp",
        quiet_hours={"start": "21:00", "end": "06:30"},
        critical=False,
    )

    response = client.get(reverse(CONFIG_CHANGE, args=[config.pk]))

    form = response.context["adminform"].form
    assert form.initial["channel"] == "whatsapp"
    assert form.initial["quiet_hours_start"] == "21:00"
    assert form.initial["quiet_hours_end"] == "06:30"
    assert form.initial["critical"] == "false"


def test_config_of_other_company_is_404(client, member):
    other = notify(BranchFactory(), events.CALLBACK_CREATED, channel="sms")

    change = client.get(reverse(CONFIG_CHANGE, args=[other.pk]))
    listing = client.get(reverse(CONFIG_LIST))

    assert change.status_code == 404
    assert list(listing.context["cl"].result_list) == []


def test_config_changelist_query_count_constant(client, member, branch):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(CONFIG_LIST))
        assert response.status_code == 200
        return len(captured)

    # The targets are prefetched with one query per level present.
    service = ServiceFactory(company=branch.company)
    first, *rest = events.EVENT_TYPES
    for target in (branch.company, branch, service, staff_of(branch)):
        notify(target, first, channel="sms")
    few = count_queries()
    for event in rest:
        notify(branch.company, event, channel="email")
        notify(service, event, channel="email")
        notify(staff_of(branch), event, channel="sms")

    assert count_queries() == few


def test_send_test_action_sends_through_backend(client, member, branch):
    config = notify(branch.company, events.CALLBACK_ASSIGNED, channel="email")

    response = client.post(
        reverse(CONFIG_LIST),
        {"action": "send_test", "_selected_action": [config.pk]},
        follow=True,
    )

    message = SentMessage.objects.get()
    assert message.to == "manager@example.com"
    assert message.subject == "Callback assigned to you"
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.recipient_type == "user"
    notices = [str(m) for m in response.context["messages"]]
    assert notices == [
        f"Test of callback_assigned sent by email (delivery {delivery.pk})."
    ]


def test_send_test_action_over_smtp(client, member, branch, settings, smtp_server):
    settings.NOTIFICATION_BACKENDS = {
        "email": "notifications.backends.email.EmailBackend"
    }
    config = notify(branch.company, events.CALLBACK_ASSIGNED, channel="email")

    client.post(
        reverse(CONFIG_LIST), {"action": "send_test", "_selected_action": [config.pk]}
    )

    ((recipients, content),) = smtp_server.messages
    assert recipients == ["manager@example.com"]
    assert b"Subject: Callback assigned to you" in content


def test_send_test_action_reports_failure(client, member, branch):
    config = notify(branch.company, events.CALLBACK_ASSIGNED, channel="sms")

    response = client.post(
        reverse(CONFIG_LIST),
        {"action": "send_test", "_selected_action": [config.pk]},
        follow=True,
    )

    notices = [str(m) for m in response.context["messages"]]
    assert notices == [
        f"Test of callback_assigned by sms failed: user {member.pk} has no address "
        "for sms; add one or choose another channel."
    ]
    assert SentMessage.objects.count() == 0


def test_effective_view_lists_sources(client, member, branch):
    staff = StaffFactory(branch=branch, company=branch.company)
    notify(branch.company, events.CALLBACK_ASSIGNED, channel="email", retry_count=1)
    notify(staff, events.CALLBACK_ASSIGNED, channel="sms", fallback_channel="email")
    notify(branch, events.CALLBACK_EXPIRED, channel="sms", fallback_channel="email")
    notify(staff, events.CALLBACK_EXPIRED, channel="email")
    url = reverse("admin:notifications_effective", args=["staff", staff.pk])

    response = client.get(url)

    rows = {
        (row.event, row.key): (row.value, row.source)
        for row in response.context["rows"]
    }
    assert rows[(events.CALLBACK_ASSIGNED, "channel")] == ("sms", f"staff #{staff.pk}")
    assert rows[(events.CALLBACK_ASSIGNED, "retry_count")] == (
        1,
        f"company #{branch.company_id}",
    )
    assert rows[(events.CALLBACK_ASSIGNED, "backoff")] == ("exponential", "default")
    assert rows[(events.CALLBACK_CREATED, "")] == ("not notified", "no configuration")
    assert rows[(events.CALLBACK_EXPIRED, "fallback_channel")] == (
        "email",
        f"branch #{branch.pk} (unused: same as the channel)",
    )


def test_effective_view_other_company_is_404(client, member):
    stranger = StaffFactory()

    response = client.get(
        reverse("admin:notifications_effective", args=["staff", stranger.pk])
    )

    assert response.status_code == 404


def test_delivery_changelist_filters(client, member, branch):
    company = branch.company
    failed_sms = make_delivery(company, 1)
    make_delivery(company, 2, channel="email", address="a@example.com")
    make_delivery(company, 3, status=DeliveryStatus.SENT, last_error="")
    old = make_delivery(company, 4)
    Delivery.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=40)
    )
    make_delivery(BranchFactory().company, 5)
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)

    response = client.get(
        reverse(DELIVERY_LIST),
        {
            "status__exact": "failed",
            "channel__exact": "sms",
            "event_type__exact": events.CALLBACK_ASSIGNED,
            "created_at__gte": str(midnight),
        },
    )

    assert [d.pk for d in response.context["cl"].result_list] == [failed_sms.pk]
    assert b"number rejected" in response.content
    assert b"+12025550143" not in response.content


def test_delivery_changelist_query_count_constant(client, member, branch):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(DELIVERY_LIST))
        assert response.status_code == 200
        return len(captured)

    make_delivery(branch.company, 1)
    few = count_queries()
    for number in range(2, 40):
        make_delivery(branch.company, number)

    assert count_queries() == few


def test_delivery_change_shows_attempts(client, member, branch):
    delivery = make_delivery(branch.company, 1)
    DeliveryAttempt.objects.create(
        delivery=delivery,
        number=1,
        channel="sms",
        outcome="permanent",
        error="number rejected by carrier",
        started_at=timezone.now(),
        finished_at=timezone.now(),
    )

    response = client.get(reverse(DELIVERY_CHANGE, args=[delivery.pk]))

    assert response.status_code == 200
    assert b"number rejected by carrier" in response.content


def test_delivery_of_other_company_is_404(client, member):
    other = make_delivery(BranchFactory().company, 1)

    response = client.get(reverse(DELIVERY_CHANGE, args=[other.pk]))

    assert response.status_code == 404


def test_resend_action_sends_again(client, member, branch):
    staff = StaffFactory(branch=branch, company=branch.company)
    delivery = make_delivery(
        branch.company,
        staff.pk,
        recipient_id=staff.pk,
        channel="email",
        address=staff.email,
        settings={"retry_count": 0},
    )

    client.post(
        reverse(DELIVERY_LIST), {"action": "resend", "_selected_action": [delivery.pk]}
    )

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.last_error == ""
    assert SentMessage.objects.get().to == staff.email


def test_resend_action_ignores_other_company(client, member):
    other = make_delivery(BranchFactory().company, 1, channel="email")

    client.post(
        reverse(DELIVERY_LIST), {"action": "resend", "_selected_action": [other.pk]}
    )

    other.refresh_from_db()
    assert other.status == DeliveryStatus.FAILED
    assert SentMessage.objects.count() == 0


def test_agent_cannot_resend(client, branch):
    agent = MembershipFactory(company=branch.company, role=Role.AGENT)
    client.force_login(agent.user)
    delivery = make_delivery(branch.company, 1, channel="email")

    response = client.post(
        reverse(DELIVERY_LIST), {"action": "resend", "_selected_action": [delivery.pk]}
    )

    delivery.refresh_from_db()
    assert response.status_code == 200
    assert delivery.status == DeliveryStatus.FAILED


def test_superuser_sees_every_company(client):
    admin_user = UserFactory(is_superuser=True)
    client.force_login(admin_user)
    first = make_delivery(BranchFactory().company, 1)
    second = make_delivery(BranchFactory().company, 2)

    response = client.get(reverse(DELIVERY_LIST))

    assert {d.pk for d in response.context["cl"].result_list} == {first.pk, second.pk}


def test_config_change_links_effective_view(client, member, branch):
    config = notify(branch, events.CALLBACK_CREATED, channel="sms")

    response = client.get(reverse(CONFIG_CHANGE, args=[config.pk]))

    url = reverse("admin:notifications_effective", args=["branch", branch.pk])
    assert url.encode() in response.content


def test_webhook_config_creates_signing_key_for_owner(client, branch):
    owner = MembershipFactory(company=branch.company, role=Role.OWNER)
    client.force_login(owner.user)

    client.post(
        reverse(CONFIG_ADD),
        form_data(
            branch,
            channel="webhook",
            webhook_url="https://hooks.example.com/switchboard",
        ),
    )
    key = WebhookSigningKey.objects.get(company=branch.company)
    page = client.get(
        reverse("admin:notifications_webhooksigningkey_change", args=[key.pk])
    )

    assert page.status_code == 200
    assert key.secret.encode() in page.content


def test_webhook_signing_key_hidden_from_manager(client, member, branch):
    key = WebhookSigningKey.objects.create(company=branch.company)

    page = client.get(
        reverse("admin:notifications_webhooksigningkey_change", args=[key.pk])
    )

    assert page.status_code == 403


def test_config_change_form_shows_inherited_values(client, member, branch):
    staff = staff_of(branch)
    notify(branch.company, events.CALLBACK_ASSIGNED, channel="sms", retry_count=5)
    notify(
        branch, events.CALLBACK_ASSIGNED, quiet_hours={"start": "22:00", "end": "07:00"}
    )
    config = notify(staff, events.CALLBACK_ASSIGNED, critical=True)

    response = client.get(reverse(CONFIG_CHANGE, args=[config.pk]))

    fields = response.context["adminform"].form.fields
    assert fields["channel"].choices[0] == ("", "(inherit: sms, company)")
    assert fields["backoff"].choices[0] == ("", "(inherit: exponential, default)")
    assert fields["retry_count"].widget.attrs["placeholder"] == "5 (company)"
    assert fields["quiet_hours_start"].help_text.endswith(
        "Inherited: 22:00 to 07:00 (branch)."
    )


def test_sent_message_changelist_query_count_constant(client, member, branch):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("admin:notifications_sentmessage_changelist"))
        assert response.status_code == 200
        return len(captured)

    def record(number: int) -> None:
        delivery = make_delivery(branch.company, number)
        SentMessage.objects.create(
            company=branch.company, delivery=delivery, channel="sms", to="+1202"
        )

    record(1)
    few = count_queries()
    for number in range(2, 30):
        record(number)

    assert count_queries() == few
