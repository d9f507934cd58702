"""Put punches on the ledger at chosen local times, for calendar and access tests."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from engine.attendance.ledger import append_punch
from engine.models import Employee, Punch

BANGKOK = ZoneInfo("Asia/Bangkok")


def add_punch(session, code: str, local: datetime, direction: str, *, place: str = "MOC-OPS",
              source: str = "gps") -> Punch:
    """Append a punch for employee `code` at naive Bangkok time `local`."""
    employee = session.scalar(select(Employee).where(Employee.code == code))
    at = local.replace(tzinfo=BANGKOK)
    punch = Punch(employee_id=employee.id, direction=direction, source=source, recorded_at=at, effective_at=at,
                  offline=False, latitude=13.8618, longitude=100.5127, accuracy_m=10.0, is_mock=False, note="",
                  address="", place_label=place, location_kind="office", flags=[], verification_required=False)
    append_punch(session=session, punch=punch)
    session.commit()
    return punch
