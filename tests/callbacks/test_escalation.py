from datetime import timedelta

import pytest
from django.utils import timezone

from callbacks.models import (
    AttemptOutcome,
    CallbackRequest,
    Escalation,
    EscalationReason,
    Status,
)
from callbacks.services import (
    CallbackStateError,
    callback_escalate,
    callback_mark_contacted,
    callback_record_failed_attempt,
)
from callbacks.services.sweeps import (
    callbacks_escalate_breached,
    callbacks_expire_overdue,
    callbacks_send_warnings,
)
from tenants import events
from tenants.models import Role
from tests.callbacks.factories import CallbackRequestFactory
from tests.factories import BranchFactory, MembershipFactory, StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)

COOLDOWN = timedelta(minutes=30)


@pytest.fixture
def ladder():
    """A branch with an assignee, a colleague, a branch and a company manager."""
    branch = BranchFactory()
    assignee = StaffFactory(branch=branch)
    colleague = StaffFactory(branch=branch)
    # Managers are off duty, so only the manager rungs reach them.
    branch_manager = StaffFactory(branch=branch, is_manager=True, working_hours={})
    head_office = BranchFactory(company=branch.company)
    membership = MembershipFactory(company=branch.company, role=Role.MANAGER)
    company_manager = StaffFactory(
        branch=head_office, user=membership.user, working_hours={}
    )
    return {
        "branch": branch,
        "assignee": assignee,
        "colleague": colleague,
        "branch_manager": branch_manager,
        "company_manager": company_manager,
    }


def _overdue(ladder, **kwargs) -> CallbackRequest:
    now = timezone.now()
    fields = {
        "branch": ladder["branch"],
        "status": Status.ASSIGNED,
        "assignee": ladder["assignee"],
        "assigned_at": now - timedelta(hours=3),
        "created_at": now - timedelta(hours=3),
        "due_at": now - timedelta(minutes=1),
    }
    return CallbackRequestFactory(**(fields | kwargs))


def test_escalate_climbs_ladder_with_cooldown(ladder, published):
    callback = _overdue(ladder)
    now = timezone.now()

    assert callbacks_escalate_breached(now) == 1
    callback.refresh_from_db()
    assert callback.escalation_level == 1
    assert callback.assignee_id == ladder["colleague"].pk
    assert callback.next_escalation_at == now + COOLDOWN

    assert callbacks_escalate_breached(now + COOLDOWN - timedelta(seconds=1)) == 0

    assert callbacks_escalate_breached(now + COOLDOWN) == 1
    callback.refresh_from_db()
    assert callback.escalation_level == 2
    assert callback.assignee_id == ladder["branch_manager"].pk

    assert callbacks_escalate_breached(now + 2 * COOLDOWN) == 1
    callback.refresh_from_db()
    assert callback.escalation_level == 3
    assert callback.assignee_id == ladder["company_manager"].pk
    assert callback.next_escalation_at is None

    assert callbacks_escalate_breached(now + 10 * COOLDOWN) == 0
    rows = list(
        Escalation.objects.filter(callback=callback).values_list(
            "level", "reason", "from_staff_id", "to_staff_id", "resolved"
        )
    )
    assert rows == [
        (1, "sla_breach", ladder["assignee"].pk, ladder["colleague"].pk, False),
        (2, "sla_breach", ladder["colleague"].pk, ladder["branch_manager"].pk, False),
        (
            3,
            "sla_breach",
            ladder["branch_manager"].pk,
            ladder["company_manager"].pk,
            False,
        ),
    ]
    escalated = [p for name, p in published if name == events.CALLBACK_ESCALATED]
    assert [p["level"] for p in escalated] == [1, 2, 3]
    assert escalated[0]["to_staff_id"] == ladder["colleague"].pk


def test_escalate_skips_reassign_when_nobody_else_fits(ladder):
    ladder["colleague"].is_active = False
    ladder["colleague"].save()
    callback = _overdue(ladder)

    callbacks_escalate_breached()

    escalation = Escalation.objects.get(callback=callback)
    assert escalation.level == 2
    assert escalation.to_staff_id == ladder["branch_manager"].pk
    assert escalation.details == (
        "SLA deadline passed; nobody else eligible; branch manager"
    )


