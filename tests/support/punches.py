"""Put punches on the ledger at chosen local times, for calendar and access tests."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from engine.attendance.ledger import append_punch
from engine.models import Employee, FaceVerification, Punch

BANGKOK = ZoneInfo("Asia/Bangkok")


def add_punch(session, code: str, local: datetime, direction: str, *, place: str = "MOC-OPS",
              source: str = "gps", selfie_verdict: str | None = None) -> Punch:
    """Append a punch for employee `code` at naive Bangkok time `local`.

    With `selfie_verdict` (pending, verified, rejected, error) it is a selfie punch whose check ended so.
    """
    employee = session.scalar(select(Employee).where(Employee.code == code))
    at = local.replace(tzinfo=BANGKOK)
    punch = Punch(employee_id=employee.id, direction=direction, source=source, recorded_at=at, effective_at=at,
                  offline=False, latitude=13.8618, longitude=100.5127, accuracy_m=10.0, is_mock=False, note="",
                  address="", place_label=place, location_kind="office", flags=[],
                  verification_required=selfie_verdict is not None)
    append_punch(session=session, punch=punch)
    if selfie_verdict is not None:
        session.add(FaceVerification(punch_id=punch.id, employee_id=employee.id, status=selfie_verdict,
                                     reason_codes=["mismatch"] if selfie_verdict == "rejected" else [],
                                     attempts=0 if selfie_verdict == "pending" else 1))
    session.commit()
    return punch
