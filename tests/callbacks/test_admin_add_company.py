"""A superuser's callback add form without a valid company shows a form error."""

import pytest
from django.urls import reverse

from callbacks.models import CallbackRequest
from tests.factories import BranchFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("company", ["", "abc", "999999"])
def test_add_without_valid_company_is_form_error(admin_client, company):
    branch = BranchFactory()

    response = admin_client.post(
        reverse("admin:callbacks_callbackrequest_add"),
        {
            "company": company,
            "branch": branch.pk,
            "phone": "+12025550143",
            "priority": "normal",
        },
    )

    assert response.status_code == 200
    assert "company" in response.context["adminform"].form.errors
    assert CallbackRequest.objects.count() == 0
