"""Refused `/iclock/*` calls, counted in a fixed-size table, and one admin notification per flood of them.

Anyone can send any serial number, so one row per serial number lets a stranger fill the database:
refusals are counted in `ATTEMPT_BUCKETS` buckets keyed by a hash of (serial number, address), each an
upsert in one statement. A bucket shows the latest refusal that landed in it; a terminal that keeps
knocking (every 15 s) keeps its own bucket's details current. Beside the buckets, one row counts the
refusals since the last quiet spell of `device_flood_quiet_minutes`; the refusal that brings it to
`device_flood_attempts` tells admins, once for that flood.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import case, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from engine.config import Settings
from engine.models import Device, UnauthorizedDeviceAttempt, UnauthorizedDeviceFlood
from engine.notifications.service import notify
from engine.terminals.silence import alert_recipients

ATTEMPT_BUCKETS = 512  # also in migration 0012, which moved the old rows into buckets
_FLOOD_ROW = 1


def attempt_bucket(sn: str, remote_addr: str) -> int:
    """The bucket of a (serial number, address) pair: stable across processes and restarts."""
    digest = hashlib.sha256(f"{sn}\x1f{remote_addr}".encode("utf-8", errors="replace")).digest()
    return int.from_bytes(digest[:8], "big") % ATTEMPT_BUCKETS


def _insert(session: Session):
    return (postgresql if session.get_bind().dialect.name == "postgresql" else sqlite).insert


def count_refusal(*, session: Session, settings: Settings, sn: str, remote_addr: str, path: str, now: datetime,
                  reason: str) -> None:
    """Count one refused call in its bucket and in the flood counter, telling admins of a new flood; commits."""
    sn, remote_addr, path = sn[:64], remote_addr[:64], path[:255]
    insert = _insert(session)
    attempt = insert(UnauthorizedDeviceAttempt).values(
        bucket=attempt_bucket(sn, remote_addr), sn=sn, remote_addr=remote_addr, path=path, reason=reason,
        first_seen_at=now, last_seen_at=now, attempts=1)
    session.execute(attempt.on_conflict_do_update(index_elements=["bucket"], set_={
        "sn": attempt.excluded.sn, "remote_addr": attempt.excluded.remote_addr, "path": attempt.excluded.path,
        "reason": attempt.excluded.reason, "last_seen_at": attempt.excluded.last_seen_at,
        "attempts": UnauthorizedDeviceAttempt.attempts + 1}))
    flood_attempts = _count_in_flood(session, insert, settings, now)
    if flood_attempts >= settings.device_flood_attempts:
        _tell_admins_once(session, settings, now, flood_attempts)
    session.commit()


def _count_in_flood(session: Session, insert, settings: Settings, now: datetime) -> int:
    flood = UnauthorizedDeviceFlood
    quiet_since = flood.last_seen_at < now - timedelta(minutes=settings.device_flood_quiet_minutes)
    row = insert(flood).values(id=_FLOOD_ROW, started_at=now, last_seen_at=now, attempts=1, alerted_at=None)
    # Every SET reads the row as it was, so a quiet spell restarts all of the count at once.
    return session.execute(row.on_conflict_do_update(index_elements=["id"], set_={
        "started_at": case((quiet_since, now), else_=flood.started_at),
        "attempts": case((quiet_since, 1), else_=flood.attempts + 1),
        "alerted_at": case((quiet_since, None), else_=flood.alerted_at),
        "last_seen_at": now,
    }).returning(flood.attempts)).scalar_one()


def _tell_admins_once(session: Session, settings: Settings, now: datetime, attempts: int) -> None:
    claimed = session.execute(update(UnauthorizedDeviceFlood).where(
        UnauthorizedDeviceFlood.id == _FLOOD_ROW, UnauthorizedDeviceFlood.alerted_at.is_(None)).values(alerted_at=now))
    if claimed.rowcount != 1:
        return  # this flood was announced already (or by a concurrent refusal a moment ago)
    for recipient_id in alert_recipients(session):
        notify(session=session, recipient_id=recipient_id, kind="device_flood",
               title_th="มีการเรียกใช้เครื่องอ่านโดยไม่ได้รับอนุญาตจำนวนมาก",
               title_en="Many unauthorised terminal calls",
               body_th=f"ปฏิเสธการเรียก /iclock แล้ว {attempts} ครั้ง โดยไม่มีช่วงเงียบเกิน "
                       f"{settings.device_flood_quiet_minutes} นาที ตรวจสอบรายการเครื่องที่ไม่ได้รับอนุญาต",
               body_en=f"{attempts} calls to /iclock were refused with no quiet spell of "
                       f"{settings.device_flood_quiet_minutes} minutes; see the unauthorised devices list.",
               data={"unauthorized_devices": True})


def unauthorized_attempts(*, session: Session) -> list[tuple[UnauthorizedDeviceAttempt, bool]]:
    """Refusal buckets, most recent first, each with whether its serial number is registered now."""
    attempts = list(session.scalars(select(UnauthorizedDeviceAttempt)
                                    .order_by(UnauthorizedDeviceAttempt.last_seen_at.desc())))
    registered = set(session.scalars(select(Device.sn).where(Device.sn.in_([a.sn for a in attempts]))))
    return [(attempt, attempt.sn in registered) for attempt in attempts]
