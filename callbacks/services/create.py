"""Create callback requests, merging repeats into the open one."""

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from callbacks.events import publish_callback_event
from callbacks.models import (
    OPEN_STATUSES,
    PRIORITY_RANK,
    CallbackRequest,
    CallbackStatusChange,
    Priority,
    Source,
    Status,
)
from callbacks.models.reference import new_reference
from callbacks.policy import sla_policy
from callbacks.services.transitions import lock_callback
from callbacks.sla import deadlines_for
from config.celery import queue_task
from tenants import events
from tenants.models import Branch, Company, Customer, Service, Staff
from tenants.phones import mask_phone, normalize_phone

logger = logging.getLogger(__name__)

ONE_OPEN_PER_PHONE = "callback_one_open_per_phone"
# A merge can lose its target to a concurrent close; try again this often.
MAX_CREATE_ATTEMPTS = 3


def _validate(
    *,
    company: Company,
    branch: Branch,
    service: Service | None,
    customer: Customer | None,
    preferred_staff: Staff | None,
    priority: str,
    source: str,
    window_starts_at: datetime | None,
    window_ends_at: datetime | None,
) -> None:
    errors: dict[str, str] = {}
    if branch.company_id != company.pk:
        errors["branch"] = f"Branch {branch.pk} belongs to another company."
    for name, related in (
        ("service", service),
        ("customer", customer),
        ("preferred_staff", preferred_staff),
    ):
        if related is not None and related.company_id != company.pk:
            errors[name] = f"{name} {related.pk} belongs to another company."
    if priority not in Priority.values:
        errors["priority"] = (
            f"{priority!r} is not a priority; use one of {', '.join(Priority.values)}."
        )
    if source not in Source.values:
        errors["source"] = (
            f"{source!r} is not a source; use one of {', '.join(Source.values)}."
        )
    if window_starts_at and window_ends_at and window_ends_at <= window_starts_at:
        errors["window_ends_at"] = "The callback window must end after it starts."
    if errors:
        raise ValidationError(errors)


def _apply_deadlines(callback: CallbackRequest) -> None:
    policy = sla_policy(callback.company_id, callback.branch_id, callback.service_id)
    deadlines = deadlines_for(
        priority=callback.priority,
        created_at=callback.created_at,
        window_starts_at=callback.window_starts_at,
        branch=callback.branch,
        policy=policy,
    )
    callback.due_at = deadlines.due_at
    callback.warn_at = deadlines.warn_at
    callback.expires_at = deadlines.expires_at
    callback.next_escalation_at = deadlines.due_at


def _merge(callback: CallbackRequest, incoming: CallbackRequest) -> None:
    """Fold a repeated request into the open one, losing nothing the caller gave."""
    if PRIORITY_RANK[incoming.priority] > PRIORITY_RANK[callback.priority]:
        callback.priority = incoming.priority
    if incoming.notes:
        callback.notes = "\n".join(n for n in (callback.notes, incoming.notes) if n)
    if incoming.window_starts_at and (
        callback.window_starts_at is None
        or incoming.window_starts_at < callback.window_starts_at
    ):
        callback.window_starts_at = incoming.window_starts_at
        callback.window_ends_at = incoming.window_ends_at

    for name in ("name", "email", "retell_call_id"):
        if not getattr(callback, name):
            setattr(callback, name, getattr(incoming, name))
    for name in ("service_id", "customer_id", "preferred_staff_id"):
        if getattr(callback, name) is None:
            setattr(callback, name, getattr(incoming, name))

    callback.metadata = {
        **incoming.metadata,
        **callback.metadata,
        "merged_requests": callback.metadata.get("merged_requests", 0) + 1,
    }
    # A higher priority or an earlier window may tighten the SLA; never loosen it.
    deadline_fields = ("due_at", "warn_at", "expires_at", "next_escalation_at")
    previous = {name: getattr(callback, name) for name in deadline_fields}
    _apply_deadlines(callback)
    if previous["due_at"] and callback.due_at > previous["due_at"]:
        for name, value in previous.items():
            setattr(callback, name, value)
    elif callback.escalation_level:
        # An escalated request keeps its cooldown.
        callback.next_escalation_at = previous["next_escalation_at"]
    callback.save()


