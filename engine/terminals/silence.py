"""Scheduled: tell admins when a terminal stops talking (once per silence)."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.config import Settings
from engine.models import Device, Employee, EmployeeRole
from engine.notifications.service import notify

ALERT_ROLES = ("admin", "device_admin")


def alert_recipients(session: Session) -> list[int]:
    """Active admins and device admins: who hears about terminals."""
    return list(session.scalars(
        select(Employee.id).where(Employee.active.is_(True), Employee.id.in_(
            select(EmployeeRole.employee_id).where(EmployeeRole.role.in_(ALERT_ROLES)))).order_by(Employee.id)))


def check_silent_devices(*, session: Session, settings: Settings, now: datetime) -> list[Device]:
    """Notify admins and device admins about each enabled device silent for `device_silence_minutes`; commits.

    A device never heard from counts from its registration. The alert is sent once; the device's
    next request clears it, so a later silence alerts again.
    """
    cutoff = now - timedelta(minutes=settings.device_silence_minutes)
    silent = list(session.scalars(select(Device).where(
        Device.enabled.is_(True), Device.silence_alerted_at.is_(None),
        func.coalesce(Device.last_seen_at, Device.created_at) < cutoff).order_by(Device.sn)))
    recipients = alert_recipients(session) if silent else []
    for device in silent:
        last = device.last_seen_at.astimezone(ZoneInfo(settings.timezone)).strftime("%Y-%m-%d %H:%M") \
            if device.last_seen_at else None
        heard_th = f"ติดต่อครั้งล่าสุด {last}" if last else "ยังไม่เคยติดต่อเข้ามา"
        heard_en = f"last heard from at {last}" if last else "never heard from"
        for recipient_id in recipients:
            notify(session=session, recipient_id=recipient_id, kind="device_silent",
                   title_th=f"เครื่องอ่าน {device.name} ไม่ติดต่อเข้ามา",
                   title_en=f"Device {device.name} is silent",
                   body_th=f"เครื่อง {device.name} ({device.sn}) {heard_th} เกิน {settings.device_silence_minutes} นาที",
                   body_en=f"{device.name} ({device.sn}) {heard_en}; silent for over "
                           f"{settings.device_silence_minutes} minutes.",
                   data={"device_sn": device.sn})
        device.silence_alerted_at = now
    session.commit()
    return silent

