"""Reading announcements: an employee's current ones (pinned first, then newest) with read marks, one of
them, and the publishers' full list. Queries never commit."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from engine.announcements.audience import PUBLISHER_ROLES, live_clause, targets_clause
from engine.db import utcnow
from engine.errors import NotFound
from engine.models import Announcement, AnnouncementRecipient, Employee

STATES = ("scheduled", "current", "expired", "withdrawn")


def announcement_state(announcement: Announcement, now: datetime) -> str:
    """scheduled, current, expired or withdrawn."""
    if announcement.withdrawn_at is not None:
        return "withdrawn"
    if announcement.publish_at > now:
        return "scheduled"
    if announcement.expires_at is not None and announcement.expires_at <= now:
        return "expired"
    return "current"


@dataclass(frozen=True)
class ReadAnnouncement:
    """An announcement as its reader sees it: with when they read it (None = unread)."""

    announcement: Announcement
    read_at: datetime | None

    def __getattr__(self, name):  # the announcement's own fields, for serialisers
        return getattr(self.announcement, name)

    @property
    def read(self) -> bool:
        return self.read_at is not None


@dataclass(frozen=True)
class AnnouncementPage:
    items: list
    total: int
    unread_count: int


def _order(query):
    return query.order_by(Announcement.pinned.desc(), Announcement.publish_at.desc(), Announcement.id.desc())


def _for_reader(session: Session, employee: Employee, now: datetime):
    """Live announcements for `employee`, each with the reader's read time."""
    read = AnnouncementRecipient
    return (select(Announcement, read.read_at)
            .outerjoin(read, and_(read.announcement_id == Announcement.id, read.employee_id == employee.id))
            .where(live_clause(now), targets_clause(session=session, employee=employee)))


def announcements_for(*, session: Session, employee: Employee, page: int = 1, page_size: int = 20,
                      unread_only: bool = False, now: datetime | None = None) -> AnnouncementPage:
    """The current announcements for `employee`: pinned first, then newest; with the total and unread count."""
    now = now or utcnow()
    query = _for_reader(session, employee, now)
    counts = query.with_only_columns(func.count(Announcement.id),
                                     func.count(Announcement.id).filter(AnnouncementRecipient.read_at.is_(None)))
    total, unread = session.execute(counts.order_by(None)).one()
    if unread_only:
        query = query.where(AnnouncementRecipient.read_at.is_(None))
        total = unread
    rows = session.execute(_order(query).limit(page_size).offset((page - 1) * page_size)).all()
    return AnnouncementPage(items=[ReadAnnouncement(a, read_at) for a, read_at in rows], total=total,
                            unread_count=unread)


def visible_announcement(*, session: Session, employee: Employee, announcement_id: int,
                         now: datetime | None = None) -> ReadAnnouncement:
    """One current announcement for `employee`; anything else (not theirs, scheduled, expired, withdrawn,
    unknown) is the same 404."""
    row = session.execute(_for_reader(session, employee, now or utcnow())
                          .where(Announcement.id == announcement_id)).first()
    if row is None:
        raise NotFound("No announcement with this id is for you.", code="announcement_not_found")
    return ReadAnnouncement(*row)


def is_publisher(employee: Employee) -> bool:
    return bool(employee.roles & PUBLISHER_ROLES)


@dataclass(frozen=True)
class ManagedAnnouncement:
    """An announcement as its publishers see it: state, and how many were notified and have read it."""

    announcement: Announcement
    state: str
    notified_count: int
    read_count: int

    def __getattr__(self, name):
        return getattr(self.announcement, name)


def _managed(session: Session, announcements: list[Announcement], now: datetime) -> list[ManagedAnnouncement]:
    ids = [a.id for a in announcements]
    counts = {row.announcement_id: (row.notified, row.read) for row in session.execute(
        select(AnnouncementRecipient.announcement_id,
               func.count(AnnouncementRecipient.notification_id).label("notified"),
               func.count(AnnouncementRecipient.read_at).label("read"))
        .where(AnnouncementRecipient.announcement_id.in_(ids))
        .group_by(AnnouncementRecipient.announcement_id))} if ids else {}
    return [ManagedAnnouncement(a, announcement_state(a, now), *counts.get(a.id, (0, 0))) for a in announcements]


def managed_announcement(*, session: Session, announcement_id: int, now: datetime | None = None) -> ManagedAnnouncement:
    """Any announcement, for hr and admin."""
    announcement = session.get(Announcement, announcement_id)
    if announcement is None:
        raise NotFound("No announcement has this id.", code="announcement_not_found")
    return _managed(session, [announcement], now or utcnow())[0]


def managed_announcements(*, session: Session, state: str | None = None, page: int = 1, page_size: int = 20,
                          now: datetime | None = None) -> tuple[list[ManagedAnnouncement], int]:
    """Every announcement (or those in `state`), pinned first then newest, for hr and admin; with the total."""
    now = now or utcnow()
    query = select(Announcement)
    if state == "withdrawn":
        query = query.where(Announcement.withdrawn_at.is_not(None))
    elif state is not None:
        query = query.where(Announcement.withdrawn_at.is_(None))
        if state == "scheduled":
            query = query.where(Announcement.publish_at > now)
        elif state == "current":
            query = query.where(live_clause(now))
        elif state == "expired":
            query = query.where(Announcement.publish_at <= now, Announcement.expires_at <= now)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = list(session.scalars(_order(query).limit(page_size).offset((page - 1) * page_size)))
    return _managed(session, items, now), total
