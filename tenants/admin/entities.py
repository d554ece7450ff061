from django import forms
from django.contrib import admin

from tenants.admin.effective import configurations_link, effective_configuration_html
from tenants.admin.scoped import (
    SecretInput,
    TenantScopedAdmin,
    TenantScopedTabularInline,
)
from tenants.models import (
    Branch,
    Company,
    Customer,
    Membership,
    PhoneLine,
    Role,
    Service,
    Staff,
    StaffAbsence,
    StaffService,
)


class EffectiveConfigurationMixin:
    config_level: str = ""

    @admin.display(description="Effective configuration")
    def effective_configuration(self, obj):
        return effective_configuration_html(obj)

    @admin.display(description="Configurations")
    def configurations(self, obj):
        return configurations_link(obj, self.config_level)


class CompanyForm(forms.ModelForm):
    retell_api_key = forms.CharField(
        required=False,
        widget=SecretInput,
        help_text="Leave empty to keep the stored key. It is never shown again.",
    )
    calcom_secret = forms.CharField(
        required=False,
        widget=SecretInput,
        help_text="Leave empty to keep the stored secret. It is never shown again.",
    )

    class Meta:
        model = Company
        fields = [
            "name",
            "slug",
            "time_zone",
            "phone_region",
            "currency",
            "retell_api_key",
            "calcom_secret",
        ]

    def _keep_stored(self, name: str) -> str:
        value = self.cleaned_data.get(name, "")
        if not value and self.instance.pk:
            return getattr(Company.objects.get(pk=self.instance.pk), name)
        return value

    def clean_retell_api_key(self) -> str:
        return self._keep_stored("retell_api_key")

    def clean_calcom_secret(self) -> str:
        return self._keep_stored("calcom_secret")


@admin.register(Company)
class CompanyAdmin(EffectiveConfigurationMixin, TenantScopedAdmin):
    form = CompanyForm
    config_level = "company"
    list_display = ["name", "slug", "time_zone", "secrets_status"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["configurations", "effective_configuration"]
    role_permissions = {
        Role.OWNER: frozenset({"view", "change"}),
        Role.MANAGER: frozenset({"view"}),
        Role.AGENT: frozenset({"view"}),
    }

    @admin.display(description="Webhook secrets")
    def secrets_status(self, obj: Company) -> str:
        retell = "set" if obj.retell_api_key else "missing"
        calcom = "set" if obj.calcom_secret else "missing"
        return f"Retell {retell}, Cal.com {calcom}"


class PhoneLineInline(TenantScopedTabularInline):
    model = PhoneLine
    fields = ["number", "label"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class Formset(formset):
            def _construct_form(self, i, **kwargs):
                # The parent is the branch being saved, which on the add page
                # has its company but no primary key yet.
                form = super()._construct_form(i, **kwargs)
                form.instance.company_id = self.instance.company_id
                return form

        return Formset


@admin.register(Branch)
class BranchAdmin(EffectiveConfigurationMixin, TenantScopedAdmin):
    config_level = "branch"
    list_display = ["name", "company", "time_zone", "holiday_country"]
    list_filter = ["company"]
    list_select_related = ["company"]
    search_fields = ["name"]
    inlines = [PhoneLineInline]
    readonly_fields = ["configurations", "effective_configuration"]


@admin.register(Service)
class ServiceAdmin(EffectiveConfigurationMixin, TenantScopedAdmin):
    config_level = "service"
    list_display = ["name", "company", "price", "duration_minutes"]
    list_filter = ["company", "branches"]
    list_select_related = ["company"]
    search_fields = ["name"]
    filter_horizontal = ["branches"]
    readonly_fields = ["configurations", "effective_configuration"]


class StaffServiceInline(TenantScopedTabularInline):
    model = StaffService
    autocomplete_fields = ["service"]


class StaffAbsenceInline(TenantScopedTabularInline):
    model = StaffAbsence


@admin.register(Staff)
class StaffAdmin(EffectiveConfigurationMixin, TenantScopedAdmin):
    config_level = "staff"
    list_display = ["name", "branch", "email", "is_active", "is_manager"]
    list_filter = ["is_active", "is_manager", "branch"]
    list_select_related = ["branch"]
    search_fields = ["name", "email"]
    autocomplete_fields = ["branch"]
    raw_id_fields = ["user"]
    inlines = [StaffServiceInline, StaffAbsenceInline]
    readonly_fields = ["configurations", "effective_configuration"]


@admin.register(Customer)
class CustomerAdmin(TenantScopedAdmin):
    list_display = ["name", "phone", "email", "preferred_channel", "language"]
    list_filter = ["preferred_channel", "language"]
    search_fields = ["name", "phone", "email"]
    fields = [
        "company",
        "name",
        "phone_raw",
        "phone",
        "email",
        "preferred_channel",
        "language",
    ]
    readonly_fields = ["phone"]


@admin.register(Membership)
class MembershipAdmin(TenantScopedAdmin):
    list_display = ["user", "company", "role"]
    list_filter = ["role"]
    list_select_related = ["user", "company"]
    raw_id_fields = ["user"]
    role_permissions = {
        Role.OWNER: frozenset({"view", "add", "change", "delete"}),
        Role.MANAGER: frozenset({"view"}),
        Role.AGENT: frozenset(),
    }
