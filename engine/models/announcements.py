"""Announcements (ประกาศ) from hr and admin: the text, the units they are for, and who got and read each."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db import Base, UTCDateTime, utcnow
from engine.models.directory import Employee, OrgUnit

TITLE_MAX_CHARS = 200
BODY_MAX_CHARS = 5000
LINK_MAX_CHARS = 2000


class Announcement(Base):
    """One announcement. Without target units it is for everyone.

    Employees see it from `publish_at` until `expires_at` (if any) unless it is withdrawn.
    `announced_at` is set when its notifications were made: once, at or after `publish_at`.
    """

    __tablename__ = "announcements"
    __table_args__ = (Index("ix_announcements_due", "announced_at", "publish_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX_CHARS))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str | None] = mapped_column(String(LINK_MAX_CHARS))
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    publish_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    author_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))

    author: Mapped[Employee] = relationship(foreign_keys=[author_id], lazy="joined")
    targets: Mapped[list["AnnouncementTarget"]] = relationship(
        back_populates="announcement", cascade="all, delete-orphan", lazy="selectin",
        order_by="AnnouncementTarget.unit_id")


class AnnouncementTarget(Base):
    """A unit an announcement is for, with or without the units below it."""

    __tablename__ = "announcement_targets"

    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcements.id", ondelete="CASCADE"),
                                                 primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), primary_key=True, index=True)
    include_sub_units: Mapped[bool] = mapped_column(Boolean, default=True)

    announcement: Mapped[Announcement] = relationship(back_populates="targets")
    unit: Mapped[OrgUnit] = relationship(lazy="joined")


class AnnouncementRecipient(Base):
    """One employee and one announcement: the notification they got (at most one, by the primary key)
    and when they read it. A row without a notification is a read by someone the announcement reached
    later (a new member of a targeted unit)."""

    __tablename__ = "announcement_recipients"

    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcements.id", ondelete="CASCADE"),
                                                 primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), primary_key=True, index=True)
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notifications.id", ondelete="SET NULL"))
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
