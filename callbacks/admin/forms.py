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

# Once created, a request changes through the services, so staff edit only
# these fields by hand.
EDITABLE_ON_CHANGE = ["name", "email", "notes"]
CHANGE_FIELDSETS = [
    (
        "Request",
        {
            "fields": [
                "reference",
                "status",
                "priority",
                "company",
                "branch",
                "service",
                "preferred_staff",
                "assignee",
                "source",
                "retell_call_id",
            ]
        },
    ),
    (
        "Caller",
        {
            "fields": [
                "customer",
                "phone",
                *EDITABLE_ON_CHANGE,
                "window_starts_at",
                "window_ends_at",
            ]
        },
    ),
    (
        "Timeline",
        {
            "fields": [
                "created_at",
                "assigned_at",
                "contacted_at",
                "completed_at",
                "cancelled_at",
                "expired_at",
            ]
        },
    ),
    (
        "SLA and escalation",
        {
            "fields": [
                "due_at",
                "warned_at",
                "expires_at",
                "escalation_level",
                "escalated_at",
                "next_escalation_at",
                "metadata",
            ]
        },
    ),
]


class CallbackAddForm(forms.ModelForm):
    """Checks what the create service would reject, as form errors."""

    class Meta:
        model = CallbackRequest
        fields = ADD_FIELDS

    def clean(self):
        cleaned = super().clean()
        company = cleaned.get("company")
        if company is None and self.instance.company_id is not None:
            company = self.instance.company
        if company is None:
            # A missing or unknown company already has its field error.
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
