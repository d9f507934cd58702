"""Hand-made `ReportTable`s for the formats, the report jobs and the report screen (no report query needed)."""
from __future__ import annotations

import calendar
from datetime import date, datetime, time, timezone
from decimal import Decimal

from engine.reports.table import Column, Filters, ReportTable

ORGANISATION = "สำนักงานปลัดกระทรวงพาณิชย์"
THAI_NAMES = ("สมชาย ใจดี", "สมหญิง รักงาน", "ประเสริฐ มั่นคง", "วิภา แสงทอง")
OCTOBER_2021 = Filters(start=date(2021, 10, 1), end=date(2021, 10, 31), unit_code="MOC-OPS")


def overtime_table(rows: int = 3) -> ReportTable:
    """An overtime-like report: text, date, time, datetime, hours, money and status columns, with totals."""
    columns = [
        Column("employee_code", "Employee code", "text", 10),
        Column("employee_name", "Name", "text", 22),
        Column("work_date", "Date", "date", 11),
        Column("planned_start", "Start", "time", 7),
        Column("decided_at", "Decided at", "datetime", 16),
        Column("actual_hours", "Actual hours", "hours", 9),
        Column("late_minutes", "Late minutes", "minutes", 8),
        Column("amount", "Amount (baht)", "money", 11),
        Column("status", "Status", "status_code", 8),
    ]
    body = []
    for number in range(rows):
        body.append({
            "employee_code": f"{100059150 + number}",
            "employee_name": THAI_NAMES[number % len(THAI_NAMES)],
            "work_date": date(2021, 10, 1 + number % 31),
            "planned_start": time(16, 30),
            "decided_at": datetime(2021, 10, 1 + number % 31, 10, 5, tzinfo=timezone.utc),
            "actual_hours": Decimal("3.50"),
            "late_minutes": 12,
            "amount": Decimal("1175.00"),
            "status": "อ",
        })
    totals = {"employee_name": "รวม", "actual_hours": Decimal("3.50") * rows, "amount": Decimal("1175.00") * rows}
    return ReportTable(name="overtime", title="Overtime report", filters=OCTOBER_2021, columns=columns,
                       rows=body, totals=totals, legend=[("อ", "Approved"), ("ร", "Pending")],
                       signatures=["Certifier", "Head of unit"], organisation=ORGANISATION)


def grid_table(employees: int, *, year: int = 2021, month: int = 10) -> ReportTable:
    """An attendance-grid-like report: one row per employee, one status-code column per day, with a legend."""
    days = calendar.monthrange(year, month)[1]
    codes = ("ม", "ส", "ข", "ล", "น", "ห")
    columns = [Column("employee_code", "Employee code", "text", 10), Column("employee_name", "Name", "text", 22)]
    columns += [Column(f"d{day}", str(day), "status_code", 3) for day in range(1, days + 1)]
    columns += [Column("late_minutes", "Late minutes", "minutes", 6)]
    rows = []
    for number in range(employees):
        row = {"employee_code": f"{100000000 + number}", "employee_name": THAI_NAMES[number % len(THAI_NAMES)],
               "late_minutes": number % 17}
        row.update({f"d{day}": codes[(number + day) % len(codes)] for day in range(1, days + 1)})
        rows.append(row)
    return ReportTable(name="attendance-grid", title="Monthly attendance grid",
                       filters=Filters(start=date(year, month, 1), end=date(year, month, days)),
                       columns=columns, rows=rows,
                       legend=[("ม", "Present"), ("ส", "Late"), ("ข", "Absent"), ("ล", "Leave"), ("น", "Off-site"),
                               ("ห", "Holiday")],
                       organisation=ORGANISATION)


# --- fixture reports served through the registry (the API, the jobs and the screens find them by name) ---

FIXTURE_GRID = "fixture-grid"
FIXTURE_OVERTIME = "fixture-overtime"
FIXTURE_GRID_EMPLOYEES = 300


def _fixture_grid(*, session, viewer, filters, settings, scope) -> ReportTable:
    """The grid for hr and admin only, as a real report refuses people outside its audience."""
    from engine.errors import Forbidden

    if not viewer.roles & {"hr", "admin"}:
        raise Forbidden("This report is for hr and admin.", code="report_forbidden")
    table = grid_table(FIXTURE_GRID_EMPLOYEES, year=filters.start.year, month=filters.start.month)
    table.name, table.filters = FIXTURE_GRID, filters
    return table


def _fixture_overtime(*, session, viewer, filters, settings, scope) -> ReportTable:
    table = overtime_table(rows=120 if filters.employee_code is None else 2)
    table.name, table.filters = FIXTURE_OVERTIME, filters
    return table


def register_fixture_reports() -> None:
    """Serve the fixture grid (a month) and overtime list (a range, with statuses) under their names."""
    from types import SimpleNamespace

    from engine.reports.registry import REPORTS

    statuses = ("pending", "returned", "approved", "rejected", "cancelled")
    REPORTS[FIXTURE_GRID] = SimpleNamespace(NAME=FIXTURE_GRID, TITLE="Monthly attendance grid", STATUSES=(),
                                            PERIOD="month", READS_DAYS=False,
                                            build=_fixture_grid)
    REPORTS[FIXTURE_OVERTIME] = SimpleNamespace(NAME=FIXTURE_OVERTIME, TITLE="Overtime report", STATUSES=statuses,
                                                PERIOD="range", READS_DAYS=False,
                                                build=_fixture_overtime)


def unregister_fixture_reports() -> None:
    from engine.reports.registry import REPORTS

    REPORTS.pop(FIXTURE_GRID, None)
    REPORTS.pop(FIXTURE_OVERTIME, None)
