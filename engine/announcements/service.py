"""Publishing, editing, withdrawing and reading announcements. Each command commits once.

Text is stored as typed (plain text, shown escaped); a link must be an absolute http(s) URL.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlsplit

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from engine.announcements.audience import is_live
from engine.announcements.publication import announce, claim_announcement
from engine.announcements.queries import visible_announcement
from engine.db import utcnow
from engine.errors import Conflict, InvalidInput, NotFound
from engine.models import (Announcement, AnnouncementRecipient, AnnouncementTarget, Employee, Notification,
                           OrgUnit)
from engine.models.announcements import BODY_MAX_CHARS, LINK_MAX_CHARS, TITLE_MAX_CHARS

MAX_TARGETS = 200
FIRST_YEAR, LAST_YEAR = 2000, 2199


@dataclass(frozen=True)
class Target:
    unit_code: str
    include_sub_units: bool = True


@dataclass(frozen=True)
class AnnouncementDraft:
    """What hr or admin write. `publish_at` None means now; no targets means everyone."""

    title: str
    body: str = ""
    link: str | None = None
    targets: tuple[Target, ...] = ()
    publish_at: datetime | None = None
    expires_at: datetime | None = None
    pinned: bool = False


def _refuse(field: str, message: str, code: str = "validation_failed") -> InvalidInput:
    return InvalidInput(message, code=code, errors={field: [message]})


def _text(field: str, value: str, *, limit: int, multiline: bool, required: bool) -> str:
    value = value.replace("\r\n", "\n").strip() if multiline else value.strip()
    if required and not value:
        raise _refuse(field, "Must not be empty.")
    if len(value) > limit:
        raise _refuse(field, f"At most {limit} characters.")
    allowed = {"\n", "\t"} if multiline else set()
    if any(unicodedata.category(c) == "Cc" and c not in allowed for c in value):
        raise _refuse(field, "Control characters are not allowed.")
    return value


def checked_link(link: str | None) -> str | None:
    """An absolute http(s) URL with a host, or None for no link; anything else is a 422."""
    if link is None or not link.strip():
        return None
    link = link.strip()
    message = "Must be an absolute http:// or https:// URL."
    if len(link) > LINK_MAX_CHARS:
        raise _refuse("link", f"At most {LINK_MAX_CHARS} characters.", "link_invalid")
    try:
        parts = urlsplit(link)
    except ValueError:
        raise _refuse("link", message, "link_invalid") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or any(c.isspace() for c in link) \
            or any(unicodedata.category(c) == "Cc" for c in link):
        raise _refuse("link", message, "link_invalid")
    return link


def _checked_time(field: str, value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError(f"{field} must be an aware datetime")
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise _refuse(field, f"Must lie between the years {FIRST_YEAR} and {LAST_YEAR}.", "date_out_of_range")
    return value.astimezone(timezone.utc)


def _targets(session: Session, targets: tuple[Target, ...]) -> list[AnnouncementTarget]:
    if len(targets) > MAX_TARGETS:
        raise _refuse("units", f"At most {MAX_TARGETS} units.")
    codes = [t.unit_code.strip() for t in targets]
    if len(set(codes)) != len(codes):
        raise _refuse("units", "A unit is named twice.", "unit_repeated")
    units = {u.code: u for u in session.scalars(select(OrgUnit).where(OrgUnit.code.in_(codes)))} if codes else {}
    unknown = [code for code in codes if code not in units]
    if unknown:
        raise _refuse("units", f"No unit has the code {', '.join(unknown)}.", "unit_not_found")
    return [AnnouncementTarget(unit_id=units[code].id, include_sub_units=t.include_sub_units)
            for code, t in zip(codes, targets)]


def _check_period(publish_at: datetime, expires_at: datetime | None, now: datetime, *, expiry_given: bool) -> None:
    if expires_at is None:
        return
    if expires_at <= publish_at:
        raise _refuse("expires_at", "Must be after the publish time.", "expiry_before_publish")
    if expiry_given and expires_at <= now:
        raise _refuse("expires_at", "Must be in the future.", "expiry_in_past")


def _announce_if_live(session: Session, announcement: Announcement, now: datetime, *, audience_changed: bool) -> None:
    """Tell the audience of a live announcement: everyone at its first publication, then only newcomers."""
    session.flush()
    if not is_live(announcement, now):
        return
    if announcement.announced_at is None:
        if claim_announcement(session=session, announcement=announcement, now=now):
            announce(session=session, announcement=announcement, now=now)
    elif audience_changed:
        announce(session=session, announcement=announcement, now=now)


def publish_announcement(*, session: Session, author: Employee, draft: AnnouncementDraft,
                         now: datetime | None = None) -> Announcement:
    """Create an announcement; published now (its audience notified in this transaction) or at
    `publish_at` by the scheduler. Commits."""
    now = now or utcnow()
    publish_at = _checked_time("publish_at", draft.publish_at) or now
    expires_at = _checked_time("expires_at", draft.expires_at)
    _check_period(publish_at, expires_at, now, expiry_given=True)
    announcement = Announcement(
        title=_text("title", draft.title, limit=TITLE_MAX_CHARS, multiline=False, required=True),
        body=_text("body", draft.body, limit=BODY_MAX_CHARS, multiline=True, required=False),
        link=checked_link(draft.link), pinned=draft.pinned, publish_at=publish_at, expires_at=expires_at,
        author_id=author.id, created_at=now, updated_at=now, targets=_targets(session, draft.targets))
    session.add(announcement)
    _announce_if_live(session, announcement, now, audience_changed=True)
    session.commit()
    return announcement


# What `edit_announcement` may change; a key left out stays as it is.
EDITABLE = ("title", "body", "link", "targets", "publish_at", "expires_at", "pinned")


def edit_announcement(*, session: Session, announcement_id: int, changes: dict,
                      now: datetime | None = None) -> Announcement:
    """Change what is given in `changes` (keys of EDITABLE; `targets` as Target tuples). A live announcement
    newly reaching someone (new units, or published by this edit) notifies them. Commits."""
    now = now or utcnow()
    announcement = _announcement_or_404(session, announcement_id)
    if announcement.withdrawn_at is not None:
        raise Conflict("A withdrawn announcement cannot be edited.", code="announcement_withdrawn")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "title" in changes:
        announcement.title = _text("title", changes["title"], limit=TITLE_MAX_CHARS, multiline=False, required=True)
    if "body" in changes:
        announcement.body = _text("body", changes["body"], limit=BODY_MAX_CHARS, multiline=True, required=False)
    if "link" in changes:
        announcement.link = checked_link(changes["link"])
    if "pinned" in changes:
        announcement.pinned = bool(changes["pinned"])
    if "publish_at" in changes:
        announcement.publish_at = _checked_time("publish_at", changes["publish_at"]) or now
    if "expires_at" in changes:
        announcement.expires_at = _checked_time("expires_at", changes["expires_at"])
    _check_period(announcement.publish_at, announcement.expires_at, now,
                  expiry_given="expires_at" in changes)
    audience_changed = False
    if "targets" in changes:
        new = _targets(session, tuple(changes["targets"]))
        old = {(t.unit_id, t.include_sub_units) for t in announcement.targets}
        audience_changed = old != {(t.unit_id, t.include_sub_units) for t in new}
        if audience_changed:
            announcement.targets.clear()
            session.flush()
            announcement.targets.extend(new)
    announcement.updated_at = now
    _announce_if_live(session, announcement, now, audience_changed=audience_changed)
    session.commit()
    return announcement


def withdraw_announcement(*, session: Session, announcement_id: int, by: Employee,
                          now: datetime | None = None) -> Announcement:
    """Take an announcement down: nobody sees it any more, and its unread notifications (with pushes not yet
    sent) go. Withdrawing twice changes nothing. Commits."""
    now = now or utcnow()
    announcement = _announcement_or_404(session, announcement_id)
    if announcement.withdrawn_at is None:
        announcement.withdrawn_at, announcement.withdrawn_by_id = now, by.id
        unread = select(AnnouncementRecipient.notification_id).where(
            AnnouncementRecipient.announcement_id == announcement.id,
            AnnouncementRecipient.notification_id.is_not(None))
        session.execute(delete(Notification).where(Notification.id.in_(unread), Notification.read_at.is_(None))
                        .execution_options(synchronize_session=False))
        session.commit()
    return announcement


def mark_announcement_read(*, session: Session, employee: Employee, announcement_id: int,
                           now: datetime | None = None) -> None:
    """Mark a current announcement for `employee` as read, and its notification with it. Commits.

    One the employee may not see is the same 404 as one that does not exist."""
    now = now or utcnow()
    visible_announcement(session=session, employee=employee, announcement_id=announcement_id, now=now)
    make_insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    upsert = make_insert(AnnouncementRecipient).values(announcement_id=announcement_id, employee_id=employee.id,
                                                       read_at=now)
    session.execute(upsert.on_conflict_do_update(
        index_elements=["announcement_id", "employee_id"], set_={"read_at": now},
        where=AnnouncementRecipient.read_at.is_(None)))
    notification_id = session.scalar(select(AnnouncementRecipient.notification_id).where(
        AnnouncementRecipient.announcement_id == announcement_id, AnnouncementRecipient.employee_id == employee.id))
    if notification_id is not None:
        notification = session.get(Notification, notification_id)
        if notification is not None and notification.read_at is None:
            notification.read_at = now
    session.commit()


def _announcement_or_404(session: Session, announcement_id: int) -> Announcement:
    announcement = session.get(Announcement, announcement_id)
    if announcement is None:
        raise NotFound("No announcement has this id.", code="announcement_not_found")
    return announcement
