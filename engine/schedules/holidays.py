"""Import public holidays from CSV or iCalendar, upserting one row per day.

CSV: UTF-8 (BOM optional), header `date,name_th,name_en` (`name_en` optional), ISO dates
(2026-04-13). Lines starting with `#` are comments.

iCalendar (.ics): every all-day VEVENT becomes a holiday on each day it covers (DTEND is
exclusive, as the standard says). SUMMARY is the name: it goes to `name_th`, and also to
`name_en` when it has no Thai letters. Two events on the same day are joined as
"A / B". Cancelled events are skipped; timed events and repeating (RRULE) events are
reported as bad, because a holiday list should name each year's dates.

An import adds and renames days; it never deletes a holiday the file does not mention, and
an empty English name keeps the English name the day already has.

As with employees, every bad line is reported and nothing is written if there is one.
A clean file is written and committed in one transaction (not on a dry run).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.file_import import FileImportReport, LineProblem, Source, UnreadableFile, csv_records, read_text
from engine.models import Holiday

MAX_EVENT_DAYS = 31  # longer "holidays" are almost always a mistake (a term, a season)
_NAME_MAX = 255
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_THAI = re.compile(r"[\u0E00-\u0E7F]")


@dataclass
class HolidayImportReport(FileImportReport):
    """What a holiday import found and did (or, on a dry run, would do)."""

    days: int = 0


@dataclass(frozen=True)
class _Named:
    name_th: str
    name_en: str


def import_holidays_file(*, session: Session, path_or_file: Source, dry_run: bool = False) -> HolidayImportReport:
    """Import a holiday file, telling iCalendar from CSV by its content; commits."""
    return _import(session, path_or_file, dry_run, kind=None)


def import_holidays_csv(*, session: Session, path_or_file: Source, dry_run: bool = False) -> HolidayImportReport:
    """Import holidays from a `date,name_th,name_en` CSV file; commits."""
    return _import(session, path_or_file, dry_run, kind="csv")


def import_holidays_ics(*, session: Session, path_or_file: Source, dry_run: bool = False) -> HolidayImportReport:
    """Import holidays from the all-day events of an iCalendar file; commits."""
    return _import(session, path_or_file, dry_run, kind="ics")


def _import(session: Session, source: Source, dry_run: bool, kind: str | None) -> HolidayImportReport:
    report = HolidayImportReport(dry_run=dry_run)
    try:
        text = read_text(source)
    except UnreadableFile as exc:
        report.problems.append(exc.problem)
        return report
    if kind is None:
        kind = "ics" if text.lstrip().upper().startswith("BEGIN:VCALENDAR") else "csv"
    holidays, report.problems = _parse_ics(text) if kind == "ics" else _parse_csv(text)
    report.problems.sort(key=lambda p: p.line)
    report.days = len(holidays)
    existing = {h.day: h for h in session.scalars(select(Holiday).where(Holiday.day.in_(list(holidays))))} \
        if holidays else {}
    report.created = sum(1 for day in holidays if day not in existing)
    report.updated = len(holidays) - report.created
    if report.problems or dry_run:
        return report
    for day, named in sorted(holidays.items()):
        holiday = existing.get(day)
        if holiday is None:
            session.add(Holiday(day=day, name_th=named.name_th, name_en=named.name_en))
        else:
            holiday.name_th = named.name_th
            # A Thai-only source (most .ics feeds) must not erase an English name imported earlier.
            holiday.name_en = named.name_en or holiday.name_en
    session.commit()
    return report


def _parse_csv(text: str) -> tuple[dict[date, _Named], list[LineProblem]]:
    records = csv_records(text, comment_prefix="#")
    if not records:
        return {}, [LineProblem(1, "the file is empty (a header line is required)")]
    header = [name.lower() for name in records[0].fields]
    if header not in (["date", "name_th", "name_en"], ["date", "name_th"]):
        return {}, [LineProblem(records[0].line, "the header must be date,name_th,name_en")]

    holidays: dict[date, _Named] = {}
    first_line: dict[date, int] = {}
    problems: list[LineProblem] = []
    for record in records[1:]:
        line = record.line
        if len(record.fields) != len(header):
            problems.append(LineProblem(line, f"expected {len(header)} fields, found {len(record.fields)}"))
            continue
        raw = dict(zip(header, record.fields))
        day = _iso_date(raw["date"])
        if day is None:
            problems.append(LineProblem(line, f"bad date '{raw['date']}' (use YYYY-MM-DD)"))
        name_th, name_en = raw["name_th"], raw.get("name_en", "")
        if not name_th:
            problems.append(LineProblem(line, "missing required field 'name_th'"))
        if len(name_th) > _NAME_MAX or len(name_en) > _NAME_MAX:
            problems.append(LineProblem(line, f"name is longer than {_NAME_MAX} characters"))
        if day is None:
            continue
        if day in first_line:
            problems.append(LineProblem(line, f"duplicate date {day} (first on line {first_line[day]})"))
            continue
        first_line[day] = line
        holidays[day] = _Named(name_th, name_en)
    return holidays, problems


def _iso_date(value: str) -> date | None:
    if not _ISO_DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _parse_ics(text: str) -> tuple[dict[date, _Named], list[LineProblem]]:
    from icalendar import Calendar  # imported here: only the .ics path needs it

    try:
        calendar = Calendar.from_ical(text)
    except Exception as exc:  # icalendar raises several exception types on malformed input
        return {}, [LineProblem(1, f"not a valid iCalendar file: {exc}")]
    # icalendar keeps no line numbers; the n-th VEVENT is the one at the n-th BEGIN:VEVENT line.
    begin_lines = [n for n, ln in enumerate(text.splitlines(), start=1) if ln.strip().upper() == "BEGIN:VEVENT"]
    names: dict[date, list[str]] = {}
    problems: list[LineProblem] = []
    for index, event in enumerate(calendar.walk("VEVENT")):
        line = begin_lines[index] if index < len(begin_lines) else 1
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        try:
            days, problem = _event_days(event)
        except Exception as exc:  # a malformed date surfaces only when `.dt` is read
            days, problem = [], f"bad date in event: {exc}"
        summary = str(event.get("SUMMARY", "")).strip()
        if problem is None and not summary:
            problem = "event has no SUMMARY"
        if problem is None and len(summary) > _NAME_MAX:
            problem = f"SUMMARY is longer than {_NAME_MAX} characters"
        if problem is not None:
            problems.append(LineProblem(line, problem))
            continue
        for day in days:
            if summary not in names.setdefault(day, []):
                names[day].append(summary)

    holidays: dict[date, _Named] = {}
    for day, summaries in names.items():
        name = " / ".join(summaries)[:_NAME_MAX]
        holidays[day] = _Named(name, "" if _THAI.search(name) else name)
    return holidays, problems


def _event_days(event) -> tuple[list[date], str | None]:
    if "RRULE" in event:
        return [], "repeating events (RRULE) are not supported; list each holiday's date"
    if "DTSTART" not in event:
        return [], "event has no DTSTART"
    start = event["DTSTART"].dt
    if isinstance(start, datetime):
        return [], "not an all-day event (DTSTART has a time)"
    if "DTEND" in event:
        end = event["DTEND"].dt
        if isinstance(end, datetime):
            return [], "not an all-day event (DTEND has a time)"
    elif "DURATION" in event:
        end = start + event["DURATION"].dt
    else:
        end = start + timedelta(days=1)
    span = (end - start).days
    if span == 0:  # some calendar apps write DTEND = DTSTART for a one-day event
        span = 1
    if span < 1:
        return [], "event ends before it starts"
    if span > MAX_EVENT_DAYS:
        return [], f"event spans {span} days (more than {MAX_EVENT_DAYS})"
    return [start + timedelta(days=i) for i in range(span)], None
