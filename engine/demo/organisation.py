"""Demo organisation for `make run`: fictional people in a small Ministry of Commerce office.

Only runs when asked for (`opsta demo`, or `opsta run --demo` on an empty database).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.accounts.service import set_local_account
from engine.config import Settings
from engine.demo.attendance import seed_demo_attendance
from engine.demo.requests import seed_demo_requests
from engine.models import Employee, EmployeeRole, OrgUnit


@dataclass(frozen=True)
class DemoPerson:
    username: str
    code: str
    name_th: str
    name_en: str
    position_title: str
    unit: str
    supervisor: str | None
    roles: tuple[str, ...] = ()


DEMO_UNITS = (
    ("OPS", "สำนักงานปลัดกระทรวงพาณิชย์", "Office of the Permanent Secretary", None),
    ("ICT", "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร", "Information and Communication Technology Center", "OPS"),
)

DEMO_PEOPLE = (
    DemoPerson("director", "10101", "นายธนากร ศรีวัฒนา", "Thanakorn Sriwattana",
               "ผู้อำนวยการศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร", "ICT", None),
    DemoPerson("supervisor", "10151", "นางสาวพิมพ์ชนก ใจดี", "Pimchanok Jaidee",
               "นักวิชาการคอมพิวเตอร์ชำนาญการพิเศษ", "ICT", "director"),
    DemoPerson("employee1", "100059150", "นายกิตติพัฒน์ สุขประเสริฐ", "Kittipat Sukprasert",
               "นักวิชาการคอมพิวเตอร์ชำนาญการ", "ICT", "supervisor"),
    DemoPerson("employee2", "100059151", "นางสาววรรณวิสา ทองมา", "Wanwisa Thongma",
               "นักวิชาการคอมพิวเตอร์ปฏิบัติการ", "ICT", "supervisor"),
    DemoPerson("employee3", "100059152", "นายณัฐวุฒิ แก้วมณี", "Nattawut Kaewmanee",
               "นักวิเคราะห์นโยบายและแผนปฏิบัติการ", "ICT", "supervisor"),
    DemoPerson("employee4", "100059153", "นางสุภาวดี รุ่งเรือง", "Supawadee Rungruang",
               "เจ้าพนักงานธุรการชำนาญงาน", "ICT", "supervisor"),
    DemoPerson("hr", "10201", "นางกาญจนา มั่นคง", "Kanchana Mankong",
               "นักทรัพยากรบุคคลชำนาญการพิเศษ", "OPS", "director", ("hr",)),
    DemoPerson("analyst", "10202", "นายภาคิน วงศ์สวัสดิ์", "Pakin Wongsawat",
               "นักวิชาการคอมพิวเตอร์ชำนาญการ", "ICT", "director", ("analyst",)),
    DemoPerson("admin", "10203", "นายอนุชา เพชรรัตน์", "Anucha Petcharat",
               "นักวิชาการคอมพิวเตอร์ชำนาญการพิเศษ", "ICT", "director", ("admin",)),
    DemoPerson("device_admin", "10204", "นายชยพล บุญมี", "Chayapol Boonmee",
               "นายช่างไฟฟ้าชำนาญงาน", "ICT", "director", ("device_admin",)),
)


def demo_already_seeded(session: Session) -> bool:
    return (session.scalar(select(func.count(Employee.id))) or 0) > 0


def seed_demo(*, session: Session, settings: Settings, attendance: bool = True,
              today: date | None = None) -> list[DemoPerson]:
    """Create the demo units, people and local accounts (password = OPSTA_DEMO_PASSWORD); commits.

    With `attendance`, also holidays, the MOC-OPS site, a month of punches up to the day before `today`
    (default: the real today), a face terminal and three requests waiting for the supervisor.
    """
    units: dict[str, OrgUnit] = {}
    for code, name_th, name_en, parent in DEMO_UNITS:
        unit = OrgUnit(code=code, name_th=name_th, name_en=name_en, parent=units.get(parent) if parent else None)
        session.add(unit)
        units[code] = unit
    session.flush()

    people: dict[str, Employee] = {}
    for person in DEMO_PEOPLE:
        employee = Employee(
            code=person.code, name_th=person.name_th, name_en=person.name_en,
            email=f"{person.username.replace('_', '.')}@ops-demo.example",
            position_title=person.position_title, unit_id=units[person.unit].id,
            supervisor_id=people[person.supervisor].id if person.supervisor else None,
        )
        employee.role_rows = [EmployeeRole(role=r) for r in person.roles]
        session.add(employee)
        session.flush()
        people[person.username] = employee
        set_local_account(session=session, employee=employee, username=person.username,
                          password=settings.demo_password)
    units["ICT"].head_employee_id = people["director"].id
    units["OPS"].head_employee_id = people["director"].id
    session.flush()
    if attendance:
        site = seed_demo_attendance(session=session, settings=settings, people=people, today=today)
        seed_demo_requests(session=session, settings=settings, people=people, site=site, today=today)
    session.commit()
    return list(DEMO_PEOPLE)
