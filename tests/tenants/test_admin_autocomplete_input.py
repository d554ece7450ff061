"""A posted autocomplete value that is not an id is a form error, not a 500."""

import pytest
from django.urls import reverse

from tenants.models import Role, Staff
from tests.factories import BranchFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["abc", "1e999", "[]", "9" * 30])
def test_staff_add_branch_not_an_id_is_form_error(client, value):
    branch = BranchFactory()
    membership = MembershipFactory(company=branch.company, role=Role.MANAGER)
    client.force_login(membership.user)

    response = client.post(
        reverse("admin:tenants_staff_add"),
        {
            "name": "Robin",
            "branch": value,
            "is_active": "on",
            "working_hours": "{}",
            "staffservice_set-TOTAL_FORMS": "0",
            "staffservice_set-INITIAL_FORMS": "0",
            "absences-TOTAL_FORMS": "0",
            "absences-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["branch"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert Staff.objects.count() == 0
