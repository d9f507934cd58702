"""The daily attendance record (บัญชีลงเวลาการปฏิบัติราชการ) of a unit for one day: each person's first IN and last
OUT with the place or terminal, late or early marked, and room to sign; printable on A4."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from engine.config import Settings
from engine.errors import InvalidInput
from engine.models import AttendanceDay, Device, Employee, Punch, Site
from engine.reports.people import EMPLOYEE_COLUMNS, UNIT
from engine.reports.scope import Scope
from engine.reports.table import Column, Filters, ReportTable

NAME = "daily-record"
TITLE = "Daily attendance record"
STATUSES = ()
COLUMNS = [
    *EMPLOYEE_COLUMNS[:2],
    Column("position", "Position", "text", 24),
    Column("first_in", "Time in", "time", 8),
    Column("in_place", "Place (in)", "text", 18),
    Column("late_minutes", "Late (minutes)", "minutes", 8),
    Column("signature_in", "Signature", "text", 14),
    Column("last_out", "Time out", "time", 8),
    Column("out_place", "Place (out)", "text", 18),
    Column("early_minutes", "Left early (minutes)", "minutes", 8),
    Column("signature_out", "Signature", "text", 14),
    Column("status", "Status", "status_code", 12),
]
SIGNATURES = ["Checked by", "Head of unit"]

_in, _out = aliased(Punch, name="first_in"), aliased(Punch, name="last_out")
_in_site, _out_site = aliased(Site, name="in_site"), aliased(Site, name="out_site")
_in_device, _out_device = aliased(Device, name="in_device"), aliased(Device, name="out_device")


def _place(punch, site, device):
    """Where a punch was made: the terminal's name, else the geofenced site, else the phone's place label."""
    return func.coalesce(device.name, site.name, func.nullif(punch.place_label, ""), punch.source)


def check(filters: Filters) -> None:
    """422 `report_needs_one_day` for a period of more than one day."""
    if filters.start != filters.end:
        raise InvalidInput("The daily record is for one day: give from (and to) as the same date.",
                           code="report_needs_one_day")


def build(*, session: Session, viewer: Employee, filters: Filters, settings: Settings,
          scope: Scope) -> ReportTable:
    """The record of one day (`from` = `to`) for everyone in the unit the viewer may see."""
    query = (select(Employee.code, Employee.name_th, Employee.position_title, AttendanceDay.status,
                    AttendanceDay.first_in_at, AttendanceDay.last_out_at, AttendanceDay.late_minutes,
                    AttendanceDay.early_minutes, AttendanceDay.late, AttendanceDay.left_early,
                    _place(_in, _in_site, _in_device).label("in_place"),
                    _place(_out, _out_site, _out_device).label("out_place"))
             .join(AttendanceDay, AttendanceDay.employee_id == Employee.id)
             .outerjoin(UNIT, UNIT.id == Employee.unit_id)
             .outerjoin(_in, _in.id == AttendanceDay.first_in_punch_id)
             .outerjoin(_in_site, _in_site.id == _in.site_id).outerjoin(_in_device, _in_device.id == _in.device_id)
             .outerjoin(_out, _out.id == AttendanceDay.last_out_punch_id)
             .outerjoin(_out_site, _out_site.id == _out.site_id)
             .outerjoin(_out_device, _out_device.id == _out.device_id)
             .where(Employee.id.in_(scope.employee_ids), AttendanceDay.day == filters.start)
             .order_by(func.coalesce(UNIT.name_th, ""), Employee.code))
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(settings.timezone)
    rows = [{
        "employee_code": r.code, "employee_name": r.name_th, "position": r.position_title,
        "first_in": r.first_in_at.astimezone(tz).time().replace(second=0, microsecond=0) if r.first_in_at else None,
        "in_place": r.in_place if r.first_in_at else None,
        "late_minutes": r.late_minutes if r.late else None, "signature_in": "",
        "last_out": r.last_out_at.astimezone(tz).time().replace(second=0, microsecond=0) if r.last_out_at else None,
        "out_place": r.out_place if r.last_out_at else None,
        "early_minutes": r.early_minutes if r.left_early else None, "signature_out": "", "status": r.status,
    } for r in session.execute(query)]
    return ReportTable(name=NAME, title=TITLE, filters=filters, columns=COLUMNS, rows=rows,
                       signatures=SIGNATURES, organisation=settings.organisation_name)
