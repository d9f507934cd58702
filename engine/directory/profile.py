"""The signed-in employee's own profile: who they are, their team and today's schedule."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from engine.config import Settings
from engine.directory.service import direct_subordinates
from engine.face_checks.profile_photos import profile_photo_age_days
from engine.models import Employee
from engine.schedules.service import schedule_for


def local_today(settings: Settings):
    return datetime.now(ZoneInfo(settings.timezone)).date()


def my_profile(*, session: Session, settings: Settings, employee: Employee) -> dict:
    """Profile, roles, unit, team size and today's schedule, ready to serialise."""
    today = local_today(settings)
    subordinates = direct_subordinates(session=session, employee_id=employee.id)
    return {
        "code": employee.code,
        "name_th": employee.name_th,
        "name_en": employee.name_en,
        "email": employee.email,
        "position_title": employee.position_title,
        "active": employee.active,
        "sorted_roles": employee.sorted_roles,
        "unit": employee.unit,
        "supervisor": employee.supervisor,
        "is_supervisor": bool(subordinates),
        "subordinate_count": len(subordinates),
        "timezone": settings.timezone,
        "today": today,
        "schedule_today": schedule_for(session=session, employee=employee, day=today),
        # Lets a client suggest renewing an old photo; None without one.
        "profile_photo_age_days": profile_photo_age_days(session=session, employee_id=employee.id),
    }
