"""Every report's figures for June 2026 against the hand count in tests/support/report_month.py."""
from datetime import date, time, timezone, datetime
from decimal import Decimal

import pytest

from engine.errors import InvalidInput
from engine.reports.filters import parse_filters
from engine.reports.registry import build_report
from tests.support.report_month import EMPLOYEE

TODAY = date(2026, 12, 1)


def _build(people, settings, name, viewer="hr", **filters):
    filters.setdefault("month", "2026-06") if "start" not in filters else None
    return build_report(name=name, session=people["session"], viewer=people[viewer],
                        filters=parse_filters(today=TODAY, **filters), settings=settings)


def _row(table, code=EMPLOYEE):
    [row] = [r for r in table.rows if r["employee_code"] == code]
    return row


def test_attendance_summary(june, people, settings):
    table = _build(people, settings, "attendance-summary")
    assert {k: v for k, v in _row(table).items() if k not in ("employee_code", "employee_name", "unit")} == {
        "working_days": 21, "present": 19, "late": 2, "late_minutes": 20, "left_early": 1, "early_minutes": 30,
        "absent": 1, "incomplete": 2, "holidays": 1, "offsite_days": 2, "overtime_hours": Decimal("10.00"),
        "rejected_selfies": 1}
    # Nine others with no punch at all: absent every working day.
    assert len(table.rows) == 10
    assert _row(table, "100059151")["absent"] == 21 and _row(table, "100059151")["present"] == 0
    ict, ops = "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร", "สำนักงานปลัดกระทรวงพาณิชย์"
    assert table.group_by == "unit" and set(table.group_totals) == {ict, ops}
    assert table.group_totals[ict]["absent"] == 1 + 8 * 21 and table.group_totals[ops]["absent"] == 21
    assert table.totals["working_days"] == 210 and table.totals["present"] == 19
    assert table.totals["overtime_hours"] == Decimal("10.00")


def test_attendance_grid(june, people, settings):
    table = _build(people, settings, "attendance-grid")
    row = _row(table)
    assert "".join(row[f"d{n:02d}"] for n in range(1, 31)) == (
        "มสหกข--คคมมม--นนสมม--มมมมม--มม")
    assert [c.heading for c in table.columns[3:6]] == ["1", "2", "3"] and len(table.columns) == 3 + 30
    assert ("ข", "Absent") in table.legend and ("ห", "Public holiday") in table.legend
    with pytest.raises(InvalidInput) as refused:
        _build(people, settings, "attendance-grid", month=None, start=date(2026, 6, 1), end=date(2026, 7, 15))
    assert refused.value.code == "range_too_long"


def test_overtime(june, people, settings):
    table = _build(people, settings, "overtime")
    by_id = {row["request_id"]: row for row in table.rows}
    holiday, midnight = by_id[june.overtime_holiday], by_id[june.overtime_midnight]
    assert (holiday["day_kind"], holiday["planned_hours"], holiday["worked_hours"], holiday["payable_hours"],
            holiday["amount"]) == ("holiday", Decimal("4.00"), Decimal("4.00"), Decimal("4.00"), Decimal("240.00"))
    # Worked 17:00–23:00 of the plan, the OUT at 01:30 next morning; capped at 4 hours on a working day.
    assert (midnight["worked_hours"], midnight["payable_hours"], midnight["amount"]) == (
        Decimal("6.00"), Decimal("4.00"), Decimal("200.00"))
    assert midnight["decided_by"] and midnight["status"] == "approved"
    pending, rejected = by_id[june.overtime_pending], by_id[june.overtime_rejected]
    assert (pending["status"], pending["worked_hours"], pending["amount"], pending["decided_by"]) == (
        "pending", Decimal("2.00"), Decimal("0.00"), None)
    assert rejected["status"] == "rejected" and rejected["decided_by"] == "นางสาวพิมพ์ชนก ใจดี"
    assert table.group_totals[EMPLOYEE]["amount"] == Decimal("440.00")
    assert table.group_totals[EMPLOYEE]["worked_hours"] == Decimal("10.00")
    assert table.totals["payable_hours"] == Decimal("8.00")
    only_approved = _build(people, settings, "overtime", status="approved")
    assert {row["request_id"] for row in only_approved.rows} == {june.overtime_holiday, june.overtime_midnight}


