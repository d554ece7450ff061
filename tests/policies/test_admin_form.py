import pytest
from django.urls import reverse

from policies.models import PolicyConfiguration
from tests.factories import BranchFactory, MembershipFactory

pytestmark = pytest.mark.django_db

ADD_URL = "admin:policies_policyconfiguration_add"


@pytest.fixture
def branch():
    return BranchFactory()


@pytest.fixture
def manager_client(client, branch):
    membership = MembershipFactory(company=branch.company)
    client.force_login(membership.user)
    return client


def _post(client, branch, **fields):
    data = {"target_choice": f"branch:{branch.pk}", "enabled": "on", "_save": "1"}
    data.update(fields)
    return client.post(reverse(ADD_URL), data)


def _errors(response) -> dict[str, list[str]]:
    form = response.context["adminform"].form
    return {name: list(messages) for name, messages in form.errors.items()}


def test_policy_form_builds_cancellation_values(manager_client, branch):
    response = _post(
        manager_client,
        branch,
        kind="cancellation",
        hours_before="24",
        max_cancellations_per_month="2",
        fee_rule="fee_tiers",
        fee_tiers="48: 0\n24: 10.00\n\n0: 30",
        locked_keys=["hours_before"],
    )

    assert response.status_code == 302
    config = PolicyConfiguration.objects.get()
    assert config.kind == "cancellation"
    assert config.level == "branch"
    assert config.object_id == branch.pk
    assert config.company_id == branch.company_id
    assert config.values == {
        "hours_before": 24.0,
        "max_cancellations_per_month": 2,
        "fee_tiers": [
            {"min_hours": 48.0, "fee": "0"},
            {"min_hours": 24.0, "fee": "10.00"},
            {"min_hours": 0.0, "fee": "30"},
        ],
    }
    assert config.locked_keys == ["hours_before"]


def test_policy_form_builds_switch_values(manager_client, branch):
    response = _post(
        manager_client,
        branch,
        kind="cancellation_by_phone",
        switch_enabled="false",
        disabled_message="Please call the front desk.",
        allowed_hours_mon="09:00-12:00, 13:00-17:00",
        allowed_hours_sat="10:00-14:00",
    )

    assert response.status_code == 302
    config = PolicyConfiguration.objects.get()
    assert config.values == {
        "enabled": False,
        "disabled_message": "Please call the front desk.",
        "allowed_hours": {
            "mon": [["09:00", "12:00"], ["13:00", "17:00"]],
            "sat": [["10:00", "14:00"]],
        },
    }


