"""Import employees from a CSV file: check the whole file, then create or update by code.

The file is UTF-8 (with or without a BOM, as Excel's "CSV UTF-8" writes it). Line 1 is a
header naming the columns, in any order:

- `code` (required): digits only, e.g. 10151 or 100059150; employees are matched by it.
- `name_th` (required): Thai name.
- `name_en`: English name.
- `email`: a single address, stored lower-case, unique across the directory.
- `position_title`: e.g. นักวิเคราะห์นโยบายและแผนชำนาญการ.
- `unit_code` (required): code of an existing org unit.
- `supervisor_code`: code of the direct supervisor, in this file or already in the
  directory; empty means no supervisor.
- `active`: true/false/1/0 (any case); empty means true.
- `roles`: `;`-separated, from employee/hr/admin/analyst/device_admin. `employee` is implied
  for everyone and is not stored. The listed roles replace the employee's current ones.

A column missing from the header leaves that attribute untouched on existing employees
(and at its default on new ones); an empty cell in a present column clears it.

Every bad row is reported as a `LineProblem` (physical line, reason). If any row is bad,
nothing is written. A clean file is written and committed in one transaction (not on a dry run).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.accounts.revocation import end_all_sign_ins
from engine.directory.employee_rows import EmployeeRow, parse_row, read_header
from engine.file_import import FileImportReport, LineProblem, Source, UnreadableFile, csv_records, read_text
from engine.models import Employee, EmployeeRole, OrgUnit
from engine.terminals.enrollment import employee_deactivated

# progress(stage, done, total); stage is "check" or "write".
Progress = Callable[[str, int, int], None]

_PROGRESS_EVERY = 200
_CHUNK = 500


@dataclass
class ImportReport(FileImportReport):
    """What an employee import found and did (or, on a dry run, would do)."""

    rows: int = 0


@dataclass
class _Directory:
    """The part of the database the checks need, read once."""

    unit_ids: dict[str, int]
    employee_ids: dict[str, int]
    supervisor_of: dict[str, str | None]
    email_owner: dict[str, str]


def import_employees_csv(*, session: Session, path_or_file: Source, dry_run: bool = False,
                         progress: Progress | None = None) -> ImportReport:
    """Check every row of an employee CSV, then create or update employees by code unless any row is bad; commits."""
    report = ImportReport(dry_run=dry_run)
    try:
        records = csv_records(read_text(path_or_file))
    except UnreadableFile as exc:
        report.problems.append(exc.problem)
        return report
    if not records:
        report.problems.append(LineProblem(1, "the file is empty (a header line is required)"))
        return report

    columns, problems = read_header(records[0])
    if problems:
        report.problems = problems
        return report

    rows: list[EmployeeRow] = []
    total = len(records) - 1
    for done, record in enumerate(records[1:], start=1):
        row, row_problems = parse_row(record, columns)
        rows.append(row)
        report.problems.extend(row_problems)
        if progress and (done % _PROGRESS_EVERY == 0 or done == total):
            progress("check", done, total)
    report.rows = len(rows)

    directory = _read_directory(session)
    report.problems.extend(_cross_row_problems(rows, directory))
    report.problems.sort(key=lambda p: p.line)
    report.created = sum(1 for r in rows if r.code and r.code not in directory.employee_ids)
    report.updated = sum(1 for r in rows if r.code and r.code in directory.employee_ids)
    if report.problems or dry_run:
        return report
    _write(session, rows, directory, progress)
    session.commit()
    return report


def _read_directory(session: Session) -> _Directory:
    unit_ids = {code: id_ for code, id_ in session.execute(select(OrgUnit.code, OrgUnit.id))}
    people = session.execute(select(Employee.id, Employee.code, Employee.email, Employee.supervisor_id)).all()
    code_of = {p.id: p.code for p in people}
    return _Directory(
        unit_ids=unit_ids,
        employee_ids={p.code: p.id for p in people},
        supervisor_of={p.code: code_of.get(p.supervisor_id) for p in people},
        email_owner={p.email.lower(): p.code for p in people if p.email},
    )


def _cross_row_problems(rows: list[EmployeeRow], directory: _Directory) -> list[LineProblem]:
    problems: list[LineProblem] = []
    first_line_of_code: dict[str, int] = {}
    first_line_of_email: dict[str, int] = {}
    for row in rows:
        _note_repeat(problems, first_line_of_code, row.code, row.line, "code")
        unit = row.values.get("unit_code")
        if unit and unit not in directory.unit_ids:
            problems.append(LineProblem(row.line, f"unknown unit '{unit}'"))
        _note_repeat(problems, first_line_of_email, row.email, row.line, "email")
    file_codes = set(first_line_of_code)

    for row in rows:
        email = row.email
        owner = directory.email_owner.get(email) if email else None
        # The owner's own row in this file may give them a new address, freeing this one.
        if owner and owner != row.code and owner not in file_codes:
            problems.append(LineProblem(row.line, f"duplicate email {email} (already used by employee {owner})"))
        supervisor = row.supervisor_code
        if supervisor and supervisor not in file_codes and supervisor not in directory.employee_ids:
            problems.append(LineProblem(
                row.line, f"supervisor {supervisor} is neither in the file nor in the directory"))
        if supervisor and supervisor == row.code:
            problems.append(LineProblem(row.line, f"loop in reporting line: {row.code} is their own supervisor"))

    problems.extend(_loop_problems(rows, directory, first_line_of_code))
    return problems


def _note_repeat(problems: list[LineProblem], first_line_of: dict[str, int], value: str, line: int, what: str) -> None:
    """Remember the first line of `value`; a later line with the same value is a problem."""
    if not value:
        return
    if value in first_line_of:
        problems.append(LineProblem(line, f"duplicate {what} {value} (first on line {first_line_of[value]})"))
    else:
        first_line_of[value] = line


def _loop_problems(rows: list[EmployeeRow], directory: _Directory,
                   first_line_of_code: dict[str, int]) -> list[LineProblem]:
    """Rows whose reporting line, after the import, would come back to them."""
    supervisor_of = dict(directory.supervisor_of)
    for row in rows:
        if row.code and first_line_of_code[row.code] == row.line and "supervisor_code" in row.values:
            supervisor_of[row.code] = row.supervisor_code
    problems: list[LineProblem] = []
    finished: set[str] = set()
    for start in first_line_of_code:
        path: list[str] = []
        on_path: dict[str, int] = {}
        code: str | None = start
        while code is not None and code not in finished and code not in on_path:
            on_path[code] = len(path)
            path.append(code)
            code = supervisor_of.get(code)
        if code is not None and code in on_path:
            cycle = path[on_path[code]:]
            if len(cycle) > 1:  # self-supervision is reported on its own
                for member in cycle:
                    if member in first_line_of_code:
                        at = cycle.index(member)
                        chain = " → ".join(cycle[at:] + cycle[:at] + [member])
                        problems.append(LineProblem(first_line_of_code[member], f"loop in reporting line: {chain}"))
        finished.update(path)
    return problems


def _write(session: Session, rows: list[EmployeeRow], directory: _Directory, progress: Progress | None) -> None:
    existing: dict[str, Employee] = {}
    codes = [r.code for r in rows]
    for i in range(0, len(codes), _CHUNK):
        chunk = codes[i:i + _CHUNK]
        existing.update((e.code, e) for e in session.scalars(select(Employee).where(Employee.code.in_(chunk))))

    # Free every address that changes hands first: the unique index is checked per statement.
    moving = [e for r in rows if (e := existing.get(r.code)) and "email" in r.values and e.email != r.email]
    for employee in moving:
        employee.email = None
    if moving:
        session.flush()

    by_code: dict[str, Employee] = {}
    deactivated: list[Employee] = []
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        employee = existing.get(row.code)
        was_active = employee is not None and employee.active
        if employee is None:
            employee = Employee(code=row.code, name_en="", position_title="", active=True)
            session.add(employee)
        _apply(employee, row, directory)
        if was_active and not employee.active:
            deactivated.append(employee)
        by_code[row.code] = employee
        if progress and (done % _PROGRESS_EVERY == 0 or done == total):
            progress("write", done, total)
    session.flush()

    for row in rows:
        if "supervisor_code" in row.values:
            supervisor = row.supervisor_code
            if supervisor is None:
                by_code[row.code].supervisor_id = None
            elif supervisor in by_code:
                by_code[row.code].supervisor_id = by_code[supervisor].id
            else:
                by_code[row.code].supervisor_id = directory.employee_ids[supervisor]
    session.flush()
    for employee in deactivated:  # take them off the face terminals they are enrolled on, and sign them out
        employee_deactivated(session=session, employee=employee)
        end_all_sign_ins(session=session, employee_id=employee.id, reason="deactivated")
    session.flush()


def _apply(employee: Employee, row: EmployeeRow, directory: _Directory) -> None:
    values = row.values
    for name in ("name_th", "name_en", "email", "position_title", "active"):
        if name in values:
            setattr(employee, name, values[name])
    employee.unit_id = directory.unit_ids[values["unit_code"]]
    if "roles" in values:
        wanted = set(values["roles"]) - {"employee"}
        for role_row in list(employee.role_rows):
            if role_row.role not in wanted:
                employee.role_rows.remove(role_row)
        held = {r.role for r in employee.role_rows}
        for role in sorted(wanted - held):
            employee.role_rows.append(EmployeeRole(role=role))
