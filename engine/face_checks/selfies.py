"""Selfies sent with punches: shrink and store them with the punch, and queue their check.

Everything here runs inside the punch's transaction, so a punch with a selfie never exists
without its selfie, its `pending` verdict row and its outbox job.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime

from PIL import Image
from sqlalchemy.orm import Session

from engine.config import Settings
from engine.face_checks.config import face_config
from engine.face_checks.photo_gate import photo_check_turn
from engine.face_checks.profile_photos import upload_rejected
from engine.models import FaceVerification, Punch, SelfieImage, VerificationJob
from face.intake import PhotoRejected, read_photo

STORED_JPEG_QUALITY = 85


@dataclass(frozen=True)
class PreparedSelfie:
    """A selfie checked as an image and shrunk for storage; `sha256` is of the bytes the phone sent."""

    jpeg: bytes
    sha256: str


def prepare_selfie(*, data: bytes, settings: Settings) -> PreparedSelfie:
    """Validate an uploaded selfie (type, bytes, pixels) and shrink it to a stored JPEG; no face model runs."""
    try:
        with photo_check_turn(settings=settings):
            image_bgr = read_photo(data, config=face_config(settings), max_side=settings.selfie_store_max_side)
    except PhotoRejected as exc:
        raise upload_rejected(exc) from exc
    buffer = io.BytesIO()
    Image.fromarray(image_bgr[:, :, ::-1]).save(buffer, format="JPEG", quality=STORED_JPEG_QUALITY)
    return PreparedSelfie(jpeg=buffer.getvalue(), sha256=hashlib.sha256(data).hexdigest())


def attach_selfie(*, session: Session, punch: Punch, selfie: PreparedSelfie, now: datetime) -> None:
    """Store the selfie, a `pending` verdict and the outbox job next to a just-appended punch (no commit)."""
    session.add_all([
        SelfieImage(punch_id=punch.id, employee_id=punch.employee_id, image=selfie.jpeg, sha256=selfie.sha256,
                    created_at=now),
        FaceVerification(punch_id=punch.id, employee_id=punch.employee_id, status="pending", created_at=now),
        VerificationJob(punch_id=punch.id, created_at=now),
    ])
    session.flush()
