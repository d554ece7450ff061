"""Saving the callback change page, history inlines included."""

import re

import pytest
from django.urls import reverse

from callbacks.models import CallbackStatusChange
from callbacks.services import callback_create
from tenants.models import Role
from tests.factories import BranchFactory, MembershipFactory, StaffFactory

pytestmark = pytest.mark.django_db

# Hidden inputs the page renders: inline management forms and inline row ids.
HIDDEN_INPUT = re.compile(
    r'<input type="hidden" name="([^"]+)" value="([^"]*)"[^>]*>', re.IGNORECASE
)


def test_change_page_save_keeps_notes(client):
    branch = BranchFactory()
    StaffFactory(branch=branch)
    membership = MembershipFactory(company=branch.company, role=Role.MANAGER)
    client.force_login(membership.user)
    callback, _ = callback_create(
        company=branch.company, branch=branch, phone="+12025550143"
    )
    url = reverse("admin:callbacks_callbackrequest_change", args=[callback.pk])
    page = client.get(url).content.decode()
    data = {
        name: value
        for name, value in HIDDEN_INPUT.findall(page)
        if name != "csrfmiddlewaretoken"
    }
    assert any(name.endswith("-TOTAL_FORMS") for name in data)
    history = list(CallbackStatusChange.objects.values_list("pk", "to_status"))

    response = client.post(
        url, {**data, "name": "Sam", "email": "", "notes": "Call after 5 pm"}
    )

    assert response.status_code == 302
    callback.refresh_from_db()
    assert callback.name == "Sam"
    assert callback.notes == "Call after 5 pm"
    assert list(CallbackStatusChange.objects.values_list("pk", "to_status")) == history
