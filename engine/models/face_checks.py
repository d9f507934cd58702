"""Selfie verification of punches: the selfie image, the verdict and the job outbox.

Punches stay append-only; everything that changes while a selfie is checked lives here.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from engine.db import Base, UTCDateTime, utcnow
from engine.models.punches import Punch

VERIFICATION_STATUSES = ("pending", "verified", "rejected", "error")
FINISHED_STATUSES = ("verified", "rejected", "error")


class SelfieImage(Base):
    """The downscaled selfie sent with a punch; deleted after the retention period."""

    __tablename__ = "punch_selfies"

    punch_id: Mapped[int] = mapped_column(ForeignKey("punches.id"), primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    image: Mapped[bytes] = mapped_column(LargeBinary)
    content_type: Mapped[str] = mapped_column(String(32), default="image/jpeg")
    # Of the bytes the phone sent (before downscaling): the replay defence compares these.
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class FaceVerification(Base):
    """The verdict on one punch's selfie; one row per punch, written `pending` with the punch."""

    __tablename__ = "face_verifications"
    __table_args__ = (Index("ix_face_verifications_employee_status", "employee_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    punch_id: Mapped[int] = mapped_column(ForeignKey("punches.id"), unique=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    distance: Mapped[float | None] = mapped_column(Float)
    threshold: Mapped[float | None] = mapped_column(Float)
    reason_codes: Mapped[list] = mapped_column(JSON, default=list)
    model_name: Mapped[str | None] = mapped_column(String(32))
    # Fingerprint(sha256, phash, embedding).as_dict(): kept after the selfie itself is purged.
    fingerprint: Mapped[dict | None] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # A backref keeps the punch model free of face imports; readers eager-load it (no N+1).
    punch: Mapped[Punch] = relationship(
        backref=backref("face_verification", uselist=False, viewonly=True, lazy="select"))


class VerificationJob(Base):
    """Outbox row for one verification job, written in the punch's transaction.

    `sent_at` is the last hand-over to the broker; the sweeper re-sends rows never sent or
    sent long ago and still not `done_at`.
    """

    __tablename__ = "face_verification_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    punch_id: Mapped[int] = mapped_column(ForeignKey("punches.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sends: Mapped[int] = mapped_column(Integer, default=0)
    send_error: Mapped[str] = mapped_column(Text, default="")
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
