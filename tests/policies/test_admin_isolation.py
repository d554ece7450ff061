import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from policies.models import PolicyConfiguration
from tenants.configuration.services import config_set
from tests.factories import BranchFactory, MembershipFactory, StaffFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:policies_policyconfiguration_changelist"


def _change_url(config: PolicyConfiguration) -> str:
    return reverse("admin:policies_policyconfiguration_change", args=[config.pk])


@pytest.fixture
def own_branch():
    return BranchFactory()


@pytest.fixture
def other_branch():
    return BranchFactory()


@pytest.fixture
def member_client(client, own_branch):
    membership = MembershipFactory(company=own_branch.company)
    client.force_login(membership.user)
    return client


def test_policy_changelist_shows_only_own_company(
    member_client, own_branch, other_branch
):
    own = config_set(PolicyConfiguration, own_branch, "cancellation", {"fee": 3})
    config_set(PolicyConfiguration, other_branch, "cancellation", {"fee": 4})
    config_set(PolicyConfiguration, other_branch.company, "booking", {"enabled": False})

    response = member_client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    assert [obj.pk for obj in response.context["cl"].result_list] == [own.pk]


def test_policy_change_other_company_404(member_client, other_branch):
    foreign = config_set(PolicyConfiguration, other_branch, "cancellation", {"fee": 4})

    page = member_client.get(_change_url(foreign))
    posted = member_client.post(
        _change_url(foreign),
        {"target_choice": f"branch:{other_branch.pk}", "kind": "cancellation"},
    )
    deleted = member_client.post(
        reverse("admin:policies_policyconfiguration_delete", args=[foreign.pk]),
        {"post": "yes"},
    )

    assert page.status_code == 404
    assert posted.status_code == 404
    assert deleted.status_code == 404
    foreign.refresh_from_db()
    assert foreign.values == {"fee": "4"}


def test_policy_form_rejects_other_company_target(member_client, other_branch):
    response = member_client.post(
        reverse("admin:policies_policyconfiguration_add"),
        {
            "target_choice": f"branch:{other_branch.pk}",
            "kind": "cancellation",
            "hours_before": "3",
            "_save": "1",
        },
    )

    form = response.context["adminform"].form
    assert form.errors["target_choice"] == [
        f"Select a valid choice. branch:{other_branch.pk} is not one of the "
        "available choices."
    ]
    assert PolicyConfiguration.objects.count() == 0


def test_policy_form_offers_only_own_targets(member_client, own_branch, other_branch):
    response = member_client.get(reverse("admin:policies_policyconfiguration_add"))

    choices = [
        value
        for value, _label in response.context["adminform"]
        .form.fields["target_choice"]
        .choices
    ]
    assert choices == [f"company:{own_branch.company_id}", f"branch:{own_branch.pk}"]


def _configure_each_level(company, branch, index):
    staff = StaffFactory(branch=branch)
    config_set(PolicyConfiguration, staff, "reschedule", {"hours_before": index})
    other = BranchFactory(company=company)
    config_set(PolicyConfiguration, other, "booking", {"enabled": True})


def test_policy_changelist_constant_queries(member_client, own_branch):
    company = own_branch.company
    config_set(PolicyConfiguration, company, "cancellation", {"hours_before": 1})
    _configure_each_level(company, own_branch, 0)
    with CaptureQueriesContext(connection) as few:
        member_client.get(reverse(CHANGELIST))
    for index in range(1, 8):
        _configure_each_level(company, own_branch, index)

    with CaptureQueriesContext(connection) as many:
        response = member_client.get(reverse(CHANGELIST))

    assert response.context["cl"].result_count == 17
    assert len(many) == len(few)


def test_policy_change_page_shows_effective_policy(member_client, own_branch):
    config_set(PolicyConfiguration, own_branch.company, "cancellation", {"fee": 9})
    config = config_set(
        PolicyConfiguration, own_branch, "cancellation", {"hours_before": 5}
    )

    response = member_client.get(_change_url(config))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<td>hours_before</td>" in html or "<code>hours_before</code>" in html
    assert f"company #{own_branch.company_id}" in html
    assert f"branch #{own_branch.pk}" in html


def test_policy_reachable_from_configurations_list(member_client, own_branch):
    config = config_set(PolicyConfiguration, own_branch, "booking", {"enabled": False})
    parent_change = reverse("admin:tenants_hierarchyconfig_change", args=[config.pk])

    listing = member_client.get(reverse("admin:tenants_hierarchyconfig_changelist"))
    response = member_client.get(parent_change)

    assert [obj.pk for obj in listing.context["cl"].result_list] == [config.pk]
    assert response.status_code == 200
    assert response.context["adminform"].form.initial["switch_enabled"] == "false"
