"""A second configuration of the same kind for the same entity is a form error."""

import pytest
from django.urls import reverse

from notifications.models import NotificationConfiguration
from policies.models import PolicyConfiguration
from tests.factories import BranchFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch():
    return BranchFactory()


@pytest.fixture
def manager_client(client, branch):
    membership = MembershipFactory(company=branch.company)
    client.force_login(membership.user)
    return client


def _form_errors(response) -> dict[str, list[str]]:
    form = response.context["adminform"].form
    return {name: list(messages) for name, messages in form.errors.items()}


def test_policy_duplicate_for_entity_is_form_error(manager_client, branch):
    PolicyConfiguration.objects.create(
        target=branch, kind="cancellation", values={"hours_before": 24}
    )

    response = manager_client.post(
        reverse("admin:policies_policyconfiguration_add"),
        {
            "target_choice": f"branch:{branch.pk}",
            "kind": "cancellation",
            "hours_before": "12",
            "enabled": "on",
        },
    )

    assert response.status_code == 200
    assert _form_errors(response) == {
        "kind": [
            "A cancellation policy is already set on this branch, so edit "
            "that one instead."
        ]
    }
    assert PolicyConfiguration.objects.count() == 1


def test_notification_duplicate_for_entity_is_form_error(manager_client, branch):
    NotificationConfiguration.objects.create(
        target=branch.company, kind="callback_created", values={"channel": "email"}
    )

    response = manager_client.post(
        reverse("admin:notifications_notificationconfiguration_add"),
        {
            "target_choice": f"company:{branch.company_id}",
            "kind": "callback_created",
            "channel": "sms",
            "enabled": "on",
        },
    )

    assert response.status_code == 200
    assert _form_errors(response) == {
        "kind": [
            "A callback_created notification is already set on this company, "
            "so edit that one instead."
        ]
    }
    assert NotificationConfiguration.objects.count() == 1
