from django import forms
from django.core.exceptions import ValidationError

from callbacks.models import CallbackRequest
from tenants.phones import normalize_phone

ADD_FIELDS = [
    "company",
    "branch",
    "service",
    "customer",
    "phone",
    "name",
    "email",
    "priority",
    "window_starts_at",
    "window_ends_at",
    "preferred_staff",
    "notes",
]


class CallbackAddForm(forms.ModelForm):
    """Checks what the create service would reject, as form errors."""

    class Meta:
        model = CallbackRequest
        fields = ADD_FIELDS

    def clean(self):
        cleaned = super().clean()
        company = cleaned.get("company") or self.instance.company
        if company is None:
            return cleaned
        phone = cleaned.get("phone")
        if phone:
            try:
                cleaned["phone"] = normalize_phone(phone, company.phone_region)
            except ValidationError as error:
                self.add_error("phone", error)
        for name in ("branch", "service", "customer", "preferred_staff"):
            related = cleaned.get(name)
            if related is not None and related.company_id != company.pk:
                self.add_error(name, f"{related} belongs to another company.")
        starts, ends = cleaned.get("window_starts_at"), cleaned.get("window_ends_at")
        if starts and ends and ends <= starts:
            self.add_error("window_ends_at", "The window must end after it starts.")
        return cleaned

    def validate_unique(self):
        # A second open request for a number is merged by the create service,
        # not rejected, so the one-open-per-phone constraint is not checked here.
        return None
