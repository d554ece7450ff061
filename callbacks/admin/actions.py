"""Queue actions. Small selections run now; large ones go to Celery in chunks."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.template.response import TemplateResponse

from callbacks.services.bulk import callbacks_apply
from callbacks.tasks import run_bulk_action
from tenants.models import Staff
from tenants.scoping import scope_queryset

# Selections up to this size run inside the request; larger ones are queued.
INLINE_LIMIT = 50
CHUNK_SIZE = 500
MAX_LISTED_SKIPS = 10


def apply_action(modeladmin, request, queryset, action: str, params: dict) -> None:
    ids = list(queryset.order_by().values_list("pk", flat=True))
    if len(ids) > INLINE_LIMIT:
        user_id = request.user.pk
        for start in range(0, len(ids), CHUNK_SIZE):
            chunk = ids[start : start + CHUNK_SIZE]
            transaction.on_commit(
                lambda chunk=chunk: run_bulk_action.delay(
                    action, chunk, user_id, params
                )
            )
        modeladmin.message_user(
            request,
            f"{len(ids)} callbacks were queued for {action.replace('_', ' ')}; "
            "reload the queue in a moment to see the result.",
            messages.INFO,
        )
        return
    result = callbacks_apply(action, ids, user_id=request.user.pk, params=params)
    if result.done:
        noun = "callback" if result.done == 1 else "callbacks"
        label = action.replace("_", " ").capitalize()
        modeladmin.message_user(request, f"{label}: {result.done} {noun} updated.")
    if result.skipped:
        listed = "; ".join(result.skipped[:MAX_LISTED_SKIPS])
        more = len(result.skipped) - MAX_LISTED_SKIPS
        suffix = f" and {more} more" if more > 0 else ""
        modeladmin.message_user(
            request,
            f"{len(result.skipped)} skipped: {listed}{suffix}",
            messages.WARNING,
        )


class AssignForm(forms.Form):
    staff = forms.ModelChoiceField(queryset=Staff.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        active = Staff.objects.filter(is_active=True).select_related("branch")
        self.fields["staff"].queryset = scope_queryset(active, user)


class EscalateForm(forms.Form):
    details = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why this request needs a higher level.",
    )


def _with_form(modeladmin, request, queryset, form_class, action, title, **form_kwargs):
    """Show `form_class` first; apply the action once it is posted valid."""
    if "apply" in request.POST:
        form = form_class(request.POST, **form_kwargs)
        if form.is_valid():
            return form
    else:
        form = form_class(**form_kwargs)
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "action": action,
        "count": queryset.count(),
        "opts": modeladmin.model._meta,
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "select_across": request.POST.get("select_across", "0"),
    }
    return TemplateResponse(
        request, "admin/callbacks/callbackrequest/action_form.html", context
    )


@admin.action(description="Assign to a staff member", permissions=["change"])
def assign_to_staff(modeladmin, request, queryset):
    form = _with_form(
        modeladmin,
        request,
        queryset,
        AssignForm,
        "assign_to_staff",
        "Assign callbacks",
        user=request.user,
    )
    if isinstance(form, TemplateResponse):
        return form
    apply_action(
        modeladmin,
        request,
        queryset,
        "assign",
        {"staff_id": form.cleaned_data["staff"].pk},
    )
    return None


@admin.action(description="Escalate", permissions=["change"])
def escalate(modeladmin, request, queryset):
    form = _with_form(
        modeladmin, request, queryset, EscalateForm, "escalate", "Escalate callbacks"
    )
    if isinstance(form, TemplateResponse):
        return form
    apply_action(
        modeladmin,
        request,
        queryset,
        "escalate",
        {"details": form.cleaned_data["details"]},
    )
    return None


def _direct_action(name: str, description: str):
    """Build an admin action that needs no input before it runs."""

    def action(modeladmin, request, queryset):
        apply_action(modeladmin, request, queryset, name, {})

    action.__name__ = name
    return admin.action(description=description, permissions=["change"])(action)


auto_assign = _direct_action("auto_assign", "Assign automatically")
mark_contacted = _direct_action("mark_contacted", "Mark contacted")
complete = _direct_action("complete", "Complete")
cancel = _direct_action("cancel", "Cancel")


QUEUE_ACTIONS = [
    assign_to_staff,
    auto_assign,
    mark_contacted,
    complete,
    cancel,
    escalate,
]
