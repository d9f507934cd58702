"""Who an announcement is for: everyone when it names no unit, else the members of the units it names
(and of the units below those it names with their sub-units), and when employees see it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, false, not_, or_, select
from sqlalchemy.orm import Session

from engine.directory.units import units_above, units_within
from engine.models import Announcement, AnnouncementTarget, Employee

# Roles that publish and manage announcements, and see every one of them.
PUBLISHER_ROLES = frozenset({"hr", "admin"})


def live_clause(now: datetime) -> ColumnElement[bool]:
    """Published, not expired, not withdrawn."""
    return and_(Announcement.withdrawn_at.is_(None), Announcement.publish_at <= now,
                or_(Announcement.expires_at.is_(None), Announcement.expires_at > now))


def is_live(announcement: Announcement, now: datetime) -> bool:
    """The Python twin of `live_clause` for one loaded announcement."""
    return (announcement.withdrawn_at is None and announcement.publish_at <= now
            and (announcement.expires_at is None or announcement.expires_at > now))


def targets_clause(*, session: Session, employee: Employee) -> ColumnElement[bool]:
    """Announcements whose audience includes `employee`: for everyone, for their unit, or for a unit above
    theirs with its sub-units. Someone without a unit gets only those for everyone."""
    targeted = exists().where(AnnouncementTarget.announcement_id == Announcement.id)
    if employee.unit_id is None:
        return not_(targeted)
    above = units_above(session=session, unit_id=employee.unit_id)
    reaches = exists().where(
        AnnouncementTarget.announcement_id == Announcement.id,
        or_(AnnouncementTarget.unit_id == employee.unit_id,
            and_(AnnouncementTarget.include_sub_units.is_(True), AnnouncementTarget.unit_id.in_(above))
            if above else false()))
    return or_(not_(targeted), reaches)


def audience_ids(*, session: Session, announcement: Announcement) -> list[int]:
    """The active employees the announcement is for, by id."""
    query = select(Employee.id).where(Employee.active.is_(True)).order_by(Employee.id)
    if announcement.targets:
        units = {t.unit_id for t in announcement.targets if not t.include_sub_units}
        units |= units_within(session=session, unit_ids={t.unit_id for t in announcement.targets
                                                         if t.include_sub_units})
        query = query.where(Employee.unit_id.in_(units))
    return list(session.scalars(query))
