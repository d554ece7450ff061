"""The one place that limits a queryset to the company of a user."""

from django.db.models import Model, QuerySet

from tenants.models import Membership, Role


def membership_of(user) -> Membership | None:
    """Return the user's membership, loaded once per request user object."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_switchboard_membership"):
        user._switchboard_membership = (
            Membership.objects.select_related("company").filter(user=user).first()
        )
    return user._switchboard_membership


def company_id_for(user) -> int | None:
    membership = membership_of(user)
    return membership.company_id if membership else None


def role_of(user) -> Role | None:
    membership = membership_of(user)
    return Role(membership.role) if membership else None


def tenant_path_of(model: type[Model]) -> str | None:
    """Return the lookup from `model` to its company id, or None if untenanted."""
    if model._meta.label == "tenants.Company":
        return "pk"
    field_names = {field.name for field in model._meta.get_fields()}
    if "company" in field_names:
        return "company"
    return None


def scope_queryset(queryset: QuerySet, user, path: str | None = None) -> QuerySet:
    """Limit `queryset` to the user's company; superusers see every company.

    A user without a membership gets an empty queryset.
    """
    if getattr(user, "is_superuser", False):
        return queryset
    path = path or tenant_path_of(queryset.model)
    company_id = company_id_for(user)
    if path is None or company_id is None:
        return queryset.none()
    return queryset.filter(**{path: company_id})
