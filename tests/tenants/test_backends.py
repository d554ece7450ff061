import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_member_has_no_django_permissions():
    member = MembershipFactory().user

    with CaptureQueriesContext(connection) as captured:
        permissions = member.get_all_permissions()
        may_see_users = member.has_module_perms("auth")

    assert permissions == set()
    assert may_see_users is False
    assert len(captured) == 1  # the membership, loaded once


def test_user_without_membership_keeps_django_permissions():
    from django.contrib.auth.models import Permission

    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_user"))

    assert user.has_perm("auth.view_user") is True
