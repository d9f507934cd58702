"""Holiday import from CSV and iCalendar, and the shipped Thai holiday lists."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine.models import Holiday
from engine.schedules.holidays import import_holidays_csv, import_holidays_file, import_holidays_ics

DATA = Path(__file__).resolve().parents[3] / "engine" / "schedules" / "data"


def holidays(session) -> dict[date, tuple[str, str]]:
    return {h.day: (h.name_th, h.name_en) for h in session.scalars(select(Holiday))}


def ics(tmp_path, *events: str) -> Path:
    body = "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//OPS-TA tests//EN", *events, "END:VCALENDAR"])
    path = tmp_path / "holidays.ics"
    path.write_text(body + "\r\n", encoding="utf-8")
    return path


def vevent(uid: str, *lines: str) -> str:
    return "\r\n".join(["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20260101T000000Z", *lines, "END:VEVENT"])


def test_csv_import_creates_then_renames_by_day(db_session, tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("date,name_th,name_en\n2026-01-01,วันขึ้นปีใหม่,New Year's Day\n2026-04-13,วันสงกรานต์,\n",
                    encoding="utf-8-sig")
    first = import_holidays_csv(session=db_session, path_or_file=path)
    path.write_text("date,name_th,name_en\n2026-04-13,วันสงกรานต์,Songkran Festival\n", encoding="utf-8")
    second = import_holidays_csv(session=db_session, path_or_file=path)

    assert (first.created, first.updated, second.created, second.updated) == (2, 0, 0, 1)
    assert holidays(db_session) == {
        date(2026, 1, 1): ("วันขึ้นปีใหม่", "New Year's Day"),
        date(2026, 4, 13): ("วันสงกรานต์", "Songkran Festival"),
    }


def test_csv_bad_lines_are_reported_and_nothing_is_written(db_session, tmp_path):
    path = tmp_path / "h.csv"
    path.write_text(
        "date,name_th,name_en\n"
        "# a comment keeps its line number\n"
        "2026-01-01,วันขึ้นปีใหม่,New Year's Day\n"
        "2026-02-30,วันไม่มีจริง,\n"
        "1/5/2026,วันแรงงาน,\n"
        "2026-01-01,ซ้ำ,\n"
        "2026-06-03,,Queen's Birthday\n"
        "2026-07-28,เกิน,ฟิลด์,มาก\n",
        encoding="utf-8",
    )
    report = import_holidays_csv(session=db_session, path_or_file=path)

    assert [(p.line, p.reason) for p in report.problems] == [
        (4, "bad date '2026-02-30' (use YYYY-MM-DD)"),
        (5, "bad date '1/5/2026' (use YYYY-MM-DD)"),
        (6, "duplicate date 2026-01-01 (first on line 3)"),
        (7, "missing required field 'name_th'"),
        (8, "expected 3 fields, found 4"),
    ]
    assert holidays(db_session) == {}


def test_csv_with_a_wrong_header(db_session, tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("day,name\n2026-01-01,x\n", encoding="utf-8")

    report = import_holidays_csv(session=db_session, path_or_file=path)

    assert [(p.line, p.reason) for p in report.problems] == [(1, "the header must be date,name_th,name_en")]


def test_dry_run_writes_nothing(db_session, tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("date,name_th\n2026-01-01,วันขึ้นปีใหม่\n", encoding="utf-8")

    report = import_holidays_csv(session=db_session, path_or_file=path, dry_run=True)

    assert report.ok and report.created == 1 and not report.written
    assert holidays(db_session) == {}


def test_ics_all_day_events_and_multi_day_expansion(db_session, tmp_path):
    path = ics(
        tmp_path,
        vevent("a", "DTSTART;VALUE=DATE:20260413", "DTEND;VALUE=DATE:20260416", "SUMMARY:วันสงกรานต์"),
        vevent("b", "DTSTART;VALUE=DATE:20261210", "SUMMARY:Constitution Day"),
        vevent("c", "DTSTART;VALUE=DATE:20261023", "DURATION:P1D", "SUMMARY:วันปิยมหาราช"),
        vevent("d", "DTSTART;VALUE=DATE:20261231", "DTEND;VALUE=DATE:20270101", "SUMMARY:ยกเลิก",
               "STATUS:CANCELLED"),
    )
    report = import_holidays_ics(session=db_session, path_or_file=path)

    assert report.ok, report.problems
    assert report.days == 5
    assert holidays(db_session) == {
        date(2026, 4, 13): ("วันสงกรานต์", ""),
        date(2026, 4, 14): ("วันสงกรานต์", ""),
        date(2026, 4, 15): ("วันสงกรานต์", ""),
        date(2026, 12, 10): ("Constitution Day", "Constitution Day"),
        date(2026, 10, 23): ("วันปิยมหาราช", ""),
    }


def test_a_thai_only_ics_keeps_english_names_from_an_earlier_csv(db_session, tmp_path):
    csv_path = tmp_path / "h.csv"
    csv_path.write_text("date,name_th,name_en\n2026-10-23,ปิยมหาราช,Chulalongkorn Day\n", encoding="utf-8")
    import_holidays_csv(session=db_session, path_or_file=csv_path)
    path = ics(tmp_path, vevent("a", "DTSTART;VALUE=DATE:20261023", "SUMMARY:วันปิยมหาราช"))

    report = import_holidays_ics(session=db_session, path_or_file=path)

    assert (report.created, report.updated) == (0, 1)
    assert holidays(db_session) == {date(2026, 10, 23): ("วันปิยมหาราช", "Chulalongkorn Day")}


def test_ics_events_on_the_same_day_are_joined(db_session, tmp_path):
    path = ics(
        tmp_path,
        vevent("a", "DTSTART;VALUE=DATE:20261205", "DTEND;VALUE=DATE:20261206", "SUMMARY:วันชาติ"),
        vevent("b", "DTSTART;VALUE=DATE:20261205", "SUMMARY:วันพ่อแห่งชาติ"),
    )
    import_holidays_ics(session=db_session, path_or_file=path)

    assert holidays(db_session) == {date(2026, 12, 5): ("วันชาติ / วันพ่อแห่งชาติ", "")}


def test_ics_bad_events_are_reported_at_their_begin_line(db_session, tmp_path):
    path = ics(
        tmp_path,
        vevent("ok", "DTSTART;VALUE=DATE:20260101", "SUMMARY:New Year"),                 # line 4
        vevent("timed", "DTSTART:20260102T090000Z", "SUMMARY:Meeting"),                 # line 10
        vevent("repeat", "DTSTART;VALUE=DATE:20260101", "RRULE:FREQ=YEARLY", "SUMMARY:New Year"),  # line 16
        vevent("nameless", "DTSTART;VALUE=DATE:20260103"),                                 # line 23
        vevent("long", "DTSTART;VALUE=DATE:20260101", "DTEND;VALUE=DATE:20260301", "SUMMARY:Term"),  # line 28
        vevent("backwards", "DTSTART;VALUE=DATE:20260105", "DTEND;VALUE=DATE:20260104", "SUMMARY:X"),  # line 35
    )
    report = import_holidays_ics(session=db_session, path_or_file=path)

    assert [(p.line, p.reason) for p in report.problems] == [
        (10, "not an all-day event (DTSTART has a time)"),
        (16, "repeating events (RRULE) are not supported; list each holiday's date"),
        (23, "event has no SUMMARY"),
        (28, "event spans 59 days (more than 31)"),
        (35, "event ends before it starts"),
    ]
    assert holidays(db_session) == {}


def test_ics_event_with_a_malformed_date(db_session, tmp_path):
    path = ics(tmp_path, vevent("x", "DTSTART;VALUE=DATE:2026013X", "SUMMARY:x"))

    report = import_holidays_ics(session=db_session, path_or_file=path)

    assert [p.line for p in report.problems] == [4]
    assert report.problems[0].reason.startswith("bad date in event")


def test_a_file_that_is_not_icalendar(db_session, tmp_path):
    path = tmp_path / "h.ics"
    path.write_text("BEGIN:VCALENDAR\r\nthis is not\r\n", encoding="utf-8")

    report = import_holidays_ics(session=db_session, path_or_file=path)

    assert not report.ok and report.problems[0].line == 1


@pytest.mark.parametrize("year", [2025, 2026])
def test_shipped_thai_holiday_lists_import_cleanly(db_session, year):
    report = import_holidays_file(session=db_session, path_or_file=DATA / f"th_public_holidays_{year}.csv")

    assert report.ok, report.problems
    days = holidays(db_session)
    assert days[date(year, 1, 1)] == ("วันขึ้นปีใหม่", "New Year's Day")
    assert {date(year, 4, 13), date(year, 4, 14), date(year, 4, 15), date(year, 12, 31)} <= set(days)
    assert all(d.year == year and name_th for d, (name_th, _) in days.items())


def test_import_file_tells_ics_from_csv_by_content(db_session, tmp_path):
    path = ics(tmp_path, vevent("a", "DTSTART;VALUE=DATE:20260101", "SUMMARY:วันขึ้นปีใหม่"))
    renamed = path.rename(tmp_path / "holidays.txt")

    report = import_holidays_file(session=db_session, path_or_file=renamed)

    assert report.ok and holidays(db_session) == {date(2026, 1, 1): ("วันขึ้นปีใหม่", "")}
