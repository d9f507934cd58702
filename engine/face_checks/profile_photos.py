"""Profile photos: check and store a new one, read the current one, and who may see it."""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine.config import Settings
from engine.db import utcnow
from engine.directory.service import can_view_employee
from engine.errors import DomainError, InvalidInput, NotFound
from engine.face_checks.config import face_config
from engine.face_checks.face_thread import run_on_face_thread
from engine.face_checks.photo_gate import photo_check_turn
from engine.models import Employee, ProfilePhoto
from engine.terminals.enrollment import profile_photo_changed
from face.intake import PhotoRejected, read_photo, sniff_photo_type

log = logging.getLogger(__name__)

# Upload problems found before any face model runs; the size limit answers 413 like an HTTP body limit.
UPLOAD_STATUS = {"photo_too_large": 413}


def upload_rejected(exc: PhotoRejected) -> DomainError:
    """The API error for an unusable upload (wrong type, too large, too many pixels, corrupt)."""
    return InvalidInput(exc.detail, code=exc.code, status=UPLOAD_STATUS.get(exc.code, 422))


def set_profile_photo(*, session: Session, settings: Settings, employee: Employee, photo: bytes,
                      now: datetime | None = None) -> tuple[ProfilePhoto, list[dict]]:
    """Check `photo` with every profile rule; store it as the current photo if all pass (commits).

    Returns the stored photo and the checks. A photo failing any rule raises InvalidInput
    `profile_photo_rejected` whose `failed_checks` and `checks` list each rule with its advice.
    """
    from face.profile_photo import check_profile_photo

    config = face_config(settings)
    try:
        with photo_check_turn(settings=settings):
            read_photo(photo, config=config, max_side=config.selfie_max_side)  # refuse bad files before queueing
            result = run_on_face_thread(check_profile_photo, photo=photo, config=config)
    except PhotoRejected as exc:
        raise upload_rejected(exc) from exc
    checks = [check.as_dict() for check in result.checks]
    if not result.accepted:
        failed = [check for check in checks if not check["passed"]]
        names = ", ".join(check["name"] for check in failed) or "one_face"
        raise InvalidInput(f"The photo cannot be used as a profile photo ({names}).", code="profile_photo_rejected",
                           failed_checks=failed, checks=checks)
    session.execute(update(ProfilePhoto).where(ProfilePhoto.employee_id == employee.id,
                                               ProfilePhoto.current.is_(True)).values(current=False))
    stored = ProfilePhoto(
        employee_id=employee.id, image=photo, content_type=f"image/{sniff_photo_type(photo)}",
        device_jpeg=result.device_jpeg, embedding=result.embedding, model_name=config.model_name,
        sha256=result.fingerprint.sha256, phash=result.fingerprint.phash, checks=checks, current=True,
        created_at=now or utcnow(),
    )
    session.add(stored)
    session.flush()
    profile_photo_changed(session=session, employee=employee, now=now)  # onto the employee's terminals
    session.commit()
    return stored, checks


def current_profile_photo(*, session: Session, employee_id: int) -> ProfilePhoto | None:
    """The employee's current profile photo, if any."""
    return session.scalar(select(ProfilePhoto)
                          .where(ProfilePhoto.employee_id == employee_id, ProfilePhoto.current.is_(True))
                          .order_by(ProfilePhoto.id.desc()).limit(1))


def profile_photo_age_days(*, session: Session, employee_id: int, now: datetime | None = None) -> int | None:
    """Whole days since the current profile photo was set; None without one."""
    set_at = session.scalar(select(ProfilePhoto.created_at)
                            .where(ProfilePhoto.employee_id == employee_id, ProfilePhoto.current.is_(True))
                            .order_by(ProfilePhoto.id.desc()).limit(1))
    return None if set_at is None else ((now or utcnow()) - set_at).days


def visible_profile_photo(*, session: Session, viewer: Employee, employee: Employee) -> ProfilePhoto:
    """The current photo of `employee` for the viewers the punch rules allow; else 404."""
    photo = None
    if can_view_employee(session=session, viewer=viewer, employee=employee):
        photo = current_profile_photo(session=session, employee_id=employee.id)
    if photo is None:
        raise NotFound("No profile photo is visible to you for this employee.", code="profile_photo_not_found")
    return photo


def photo_summary(photo: ProfilePhoto, *, image_url: str, now: datetime | None = None) -> dict:
    """The metadata the API returns for a stored profile photo."""
    return {
        "id": photo.id,
        "set_at": photo.created_at,
        "age_days": ((now or utcnow()) - photo.created_at).days,
        "content_type": photo.content_type,
        "model_name": photo.model_name,
        "checks": photo.checks,
        "image_url": image_url,
        "device_image_url": f"{image_url}?variant=device",
    }