def test_policy_form_builds_sla_and_assignment(manager_client, branch):
    sla = _post(
        manager_client,
        branch,
        kind="callback_sla",
        urgent_minutes="60",
        business_hours="true",
        warning_minutes="15",
    )
    assignment = _post(
        manager_client,
        branch,
        kind="callback_assignment",
        capacity="4",
        tiers="service, branch",
    )

    assert sla.status_code == 302
    assert assignment.status_code == 302
    values = dict(PolicyConfiguration.objects.values_list("kind", "values"))
    assert values == {
        "callback_sla": {
            "urgent_minutes": 60,
            "business_hours": True,
            "warning_minutes": 15,
        },
        "callback_assignment": {"capacity": 4, "tiers": ["service", "branch"]},
    }


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"kind": "callback_sla", "hours_before": "24"},
            {
                "hours_before": [
                    "hours_before is not a key of callback_sla; clear it or choose "
                    "a policy type that uses it: cancellation, reschedule."
                ]
            },
        ),
        (
            {"kind": "callback_assignment", "tiers": "preferred, nobody"},
            {"tiers": ["tiers.1: Input should be 'preferred', 'service' or 'branch'."]},
        ),
        (
            {"kind": "cancellation", "fee_rule": "fee", "fee_tiers": "24: 10"},
            {
                "fee_tiers": [
                    "fee_tiers is set but the fee rule is fee; clear fee_tiers or "
                    "choose fee_tiers as the fee rule."
                ],
                "fee": ["The fee rule is fee; enter a value for it."],
            },
        ),
        (
            {"kind": "cancellation", "fee_rule": "fee_tiers", "fee_tiers": "tomorrow"},
            {
                "fee_tiers": [
                    "Line 1: 'tomorrow' is not 'hours: fee'; write e.g. '24: 10.00'."
                ]
            },
        ),
        (
            {
                "kind": "cancellation",
                "fee_rule": "fee_tiers",
                "fee_tiers": "24: 10\n24: 20",
            },
            {
                "fee_tiers": [
                    "fee_tiers: Value error, each tier needs a different min_hours."
                ]
            },
        ),
        (
            {
                "kind": "cancellation",
                "fee_rule": "fee_tiers",
                "fee_tiers": "-2: 10",
            },
            {
                "fee_tiers": [
                    "fee_tiers.0.min_hours: Input should be greater than or equal to 0."
                ]
            },
        ),
        (
            {"kind": "reschedule", "locked_keys": ["capacity"]},
            {
                "locked_keys": [
                    "capacity: not a key of reschedule; use one of hours_before, "
                    "max_cancellations_per_month, max_reschedules_per_appointment, "
                    "fee, fee_tiers, fee_percentage."
                ]
            },
        ),
        (
            {"kind": "booking", "allowed_hours_tue": "17:00-09:00"},
            {
                "__all__": [
                    "allowed_hours: Value error, tue: the interval 17:00-09:00 ends "
                    "before it starts."
                ]
            },
        ),
        (
            {"kind": "booking", "allowed_hours_wed": "morning"},
            {
                "allowed_hours_wed": [
                    "wed: 'morning' is not a range; write e.g. '09:00-17:00'."
                ]
            },
        ),
        (
            {
                "kind": "cancellation",
                "fee_rule": "fee_percentage",
                "fee_percentage": "150",
            },
            {"fee_percentage": ["Ensure this value is less than or equal to 100."]},
        ),
    ],
)
def test_policy_form_rejects_bad_input(manager_client, branch, fields, errors):
    response = _post(manager_client, branch, **fields)

    assert response.status_code == 200
    assert _errors(response) == errors
    assert PolicyConfiguration.objects.count() == 0


def test_policy_form_rejects_second_policy_of_kind(manager_client, branch):
    _post(manager_client, branch, kind="cancellation", hours_before="4")

    response = _post(manager_client, branch, kind="cancellation", hours_before="8")

    assert _errors(response) == {
        "kind": [
            "A cancellation policy is already set on this branch, so edit that one "
            "instead."
        ]
    }
    assert PolicyConfiguration.objects.get().values == {"hours_before": 4.0}


def test_policy_form_change_shows_and_keeps_values(manager_client, branch):
    _post(
        manager_client,
        branch,
        kind="reschedule",
        hours_before="12",
        fee_rule="fee",
        fee="7.50",
        locked_keys=["fee"],
    )
    config = PolicyConfiguration.objects.get()
    url = reverse("admin:policies_policyconfiguration_change", args=[config.pk])

    page = manager_client.get(url)
    form = page.context["adminform"].form
    response = manager_client.post(
        url,
        {
            "target_choice": f"branch:{branch.pk}",
            "kind": "reschedule",
            "enabled": "on",
            "hours_before": "6",
            "fee_rule": "fee",
            "fee": "7.50",
            "locked_keys": ["fee"],
            "_save": "1",
        },
    )

    assert page.status_code == 200
    assert form.initial["hours_before"] == 12.0
    assert form.initial["fee"] == "7.50"
    assert form.initial["fee_rule"] == "fee"
    assert response.status_code == 302
    config.refresh_from_db()
    assert config.values == {"hours_before": 6.0, "fee": "7.50"}
    assert config.locked_keys == ["fee"]
