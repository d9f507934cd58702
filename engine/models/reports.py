"""Report files built in the background: who asked for which report, how far it got, and the file."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base, UTCDateTime, utcnow

REPORT_JOB_STATES = ("queued", "running", "done", "failed", "expired")


class ReportJob(Base):
    """One report file asked for by one employee; its file lives under `<data_dir>/report-files/` until
    `expires_at`, then the scheduler deletes it and the row says `expired`."""

    __tablename__ = "report_jobs"
    __table_args__ = (Index("ix_report_jobs_state_expiry", "state", "expires_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    report: Mapped[str] = mapped_column(String(40))
    format: Mapped[str] = mapped_column(String(8))
    language: Mapped[str] = mapped_column(String(2), default="th")
    # The Filters the report is built with: start, end (ISO), unit_code, include_subunits, employee_code, status.
    filters: Mapped[dict] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(10), default="queued")
    progress: Mapped[int] = mapped_column(Integer, default=0)  # percent
    rows: Mapped[int | None] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error_code: Mapped[str] = mapped_column(String(64), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str] = mapped_column(String(120), default="")  # what the browser saves it as
    stored_as: Mapped[str] = mapped_column(String(120), default="")  # the file under report-files/
    content_type: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # last hand-over to the broker
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def period(self) -> tuple[date, date]:
        return date.fromisoformat(self.filters["start"]), date.fromisoformat(self.filters["end"])
