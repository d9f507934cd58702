"""Profile photos: the accepted photo, its face embedding and the small variant face terminals get."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base, UTCDateTime, utcnow


class ProfilePhoto(Base):
    """Every accepted profile photo is kept; exactly one per employee is `current`."""

    __tablename__ = "profile_photos"
    __table_args__ = (Index("ix_profile_photos_employee_current", "employee_id", "current"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    image: Mapped[bytes] = mapped_column(LargeBinary)
    content_type: Mapped[str] = mapped_column(String(32))
    device_jpeg: Mapped[bytes] = mapped_column(LargeBinary)
    embedding: Mapped[list] = mapped_column(JSON)
    model_name: Mapped[str] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64))
    phash: Mapped[str] = mapped_column(String(32))
    checks: Mapped[list] = mapped_column(JSON, default=list)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