def test_overtime_rates_and_caps_are_settings(june, people, settings):
    generous = type(settings)(**{**settings.__dict__, "overtime_rate_workday": 80.0, "overtime_cap_workday_hours": 6,
                                 "overtime_whole_hours": False})
    table = _build(people, generous, "overtime")
    midnight = next(row for row in table.rows if row["request_id"] == june.overtime_midnight)
    assert (midnight["payable_hours"], midnight["amount"]) == (Decimal("6.00"), Decimal("480.00"))


def test_overtime_claim(june, people, settings):
    table = _build(people, settings, "overtime-claim", unit_code="ICT")
    [row] = table.rows
    assert (row["workday_hours"], row["workday_amount"], row["holiday_hours"], row["holiday_amount"], row["amount"]) \
        == (Decimal("4.00"), Decimal("200.00"), Decimal("4.00"), Decimal("240.00"), Decimal("440.00"))
    assert table.totals["amount"] == Decimal("440.00") and table.signatures
    with pytest.raises(InvalidInput) as refused:
        _build(people, settings, "overtime-claim", month=None, start=date(2026, 6, 1), end=date(2026, 6, 15))
    assert refused.value.code == "report_needs_month"


def test_offsite(june, people, settings):
    [row] = _build(people, settings, "offsite").rows
    assert (row["request_id"], row["days"], row["place"], row["status"], row["punches"]) == (
        june.offsite, 2, "กรมการค้าภายใน", "approved", 2)
    assert row["first_in"] == datetime(2026, 6, 16, 2, 30, tzinfo=timezone.utc)
    assert row["last_out"] == datetime(2026, 6, 16, 9, 30, tzinfo=timezone.utc)
    assert _build(people, settings, "offsite", status="rejected").rows == []


def test_missed_punch(june, people, settings):
    [row] = _build(people, settings, "missed-punch").rows
    assert (row["request_id"], row["punch_date"], row["punch_time"], row["direction"], row["reason_code"]) == (
        june.missed_punch, date(2026, 6, 10), time(8, 30), "in", "device_down")
    assert row["status"] == "approved" and row["punch_id"] == june.missed_punch_punch
    assert row["punch_at"] == datetime(2026, 6, 10, 1, 30, tzinfo=timezone.utc)


def test_daily_record(june, people, settings):
    table = _build(people, settings, "daily-record", month=None, start=date(2026, 6, 2), unit_code="ICT")
    row = _row(table)
    assert (row["first_in"], row["in_place"], row["late_minutes"], row["last_out"], row["early_minutes"]) == (
        time(9, 0), "MOC-OPS", 15, time(16, 40), None)
    assert len(table.rows) == 9 and table.signatures   # everyone in ICT, hr is in OPS
    early = _row(_build(people, settings, "daily-record", month=None, start=date(2026, 6, 4)))
    assert (early["late_minutes"], early["early_minutes"], early["status"]) == (None, 30, "left_early")
    with pytest.raises(InvalidInput) as refused:
        _build(people, settings, "daily-record")
    assert refused.value.code == "report_needs_one_day"


def test_a_unit_with_its_sub_units(june, people, settings):
    alone = _build(people, settings, "attendance-summary", unit_code="OPS")
    assert [r["employee_code"] for r in alone.rows] == [people["hr"].code]
    with_subunits = _build(people, settings, "attendance-summary", unit_code="OPS", include_subunits=True)
    assert len(with_subunits.rows) == 10


def test_a_supervisor_sees_their_line(june, people, settings):
    table = _build(people, settings, "attendance-summary", viewer="supervisor")
    assert {r["employee_code"] for r in table.rows} == {people[f"employee{n}"].code for n in range(1, 5)}
    director = _build(people, settings, "attendance-summary", viewer="director")
    assert len(director.rows) == 9   # everyone but themself
