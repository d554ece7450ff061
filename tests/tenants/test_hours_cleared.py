"""Clearing the weekly hours box stores no hours instead of failing the save."""

import pytest
from django.forms import modelform_factory

from tenants.models import Branch, Staff
from tests.factories import BranchFactory, StaffFactory

pytestmark = pytest.mark.django_db


def test_branch_opening_hours_cleared_saves_empty():
    branch = BranchFactory()
    form_class = modelform_factory(
        Branch, fields=["name", "time_zone", "opening_hours"]
    )
    form = form_class(
        {"name": branch.name, "time_zone": branch.time_zone, "opening_hours": ""},
        instance=branch,
    )

    assert form.is_valid(), form.errors
    form.save()

    branch.refresh_from_db()
    assert branch.opening_hours == {}


def test_staff_working_hours_cleared_saves_empty():
    staff = StaffFactory(working_hours={"mon": [["09:00", "17:00"]]})
    form_class = modelform_factory(Staff, fields=["name", "branch", "working_hours"])
    form = form_class(
        {"name": staff.name, "branch": staff.branch_id, "working_hours": ""},
        instance=staff,
    )

    assert form.is_valid(), form.errors
    form.save()

    staff.refresh_from_db()
    assert staff.working_hours == {}
