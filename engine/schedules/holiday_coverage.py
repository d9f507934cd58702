"""A year without public holidays is announced before it starts, instead of every holiday counting as absent.

From 1 December the coming year is checked too; the current year always is. For each year with no
holiday loaded, every hr member gets one notification (once per year, however often the check runs)
and the scheduler logs a warning, until someone imports the year's holidays (`opsta import holidays`).
"""
from __future__ import annotations

import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.config import Settings
from engine.db import utcnow
from engine.directory.service import employees_with_role
from engine.models import Holiday, Notification
from engine.notifications.service import notify

log = logging.getLogger(__name__)

KIND = "holidays_missing"
# The month from which the next year's holidays are expected to be loaded.
ANNOUNCE_FROM_MONTH = 12


def years_to_cover(today: date) -> list[int]:
    """The years whose holidays must be loaded by `today`: this one, and from 1 December the next."""
    return [today.year, today.year + 1] if today.month >= ANNOUNCE_FROM_MONTH else [today.year]


def years_without_holidays(*, session: Session, today: date) -> list[int]:
    """Those of `years_to_cover(today)` with no holiday in the table."""
    missing = []
    for year in years_to_cover(today):
        count = session.scalar(select(func.count(Holiday.id)).where(
            Holiday.day >= date(year, 1, 1), Holiday.day <= date(year, 12, 31)))
        if not count:
            missing.append(year)
    return missing


def announce_missing_holidays(*, session: Session, settings: Settings, now: datetime | None = None) -> list[int]:
    """Warn about, and tell every hr member once of, each year without holidays; commits. Returns those years."""
    today = (now or utcnow()).astimezone(ZoneInfo(settings.timezone)).date()
    missing = years_without_holidays(session=session, today=today)
    if not missing:
        return []
    told = {(n.recipient_id, (n.data or {}).get("year"))
            for n in session.scalars(select(Notification).where(Notification.kind == KIND))}
    hr = employees_with_role(session=session, role="hr")
    for year in missing:
        log.warning("no public holidays are loaded for %s: every holiday of %s would count as a working day; "
                    "import them with `opsta import holidays FILE`", year, year)
        for member in hr:
            if (member.id, year) in told:
                continue
            be = year + 543
            notify(session=session, recipient_id=member.id, kind=KIND,
                   title_th=f"ยังไม่มีวันหยุดราชการของปี พ.ศ. {be} ในระบบ",
                   title_en=f"No public holidays are loaded for {year}",
                   body_th=f"นำเข้าวันหยุดของปี {be} ก่อนเริ่มปี มิฉะนั้นวันหยุดทุกวันจะถูกนับเป็นวันทำงาน",
                   body_en=f"Import the holidays of {year} before it starts; otherwise every holiday counts as a "
                           "working day (and a day off as absent).",
                   data={"year": year})
    session.commit()
    return missing