def callback_create(
    *,
    company: Company,
    branch: Branch,
    phone: str,
    name: str = "",
    email: str = "",
    service: Service | None = None,
    customer: Customer | None = None,
    priority: str = Priority.NORMAL,
    window_starts_at: datetime | None = None,
    window_ends_at: datetime | None = None,
    preferred_staff: Staff | None = None,
    notes: str = "",
    source: str = Source.PHONE_AGENT,
    retell_call_id: str = "",
    metadata: dict | None = None,
) -> tuple[CallbackRequest, bool]:
    """Create a callback request, or merge it into the open one for the number.

    Return the request and whether it is new. Raise ValidationError naming the
    field when the input does not fit. Assignment is queued after commit.
    """
    _validate(
        company=company,
        branch=branch,
        service=service,
        customer=customer,
        preferred_staff=preferred_staff,
        priority=priority,
        source=source,
        window_starts_at=window_starts_at,
        window_ends_at=window_ends_at,
    )
    try:
        e164 = normalize_phone(phone, company.phone_region)
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from error

    incoming = CallbackRequest(
        company=company,
        branch=branch,
        service=service,
        customer=customer,
        phone=e164,
        name=name,
        email=email,
        priority=priority,
        window_starts_at=window_starts_at,
        window_ends_at=window_ends_at,
        preferred_staff=preferred_staff,
        notes=notes,
        source=source,
        retell_call_id=retell_call_id,
        metadata=metadata or {},
        created_at=timezone.now(),
    )
    _apply_deadlines(incoming)

    for _ in range(MAX_CREATE_ATTEMPTS):
        with transaction.atomic():
            try:
                with transaction.atomic():
                    incoming.save(force_insert=True)
            except IntegrityError as error:
                incoming.pk = None
                constraint = _violated_constraint(error) or ""
                if "reference" in constraint:
                    incoming.reference = new_reference()
                    continue
                if constraint != ONE_OPEN_PER_PHONE:
                    raise
            else:
                _record_created(incoming)
                return incoming, True

            open_id = (
                CallbackRequest.objects.filter(
                    company=company, phone=e164, status__in=OPEN_STATUSES
                )
                .values_list("pk", flat=True)
                .first()
            )
            if open_id is None:
                continue  # closed meanwhile: insert again
            callback = lock_callback(open_id)
            if not callback.is_open:
                continue
            _merge(callback, incoming)
            logger.info(
                "callback %s merged a repeated request from %s",
                callback.pk,
                mask_phone(e164),
            )
            if callback.status == Status.PENDING:
                _queue_assignment(callback.pk)
            return callback, False
    raise RuntimeError(
        f"Could not create or merge a callback for company {company.pk} after "
        f"{MAX_CREATE_ATTEMPTS} attempts; the open request kept closing."
    )


def _violated_constraint(error: IntegrityError) -> str | None:
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)


def _record_created(callback: CallbackRequest) -> None:
    CallbackStatusChange.objects.create(
        callback=callback,
        from_status="",
        to_status=Status.PENDING,
        changed_at=callback.created_at,
        reason=f"created by {callback.source}",
    )
    logger.info(
        "callback %s created for %s in branch %s",
        callback.pk,
        mask_phone(callback.phone),
        callback.branch_id,
    )
    publish_callback_event(events.CALLBACK_CREATED, callback)
    _queue_assignment(callback.pk)


def _queue_assignment(callback_id: int) -> None:
    transaction.on_commit(
        lambda: queue_task("callbacks.tasks.assign_callback", callback_id)
    )