def test_escalate_not_due_does_nothing(ladder):
    callback = _overdue(ladder)
    CallbackRequest.objects.filter(pk=callback.pk).update(
        next_escalation_at=timezone.now() + timedelta(minutes=5)
    )

    assert callbacks_escalate_breached() == 0

    assert not Escalation.objects.exists()


def test_escalate_manual_ignores_cooldown(ladder):
    callback = _overdue(ladder)
    callbacks_escalate_breached()

    escalation = callback_escalate(
        callback.pk, reason=EscalationReason.MANUAL, details="caller is upset"
    )

    assert escalation.level == 2
    assert escalation.reason == "manual"
    assert escalation.details == "caller is upset; branch manager"


def test_escalate_manual_at_top_raises(ladder):
    callback = _overdue(ladder)
    CallbackRequest.objects.filter(pk=callback.pk).update(escalation_level=3)

    with pytest.raises(CallbackStateError, match="already escalated"):
        callback_escalate(callback.pk)

    assert not Escalation.objects.exists()


def test_escalate_contacted_raises(ladder):
    callback = _overdue(ladder)
    callback_mark_contacted(callback.pk)

    with pytest.raises(CallbackStateError, match="is contacted"):
        callback_escalate(callback.pk)

    assert not Escalation.objects.exists()


def test_escalate_contact_resolves_open_escalations(ladder):
    callback = _overdue(ladder)
    callbacks_escalate_breached()

    callback_mark_contacted(callback.pk)

    escalation = Escalation.objects.get(callback=callback)
    assert escalation.resolved is True
    assert escalation.resolved_at is not None


def test_failed_attempts_escalate_on_third(ladder):
    callback = _overdue(ladder, due_at=timezone.now() + timedelta(hours=1))

    for _ in range(2):
        callback_record_failed_attempt(callback.pk, outcome=AttemptOutcome.BUSY)
    assert not Escalation.objects.exists()
    callback_record_failed_attempt(callback.pk)

    escalation = Escalation.objects.get(callback=callback)
    assert escalation.reason == "contact_failed"
    assert escalation.level == 1
    assert callback.contact_attempts.count() == 3


def test_failed_attempt_rejects_reached_outcome(ladder):
    callback = _overdue(ladder)

    with pytest.raises(Exception, match="not a failed outcome"):
        callback_record_failed_attempt(callback.pk, outcome=AttemptOutcome.REACHED)

    assert callback.contact_attempts.count() == 0


def test_failed_attempt_on_closed_request_raises(ladder):
    callback = _overdue(ladder)
    callback_mark_contacted(callback.pk)

    with pytest.raises(CallbackStateError, match="is contacted"):
        callback_record_failed_attempt(callback.pk)

    assert callback.contact_attempts.count() == 1


def test_warning_sent_once(ladder, published):
    callback = _overdue(ladder, warn_at=timezone.now() - timedelta(minutes=1))

    assert callbacks_send_warnings() == 1
    assert callbacks_send_warnings() == 0

    callback.refresh_from_db()
    assert callback.warned_at is not None
    warnings = [p for name, p in published if name == events.CALLBACK_SLA_WARNING]
    assert [p["callback_id"] for p in warnings] == [callback.pk]
    assert warnings[0]["assignee_id"] == ladder["assignee"].pk


def test_expire_overdue_only_unreached(ladder, published):
    past = timezone.now() - timedelta(minutes=1)
    stale = _overdue(ladder, expires_at=past)
    reached = _overdue(ladder, expires_at=past)
    callback_mark_contacted(reached.pk)

    assert callbacks_expire_overdue() == 1

    stale.refresh_from_db()
    reached.refresh_from_db()
    assert stale.status == Status.EXPIRED
    assert stale.expired_at is not None
    assert reached.status == Status.CONTACTED
    expired = [p for name, p in published if name == events.CALLBACK_EXPIRED]
    assert [p["callback_id"] for p in expired] == [stale.pk]
