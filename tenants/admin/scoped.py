"""The base ModelAdmin every admin of the project uses.

Lists, change and delete views, foreign-key and many-to-many choices,
autocomplete results, list filters, actions and saves are limited to the
company of the signed-in user. Superusers see every company. An object of
another company returns 404, as if it did not exist.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Model, Q
from django.http import Http404

from tenants.models import Company, Role
from tenants.scoping import company_id_for, role_of, scope_queryset, tenant_path_of

ALL_ACTIONS = frozenset({"view", "add", "change", "delete"})


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """Offer only the related objects of the user's company."""

    def field_choices(self, field, request, model_admin):
        related = field.related_model
        queryset = scope_queryset(related._default_manager.all(), request.user)
        return [(obj.pk, str(obj)) for obj in queryset]


class ValidatedAutocompleteMixin:
    """Leave posted values that are not ids out of the re-rendered choices.

    Django's autocomplete widget filters the related table by each posted value
    when it re-renders a form with errors, and a value such as "abc" raises
    ValueError in that query. Skipping it lets the field's own error show.
    """

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        options = remote.model._meta
        to_field = getattr(remote, "field_name", None)
        target = options.get_field(to_field) if to_field else options.pk
        parseable = []
        for item in value:
            try:
                target.to_python(item)
            except ValidationError:
                continue
            parseable.append(item)
        return super().optgroups(name, parseable, attr)


class ValidatedAutocompleteSelect(ValidatedAutocompleteMixin, AutocompleteSelect):
    pass


class ValidatedAutocompleteSelectMultiple(
    ValidatedAutocompleteMixin, AutocompleteSelectMultiple
):
    pass


def _scoped_choice_queryset(model: type[Model], request):
    return scope_queryset(model._default_manager.all(), request.user)


class TenantScopedMixin:
    tenant_path: str | None = None
    role_permissions: dict[Role, frozenset[str]] = {
        Role.OWNER: ALL_ACTIONS,
        Role.MANAGER: ALL_ACTIONS,
        Role.AGENT: frozenset({"view"}),
    }

    def get_tenant_path(self) -> str | None:
        return self.tenant_path or tenant_path_of(self.model)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return scope_queryset(queryset, request.user, self.get_tenant_path())

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                ValidatedAutocompleteSelect(
                    db_field, self.admin_site, using=kwargs.get("using")
                ),
            )
        if not request.user.is_superuser:
            related = db_field.related_model
            if tenant_path_of(related) is not None:
                kwargs["queryset"] = _scoped_choice_queryset(related, request)
            elif related is get_user_model():
                kwargs["queryset"] = related._default_manager.filter(
                    Q(membership__isnull=True)
                    | Q(membership__company_id=company_id_for(request.user))
                )
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if (
            field is not None
            and db_field.related_model is Company
            and not request.user.is_superuser
        ):
            # Members create rows only in their own company.
            field.initial = company_id_for(request.user)
            field.disabled = True
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                ValidatedAutocompleteSelectMultiple(
                    db_field, self.admin_site, using=kwargs.get("using")
                ),
            )
        if not request.user.is_superuser:
            related = db_field.related_model
            if tenant_path_of(related) is not None:
                kwargs["queryset"] = _scoped_choice_queryset(related, request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _member_may(self, request, action: str) -> bool | None:
        """Return the role's permission for members, or None for other users."""
        if request.user.is_superuser:
            return None
        role = role_of(request.user)
        if role is None:
            return False
        return action in self.role_permissions.get(role, frozenset())

    def has_module_permission(self, request):
        allowed = self._member_may(request, "view")
        return super().has_module_permission(request) if allowed is None else allowed

    def has_view_permission(self, request, obj=None):
        allowed = self._member_may(request, "view")
        if allowed is None:
            return super().has_view_permission(request, obj)
        return allowed or bool(self._member_may(request, "change"))

    def has_add_permission(self, request, *args):
        allowed = self._member_may(request, "add")
        return (
            super().has_add_permission(request, *args) if allowed is None else allowed
        )

    def has_change_permission(self, request, obj=None):
        allowed = self._member_may(request, "change")
        if allowed is None:
            return super().has_change_permission(request, obj)
        return allowed

    def has_delete_permission(self, request, obj=None):
        allowed = self._member_may(request, "delete")
        if allowed is None:
            return super().has_delete_permission(request, obj)
        return allowed


class TenantScopedAdmin(TenantScopedMixin, admin.ModelAdmin):
    list_per_page = 50

    def get_list_filter(self, request):
        filters = []
        for entry in super().get_list_filter(request):
            if isinstance(entry, str) and "__" not in entry:
                field = self.model._meta.get_field(entry)
                if field.is_relation and tenant_path_of(field.related_model):
                    entry = (entry, ScopedRelatedFieldListFilter)
            filters.append(entry)
        return filters

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("No such object in your company.")
        return obj

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        company_id = company_id_for(request.user)
        if request.user.is_superuser or company_id is None:
            return form
        if "company" not in {f.name for f in self.model._meta.get_fields()}:
            return form

        class MemberForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if self.instance.company_id is None:
                    self.instance.company_id = company_id

        return MemberForm

    def save_model(self, request, obj, form, change):
        # Company itself is scoped by primary key and has no company field.
        if not request.user.is_superuser and self.get_tenant_path() == "company":
            obj.company_id = company_id_for(request.user)
        super().save_model(request, obj, form, change)


class TenantScopedTabularInline(TenantScopedMixin, admin.TabularInline):
    extra = 0

    def get_queryset(self, request):
        if self.get_tenant_path() is None:
            # Rows without a company of their own are reached through the
            # parent object, which the parent admin has already scoped.
            return admin.TabularInline.get_queryset(self, request)
        return super().get_queryset(request)


class SecretInput(forms.PasswordInput):
    """A password box that never renders the stored value."""

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, render_value=False)
