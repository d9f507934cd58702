"""Telling the audience: one notification per employee per announcement, when it is published.

The recipients table's primary key (announcement, employee) is what makes it one: a notification is
made only for the rows this transaction managed to insert, so a scheduler running twice, two schedulers
at once, or an edit racing the scheduler never notify anyone twice.
"""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from engine.announcements.audience import audience_ids, live_clause
from engine.db import utcnow
from engine.models import Announcement, AnnouncementRecipient
from engine.notifications.service import Message, notify_many

log = logging.getLogger(__name__)

CHUNK = 1000
NOTIFICATION_BODY_CHARS = 300
DUE_BATCH = 100


def _insert(session: Session):
    return postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def announce(*, session: Session, announcement: Announcement, now: datetime | None = None) -> int:
    """Notify every member of the audience who has not been notified of (or has not read) it (no commit).

    Returns how many were notified.
    """
    now = now or utcnow()
    audience = audience_ids(session=session, announcement=announcement)
    body = announcement.body if len(announcement.body) <= NOTIFICATION_BODY_CHARS else \
        announcement.body[:NOTIFICATION_BODY_CHARS - 1].rstrip() + "…"
    notified = 0
    for start in range(0, len(audience), CHUNK):
        rows = [{"announcement_id": announcement.id, "employee_id": employee_id, "notified_at": now}
                for employee_id in audience[start:start + CHUNK]]
        inserted = list(session.scalars(
            _insert(session)(AnnouncementRecipient).values(rows)
            .on_conflict_do_nothing(index_elements=["announcement_id", "employee_id"])
            .returning(AnnouncementRecipient.employee_id)))
        if not inserted:
            continue
        made = notify_many(session=session, now=now, messages=[
            Message(recipient_id=employee_id, kind="announcement", title_th=f"ประกาศ: {announcement.title}",
                    title_en=f"Announcement: {announcement.title}", body_th=body, body_en=body,
                    data={"announcement_id": announcement.id})
            for employee_id in inserted])
        session.execute(update(AnnouncementRecipient), [
            {"announcement_id": announcement.id, "employee_id": employee_id, "notification_id": notification_id}
            for employee_id, notification_id in made.items()])
        notified += len(made)
    return notified


def claim_announcement(*, session: Session, announcement: Announcement, now: datetime) -> bool:
    """Mark a live, never announced announcement as announced now (no commit); False if it was announced,
    withdrawn or expired meanwhile. On PostgreSQL the row stays locked until the caller commits."""
    claimed = session.execute(update(Announcement)
                              .where(Announcement.id == announcement.id, Announcement.announced_at.is_(None),
                                     live_clause(now))
                              .values(announced_at=now)
                              .execution_options(synchronize_session=False)).rowcount
    if claimed:
        announcement.announced_at = now
    return bool(claimed)


def announce_due(*, session_factory: sessionmaker[Session], now: datetime | None = None) -> int:
    """The scheduler's job: announce every published, never announced announcement (scheduled ones reach
    their time here); one transaction each, which commits. Returns how many employees were notified."""
    now = now or utcnow()
    notified = 0
    with session_factory() as session:
        due = list(session.scalars(select(Announcement).where(Announcement.announced_at.is_(None), live_clause(now))
                                   .order_by(Announcement.publish_at, Announcement.id).limit(DUE_BATCH)))
        for announcement in due:
            if claim_announcement(session=session, announcement=announcement, now=now):
                notified += announce(session=session, announcement=announcement, now=now)
            session.commit()
    return notified
