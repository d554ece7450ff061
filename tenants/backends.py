"""Authentication backend that keeps company members to their role."""

from django.contrib.auth.backends import ModelBackend

from tenants.scoping import membership_of


class MembershipBackend(ModelBackend):
    """Grant company members no Django model permissions.

    A member's access comes from the role checks of the tenant-scoped admins,
    so the admins that are not tenant-scoped (users, groups, periodic tasks)
    stay hidden from them. Skipping the permission tables also saves two
    queries on every admin page.
    """

    def _get_permissions(self, user_obj, obj, from_name):
        if not user_obj.is_superuser and membership_of(user_obj) is not None:
            return set()
        return super()._get_permissions(user_obj, obj, from_name)
