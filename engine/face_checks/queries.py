"""Selfie-check queries: failed checks for hr, and a punch's selfie for those who may see the punch."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.directory.service import can_view_employee
from engine.errors import NotFound
from engine.models import Employee, FaceVerification, Punch, SelfieImage

ERROR_PAGE_LIMIT = 500


def verification_errors(*, session: Session, limit: int = ERROR_PAGE_LIMIT) -> list[dict]:
    """Punches whose selfie check gave up (status `error`), newest first, with the last error."""
    rows = session.execute(
        select(FaceVerification, Punch, Employee)
        .join(Punch, Punch.id == FaceVerification.punch_id)
        .join(Employee, Employee.id == FaceVerification.employee_id)
        .where(FaceVerification.status == "error")
        .order_by(FaceVerification.id.desc()).limit(limit))
    return [{"punch_id": punch.id, "employee": employee, "direction": punch.direction,
             "effective_at": punch.effective_at, "attempts": row.attempts, "last_error": row.last_error,
             "failed_at": row.verified_at} for row, punch, employee in rows]


def visible_selfie(*, session: Session, viewer: Employee, punch_id: int) -> SelfieImage:
    """A punch's stored selfie for the owner, their supervisors, hr and admin; 404 otherwise or once purged."""
    selfie = session.get(SelfieImage, punch_id)
    employee = session.get(Employee, selfie.employee_id) if selfie is not None else None
    if employee is None or not can_view_employee(session=session, viewer=viewer, employee=employee):
        raise NotFound("No selfie is visible to you for this punch.", code="selfie_not_found")
    return selfie


def selfie_stored(*, session: Session, punch_id: int) -> bool:
    """Whether the punch's selfie is still kept (not purged), without reading its bytes."""
    return session.scalar(select(SelfieImage.punch_id).where(SelfieImage.punch_id == punch_id)) is not None
