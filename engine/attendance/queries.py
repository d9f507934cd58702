"""Punch queries: one punch with access checks, and the paginated history."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from engine.attendance.punch_standing import standing_of
from engine.directory.service import can_view_employee
from engine.errors import NotFound
from engine.models import Employee, Punch


@dataclass(frozen=True)
class SiteRef:
    id: int
    name: str


@dataclass(frozen=True)
class PunchView:
    """A punch with its local date and time in the organisation's time zone.

    `site_ref` lets a caller that already knows the site (the geofence match) spare a query.
    """

    punch: Punch
    local_at: datetime
    site_ref: SiteRef | None = None

    def __getattr__(self, name):
        return getattr(self.punch, name)

    @property
    def site(self):
        if self.punch.site_id is None:
            return None
        return self.site_ref or self.punch.site

    @property
    def local_date(self) -> date:
        return self.local_at.date()

    @property
    def local_time(self) -> str:
        return self.local_at.strftime("%H:%M")

    @property
    def verification(self) -> dict:
        """The selfie verdict; readers of many punches eager-load `Punch.face_verification` (no N+1)."""
        if not self.punch.verification_required:
            return {"status": "not_required"}
        return verification_view(self.punch.face_verification)

    @property
    def standing(self) -> str:
        """counts, provisional or excluded (`engine.attendance.punch_standing`)."""
        return str(standing_of(self.punch).standing)

    @property
    def standing_reason(self) -> str | None:
        return standing_of(self.punch).reason

    @property
    def acceptance(self) -> dict | None:
        """hr's acceptance of a punch whose face check failed: who, when, why."""
        row = self.punch.acceptance if self.punch.verification_required else None
        if row is None:
            return None
        return {"accepted_by": row.accepted_by, "accepted_at": row.accepted_at, "reason": row.reason,
                "verification_status": row.verification_status}


def verification_view(row) -> dict:
    """A FaceVerification row (or None, still being written) as the API shows it, with advice per reason."""
    from face.advice import REASON_ADVICE

    if row is None:
        return {"status": "pending"}
    return {
        "status": row.status,
        "reasons": [{"code": code, "advice_th": REASON_ADVICE[code].th, "advice_en": REASON_ADVICE[code].en}
                    for code in row.reason_codes or [] if code in REASON_ADVICE],
        "distance": row.distance,
        "threshold": row.threshold,
        "attempts": row.attempts,
        "verified_at": row.verified_at,
    }


def as_view(punch: Punch, tz: ZoneInfo, site_ref: SiteRef | None = None) -> PunchView:
    return PunchView(punch, punch.effective_at.astimezone(tz), site_ref)


def visible_punch(*, session: Session, viewer: Employee, punch_id: int, tz: ZoneInfo) -> PunchView:
    """A punch its owner, their supervisors, hr or admin may read; anyone else gets the same 404 as a missing id."""
    punch = session.get(Punch, punch_id, options=[joinedload(Punch.employee), joinedload(Punch.site),
                                                  joinedload(Punch.face_verification), joinedload(Punch.acceptance)])
    if punch is None or not can_view_employee(session=session, viewer=viewer, employee=punch.employee):
        raise NotFound("No punch with this id is visible to you.", code="punch_not_found")
    return as_view(punch, tz)


def punch_history(*, session: Session, employee: Employee, tz: ZoneInfo, start: date | None, end: date | None,
                  page: int, page_size: int) -> tuple[list[PunchView], int]:
    """One page of an employee's punches, newest first, between local dates `start` and `end` inclusive."""
    query = select(Punch).where(Punch.employee_id == employee.id)
    if start:
        query = query.where(Punch.effective_at >= datetime.combine(start, time.min, tz))
    if end:
        query = query.where(Punch.effective_at < datetime.combine(end + timedelta(days=1), time.min, tz))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.options(joinedload(Punch.site), selectinload(Punch.face_verification),
                                         selectinload(Punch.acceptance))
                           .order_by(Punch.effective_at.desc(), Punch.id.desc())
                           .limit(page_size).offset((page - 1) * page_size))
    return [as_view(p, tz) for p in rows], total
