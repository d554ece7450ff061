"""Candidate staff for a callback, and their ranking.

One query reads the branch's staff with their open load, latest assignment,
absence and service skills. The callback_assignment policy of every staff
member comes from one resolver call. Ranking is pure Python so the decision
can be stored exactly as it was made.
"""

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from callbacks.hours import works_during
from callbacks.models import CallbackRequest
from callbacks.models.choices import OPEN_STATUSES
from callbacks.policy import assignment_policies
from tenants.configuration.contexts import context_for
from tenants.models import Staff, StaffAbsence, StaffService

PREFERRED, SERVICE, BRANCH = "preferred", "service", "branch"


@dataclass
class Candidate:
    staff_id: int
    name: str
    load: int
    capacity: int
    last_assigned_at: datetime | None
    expert: bool
    tiers: list[str]
    dropped: str = ""
    score: list = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "staff_id": self.staff_id,
            "name": self.name,
            "tiers": self.tiers,
            "load": self.load,
            "capacity": self.capacity,
            "last_assigned_at": (
                self.last_assigned_at.isoformat() if self.last_assigned_at else None
            ),
            "expert": self.expert,
            "dropped": self.dropped,
            "score": self.score,
        }


@dataclass
class Choice:
    reference_time: datetime
    candidates: list[Candidate]
    tier: str = ""
    winner: Candidate | None = None


def reference_window(
    callback: CallbackRequest, now: datetime
) -> tuple[datetime, datetime | None]:
    """Return when the callback would be worked: now, or the requested window."""
    starts, ends = callback.window_starts_at, callback.window_ends_at
    if starts is None or (ends is not None and ends <= now):
        return now, None
    return max(starts, now), ends


POOL_SQL = """
SELECT s.id, s.name, s.is_active, s.working_hours, s.branch_id, s.company_id,
  (SELECT COUNT(*) FROM {callbacks} c
    WHERE c.assignee_id = s.id AND c.status IN ({open_statuses})) AS open_load,
  (SELECT MAX(c.assigned_at) FROM {callbacks} c
    WHERE c.assignee_id = s.id) AS last_assigned_at,
  EXISTS (SELECT 1 FROM {absences} a
    WHERE a.staff_id = s.id AND a.starts_at <= %s AND a.ends_at > %s) AS absent,
  EXISTS (SELECT 1 FROM {skills} k
    WHERE k.staff_id = s.id AND k.service_id = %s) AS offers_service,
  EXISTS (SELECT 1 FROM {skills} k
    WHERE k.staff_id = s.id AND k.service_id = %s AND k.is_expert) AS expert
FROM {staff} s
WHERE (s.branch_id = %s OR s.id = %s) AND s.company_id = %s
ORDER BY s.id
"""


def _pool(callback: CallbackRequest, moment: datetime) -> list[Staff]:
    """Return the staff who could take the callback, annotated in one query.

    Raw SQL because assignment runs for every request: building this query
    through the ORM took longer than PostgreSQL needed to run it.
    """
    sql = POOL_SQL.format(
        callbacks=CallbackRequest._meta.db_table,
        open_statuses=", ".join(["%s"] * len(OPEN_STATUSES)),
        absences=StaffAbsence._meta.db_table,
        skills=StaffService._meta.db_table,
        staff=Staff._meta.db_table,
    )
    params = [
        *[str(status) for status in OPEN_STATUSES],
        moment,
        moment,
        callback.service_id,
        callback.service_id,
        callback.branch_id,
        callback.preferred_staff_id,
        callback.company_id,
    ]
    return list(Staff.objects.raw(sql, params))


def _drop_reason(staff: Staff, candidate: Candidate, zone, starts, ends) -> str:
    if not staff.is_active:
        return "inactive"
    if staff.absent:
        return "absent"
    if not works_during(staff.working_hours, zone, starts, ends):
        return "not working" if ends is None else "not working in the window"
    if candidate.load >= candidate.capacity:
        return "at capacity"
    return ""


def choose_assignee(
    callback: CallbackRequest,
    *,
    now: datetime | None = None,
    exclude_staff_ids: frozenset[int] = frozenset(),
) -> Choice:
    """Rank the staff pool of `callback` and pick the winner, if anyone fits.

    Tiers are tried in the policy's order. Within a tier experts come first,
    then the lowest open load, the longest since the last assignment and the
    lowest id. `callback.branch` must be loaded.
    """
    now = now or timezone.now()
    starts, ends = reference_window(callback, now)
    zone = ZoneInfo(callback.branch.time_zone)
    staff_rows = _pool(callback, starts)
    policies = assignment_policies(
        [
            context_for(
                callback.company_id, callback.branch_id, callback.service_id, row
            )
            for row in staff_rows
        ]
    )
    # Tier order is a company or branch decision; staff-level overrides of it
    # would be meaningless, so the first context's tiers apply to everyone.
    tiers = policies[0].tiers if policies else ()

    candidates = []
    for staff, policy in zip(staff_rows, policies, strict=True):
        member_tiers = []
        if staff.pk == callback.preferred_staff_id:
            member_tiers.append(PREFERRED)
        if staff.branch_id == callback.branch_id:
            if callback.service_id and staff.offers_service:
                member_tiers.append(SERVICE)
            member_tiers.append(BRANCH)
        candidate = Candidate(
            staff_id=staff.pk,
            name=staff.name,
            load=staff.open_load,
            capacity=policy.capacity,
            last_assigned_at=staff.last_assigned_at,
            expert=bool(callback.service_id and staff.expert),
            tiers=member_tiers,
        )
        if staff.pk in exclude_staff_ids:
            candidate.dropped = "excluded"
        else:
            candidate.dropped = _drop_reason(staff, candidate, zone, starts, ends)
        candidates.append(candidate)

    choice = Choice(reference_time=starts, candidates=candidates)
    for tier in tiers:
        eligible = [c for c in candidates if tier in c.tiers and not c.dropped]
        if not eligible:
            continue
        for candidate in eligible:
            candidate.score = [
                tier,
                0 if tier == SERVICE and candidate.expert else 1,
                candidate.load,
                candidate.last_assigned_at.isoformat()
                if candidate.last_assigned_at
                else "",
                candidate.staff_id,
            ]
        # ISO timestamps of one zone sort like the moments they name, and ""
        # (never assigned) sorts first: idle longest.
        choice.tier = tier
        choice.winner = min(eligible, key=lambda c: c.score[1:])
        break
    return choice
