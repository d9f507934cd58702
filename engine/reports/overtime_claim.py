"""The overtime claim form (หลักฐานการเบิกจ่ายเงินค่าตอบแทนการปฏิบัติงานนอกเวลาราชการ) of a unit for a month:
per person, approved overtime hours paid on working days and on days off, the amounts (capped per day,
`overtime_pay`), the total, and room to sign; a certifier signs under it."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from engine.config import Settings
from engine.errors import InvalidInput
from engine.models import Employee
from engine.reports.overtime import approved_days
from engine.reports.people import UNIT
from engine.reports.scope import Scope
from engine.reports.table import Column, Filters, ReportTable

NAME = "overtime-claim"
TITLE = "Overtime pay claim form"
STATUSES = ()
COLUMNS = [
    Column("number", "No.", "integer", 5),
    Column("employee_name", "Name", "text", 28),
    Column("position", "Position", "text", 26),
    Column("workday_hours", "Hours on working days", "hours", 9),
    Column("workday_amount", "Amount, working days (baht)", "money", 11),
    Column("holiday_hours", "Hours on days off", "hours", 9),
    Column("holiday_amount", "Amount, days off (baht)", "money", 11),
    Column("amount", "Total (baht)", "money", 11),
    Column("signature", "Signature of the claimant", "text", 18),
]
SIGNATURES = ["I certify that the persons above worked outside office hours as claimed", "Approved by"]


def check(filters: Filters) -> None:
    """422 `report_needs_month` for a period that is not one whole month."""
    if filters.start.day != 1 or (filters.end + _one_day()).day != 1 or filters.start.month != filters.end.month:
        raise InvalidInput("The overtime claim is for one month: give month=YYYY-MM.", code="report_needs_month")


def build(*, session: Session, viewer: Employee, filters: Filters, settings: Settings,
          scope: Scope) -> ReportTable:
    """The claim for one whole month (`month=YYYY-MM`)."""
    day, amount = approved_days(scope.employee_ids, filters, settings)
    workday = day.c.day_kind == "workday"
    query = (select(Employee.code, Employee.name_th, Employee.position_title,
                    func.sum(case((workday, day.c.payable_hours), else_=0)).label("workday_hours"),
                    func.sum(case((workday, amount), else_=0)).label("workday_amount"),
                    func.sum(case((workday, 0), else_=day.c.payable_hours)).label("holiday_hours"),
                    func.sum(case((workday, 0), else_=amount)).label("holiday_amount"))
             .join(day, day.c.employee_id == Employee.id).outerjoin(UNIT, UNIT.id == Employee.unit_id)
             .group_by(Employee.code, Employee.name_th, Employee.position_title, UNIT.name_th)
             .having(func.sum(day.c.payable_hours) > 0)
             .order_by(func.coalesce(UNIT.name_th, ""), Employee.code))
    rows, totals = [], {key: Decimal("0.00") for key in ("workday_hours", "workday_amount", "holiday_hours",
                                                        "holiday_amount", "amount")}
    for number, r in enumerate(session.execute(query), start=1):
        row = {"number": number, "employee_name": r.name_th, "position": r.position_title,
               "workday_hours": _money(r.workday_hours), "workday_amount": _money(r.workday_amount),
               "holiday_hours": _money(r.holiday_hours), "holiday_amount": _money(r.holiday_amount),
               "signature": ""}
        row["amount"] = row["workday_amount"] + row["holiday_amount"]
        rows.append(row)
        for key in totals:
            totals[key] += row[key]
    return ReportTable(name=NAME, title=TITLE, filters=filters, columns=COLUMNS, rows=rows, totals=totals,
                       signatures=SIGNATURES, organisation=settings.organisation_name)


def _money(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def _one_day():
    from datetime import timedelta

    return timedelta(days=1)
