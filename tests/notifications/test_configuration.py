import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import NotificationConfiguration
from notifications.schemas import DEFAULTS, with_defaults
from notifications.selectors import notification_settings_for
from notifications.services.defaults import notification_defaults_install
from tenants import events
from tests.factories import ServiceFactory, StaffFactory
from tests.notifications.factories import notify

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tree():
    staff = StaffFactory()
    service = ServiceFactory(company=staff.company)
    return staff.company, staff.branch, service, staff


@pytest.mark.parametrize("level", ["company", "branch", "service", "staff"])
def test_settings_for_each_level(tree, level):
    company, branch, service, staff = tree
    targets = dict(zip(["company", "branch", "service", "staff"], tree, strict=True))
    notify(company, events.CALLBACK_ASSIGNED, channel="email", retry_count=1)
    if level != "company":
        notify(targets[level], events.CALLBACK_ASSIGNED, channel="sms")

    effective = notification_settings_for(
        events.CALLBACK_ASSIGNED, company.pk, branch.pk, service.pk, staff.pk
    )

    expected_channel = "email" if level == "company" else "sms"
    assert effective.values == {"channel": expected_channel, "retry_count": 1}
    assert effective.level_of("channel") == level
    assert effective.level_of("retry_count") == "company"


def test_settings_for_lock_keeps_company_channel(tree):
    company, branch, service, staff = tree
    notify(company, events.CALLBACK_ASSIGNED, channel="email", locked_keys=["channel"])
    notify(staff, events.CALLBACK_ASSIGNED, channel="sms", critical=True)

    effective = notification_settings_for(
        events.CALLBACK_ASSIGNED, company.pk, branch.pk, service.pk, staff.pk
    )

    assert effective.values == {"channel": "email", "critical": True}
    assert effective.locked["channel"].level == "company"


def test_settings_for_one_query_cold_none_warm(tree):
    company, branch, service, staff = tree
    notify(company, events.CALLBACK_ASSIGNED, channel="email")
    notify(branch, events.CALLBACK_ASSIGNED, retry_count=2)
    notify(service, events.CALLBACK_ASSIGNED, backoff="linear")
    notify(staff, events.CALLBACK_ASSIGNED, channel="whatsapp")
    cache.clear()  # the writes left invalidation tombstones

    with CaptureQueriesContext(connection) as cold:
        first = notification_settings_for(
            events.CALLBACK_ASSIGNED, company.pk, branch.pk, service.pk, staff.pk
        )
    with CaptureQueriesContext(connection) as warm:
        second = notification_settings_for(
            events.CALLBACK_ASSIGNED, company.pk, branch.pk, service.pk, staff.pk
        )

    assert len(cold) == 1
    assert len(warm) == 0
    assert (
        first.values
        == second.values
        == {
            "channel": "whatsapp",
            "retry_count": 2,
            "backoff": "linear",
        }
    )


def test_with_defaults_fills_unset_keys():
    assert with_defaults({"channel": "sms"}) == {**DEFAULTS, "channel": "sms"}


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"channel": "fax"}, "channel: Input should be 'email', 'sms'"),
        ({"retry_count": -1}, "retry_count: Input should be greater than or equal"),
        ({"backoff": "random"}, "backoff: Input should be 'exponential'"),
        (
            {"channel": "sms", "fallback_channel": "sms"},
            "fallback_channel 'sms' is the same as channel",
        ),
        (
            {"quiet_hours": {"start": "25:00", "end": "07:00"}},
            "quiet_hours.start: Value error, '25:00' is not a time",
        ),
        (
            {"quiet_hours": {"start": "07:00", "end": "07:00"}},
            "start and end are equal",
        ),
        ({"template": "{% if %}"}, "template: Value error, the template does not"),
        ({"webhook_url": "ftp://x"}, "webhook_url: URL scheme should be"),
        ({"colour": "red"}, "colour: unknown key"),
    ],
)
def test_config_rejects_bad_values(tree, values, message):
    company = tree[0]

    with pytest.raises(ValidationError) as raised:
        notify(company, events.CALLBACK_CREATED, **values)

    assert message in str(raised.value)
    assert NotificationConfiguration.objects.count() == 0


def test_config_rejects_unknown_event(tree):
    with pytest.raises(ValidationError) as raised:
        notify(tree[0], "callback_teleported", channel="sms")

    assert "'callback_teleported' is not a notification kind" in str(raised.value)
    assert NotificationConfiguration.objects.count() == 0


def test_defaults_install_configures_every_event(tree):
    company = tree[0]
    notify(company, events.CALLBACK_CREATED, channel="whatsapp")

    created = notification_defaults_install(company)

    assert sorted(config.kind for config in created) == sorted(
        set(events.EVENT_TYPES) - {events.CALLBACK_CREATED}
    )
    kept = NotificationConfiguration.objects.get(kind=events.CALLBACK_CREATED)
    assert kept.values == {"channel": "whatsapp"}
    assert notification_defaults_install(company) == []


def test_config_accepts_filter_argument_variables(tree):
    config = notify(
        tree[0],
        events.CALLBACK_CREATED,
        template="Callback {{ payload.reference|default:payload.callback_id }}",
    )

    assert config.values["template"].startswith("Callback {{ payload.reference")
