"""Admin of configuration rows of every kind, listed together per entity."""

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from polymorphic.admin import (
    PolymorphicChildModelAdmin,
    PolymorphicChildModelFilter,
    PolymorphicParentModelAdmin,
)

from tenants.admin.scoped import TenantScopedAdmin
from tenants.models import Branch, Company, HierarchyConfig, Service, Staff
from tenants.scoping import scope_queryset

TARGET_MODELS = {
    "company": Company,
    "branch": Branch,
    "service": Service,
    "staff": Staff,
}


class TargetChoiceField(forms.ChoiceField):
    """Pick the entity a configuration is attached to, as `<level>:<id>`."""


class HierarchyConfigForm(forms.ModelForm):
    target_choice = TargetChoiceField(label="Applies to")

    class Meta:
        model = HierarchyConfig
        fields = ["target_choice", "kind", "values", "locked_keys", "enabled"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        user = request.user if request else None
        choices = []
        for level, model in TARGET_MODELS.items():
            queryset = scope_queryset(model.objects.all(), user)
            if level != "company":
                queryset = queryset.select_related("company")
            for obj in queryset:
                label = str(obj) if level == "company" else f"{obj} ({obj.company})"
                choices.append((f"{level}:{obj.pk}", f"{level.title()}: {label}"))
        self.fields["target_choice"].choices = choices
        if self.instance.pk:
            self.initial["target_choice"] = (
                f"{self.instance.level}:{self.instance.object_id}"
            )

    def _update_errors(self, errors) -> None:
        # The model reports target problems on content_type and object_id,
        # which this form replaces with the single target_choice field.
        if hasattr(errors, "error_dict"):
            for name in ("content_type", "object_id"):
                if name in errors.error_dict:
                    errors.error_dict.setdefault("target_choice", []).extend(
                        errors.error_dict.pop(name)
                    )
        super()._update_errors(errors)

    def clean(self) -> dict:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind and "target_choice" in cleaned:
            self._check_unique(kind, cleaned["target_choice"])
        return cleaned

    def _check_unique(self, kind: str, target_choice: str) -> None:
        # The unique constraint names fields this form replaces, so Django
        # skips it and a duplicate would fail on insert with an IntegrityError.
        instance = self.instance
        duplicate = (
            HierarchyConfig.objects.filter(
                config_family=instance.family,
                kind=kind,
                content_type=instance.content_type,
                object_id=instance.object_id,
            )
            .exclude(pk=instance.pk)
            .exists()
        )
        if duplicate:
            # add_error drops `kind` from cleaned_data; keep it on the instance
            # so the model's own validation does not also report it missing.
            instance.kind = kind
            level = target_choice.partition(":")[0]
            self.add_error(
                "kind",
                f"A {kind} {instance.family} is already set on this {level}, so "
                "edit that one instead.",
            )

    def clean_target_choice(self) -> str:
        value = self.cleaned_data["target_choice"]
        level, _, object_id = value.partition(":")
        model = TARGET_MODELS[level]
        target = model.objects.get(pk=int(object_id))
        self.instance.content_type = ContentType.objects.get_for_model(model)
        self.instance.object_id = target.pk
        self.instance.company_id = target.company_id
        return value


class HierarchyConfigChildAdmin(TenantScopedAdmin, PolymorphicChildModelAdmin):
    """Base admin of one configuration family; apps subclass it."""

    base_model = HierarchyConfig
    base_form = HierarchyConfigForm
    show_in_index = True
    list_display = ["kind", "level", "target", "enabled", "updated_at"]
    list_filter = ["kind", "level", "enabled"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("target")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class RequestForm(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, request=request, **inner)

        return RequestForm


@admin.register(HierarchyConfig)
class HierarchyConfigAdmin(TenantScopedAdmin, PolymorphicParentModelAdmin):
    base_model = HierarchyConfig
    list_display = [
        "config_family",
        "kind",
        "level",
        "object_id",
        "target",
        "enabled",
        "updated_at",
    ]
    list_filter = [PolymorphicChildModelFilter, "config_family", "level", "enabled"]
    search_fields = ["kind"]

    def lookup_allowed(self, lookup, value, request=None):
        # The entity pages link here filtered by `level` and `object_id`.
        return lookup == "object_id" or super().lookup_allowed(lookup, value, request)

    def get_child_models(self):
        # A family whose admin is not registered has no pages to send to.
        return [
            model
            for model in HierarchyConfig.__subclasses__()
            if model in self.admin_site._registry
        ]

    def _require_visible(self, request, object_id) -> None:
        """Raise Http404 unless the user's company owns the configuration.

        The polymorphic parent forwards to the child admin after reading the
        row's type without any scoping, so the check has to come first.
        """
        if not str(object_id).isdigit():
            raise Http404("No such configuration.")
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404("No such configuration in your company.")

    def change_view(self, request, object_id, *args, **kwargs):
        self._require_visible(request, object_id)
        return super().change_view(request, object_id, *args, **kwargs)

    def changeform_view(self, request, object_id=None, *args, **kwargs):
        if object_id:
            self._require_visible(request, object_id)
        return super().changeform_view(request, object_id, *args, **kwargs)

    def history_view(self, request, object_id, extra_context=None):
        self._require_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._require_visible(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("target")
