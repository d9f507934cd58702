"""Punches with everything a punch detail shows: a GPS punch inside the demo site with a note, flags, a
selfie that was rejected and then accepted by hr; a face-terminal punch at the MOC-OPS terminal by
someone with a profile photo. Both are employee1's, on the day given (a weekday of the past)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from shapely.geometry import shape
from sqlalchemy import select

from engine.attendance.ledger import append_punch
from engine.models import Employee, EmployeeRole, FaceVerification, ProfilePhoto, Punch, PunchAcceptance, SelfieImage
from engine.sites.service import create_site
from engine.terminals.registry import create_device
from geo import load_demo_site_geojson
from tests.support.photos import photo_bytes
from tests.support.punches import add_punch
from tests.support.web_month import BANGKOK, EMPLOYEE1, last_month

NOTE = "ประชุมที่ห้อง 301"
ACCEPTANCE_REASON = "แสงในห้องน้อย ตรวจสอบกับหัวหน้างานแล้ว"


@dataclass(frozen=True)
class DetailedPunches:
    gps_id: int        # 08:41:07 IN at the demo site, selfie rejected then accepted by hr
    terminal_id: int   # 16:33:00 OUT at the MOC-OPS face terminal
    site_name: str
    day: date


def seed_detailed_punches(session_factory, day: date, code: str = EMPLOYEE1) -> DetailedPunches:
    feature = load_demo_site_geojson()
    inside = shape(feature["geometry"]).representative_point()
    with session_factory() as session:
        employee = session.scalar(select(Employee).where(Employee.code == code))
        hr = session.scalars(select(Employee).join(EmployeeRole).where(EmployeeRole.role == "hr")).first()
        site = create_site(session=session, name=feature["properties"]["name"], geometry=feature["geometry"])
        device = create_device(session=session, sn="MOCOPS0001", name="MOC-OPS", site_id=site.id,
                               allowed_networks=["127.0.0.1/32"])
        at = datetime.combine(day, time(8, 41, 7), BANGKOK)
        gps = Punch(employee_id=employee.id, direction="in", source="gps", recorded_at=at, effective_at=at,
                    offline=False, latitude=inside.y, longitude=inside.x, accuracy_m=25.0, is_mock=False,
                    note=NOTE, address="", place_label=site.name, location_kind="office", site_id=site.id,
                    flags=["clock_skew"], verification_required=True)
        append_punch(session=session, punch=gps)
        session.add(SelfieImage(punch_id=gps.id, employee_id=employee.id, image=photo_bytes("obama.jpg"),
                                content_type="image/jpeg", sha256="0" * 64))
        session.add(FaceVerification(punch_id=gps.id, employee_id=employee.id, status="rejected",
                                     reason_codes=["mismatch"], attempts=1))
        session.add(PunchAcceptance(punch_id=gps.id, accepted_by_id=hr.id, reason=ACCEPTANCE_REASON,
                                    verification_status="rejected",
                                    accepted_at=datetime.combine(day, time(10, 5), BANGKOK)))
        at = datetime.combine(day, time(16, 33), BANGKOK)
        terminal = Punch(employee_id=employee.id, direction="out", source="face_terminal", recorded_at=at,
                         effective_at=at, offline=False, note="", address="", place_label=site.name,
                         location_kind="office", site_id=site.id, flags=[], verification_required=False,
                         device_id=device.id, device_pin=code, verify_code=15, verify_method="face")
        append_punch(session=session, punch=terminal)
        session.add(ProfilePhoto(employee_id=employee.id, image=photo_bytes("obama2.jpg"), content_type="image/jpeg",
                                 device_jpeg=photo_bytes("obama2.jpg"), embedding=[], model_name="Dlib",
                                 sha256="1" * 64, phash="0" * 16, checks=[], current=True))
        session.commit()
        return DetailedPunches(gps.id, terminal.id, site.name, day)


def seed_history(session_factory, count: int) -> list[str]:
    """`count` of employee1's punches five hours apart from the start of last month; their times as the
    history rows show them, newest first."""
    start = datetime.combine(last_month().first_day, datetime.min.time()) + timedelta(hours=7)
    times = [start + timedelta(hours=5 * n) for n in range(count)]
    with session_factory() as session:
        for n, at in enumerate(times):
            add_punch(session, EMPLOYEE1, at, "in" if n % 2 == 0 else "out")
    return [f"{at:%H:%M}" for at in reversed(times)]
