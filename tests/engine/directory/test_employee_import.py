"""Employee CSV import: create, update, every rejection reason with its line, all-or-nothing."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from engine.directory.importer import import_employees_csv
from engine.models import Employee

HEADER = "code,name_th,name_en,email,position_title,unit_code,supervisor_code,active,roles"


def write_csv(tmp_path, *rows: str, header: str = HEADER, bom: bool = False):
    path = tmp_path / "employees.csv"
    text = "\n".join([header, *rows]) + "\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def employee_count(session) -> int:
    return session.scalar(select(func.count(Employee.id)))


def by_code(session, code: str) -> Employee:
    return session.scalar(select(Employee).where(Employee.code == code))


def test_creates_employees_with_supervisors_defined_later_in_the_file(db_session, units, tmp_path):
    path = write_csv(
        tmp_path,
        "100059150,สมชาย ใจดี,Somchai Jaidee,Somchai@Example.go.th,นักวิชาการ,DIV,10151,true,hr;admin",
        "10151,สมหญิง รักงาน,Somying Rakngan,somying@example.go.th,ผู้อำนวยการกอง,DEP,,1,",
        "10152,มานี มีสุข,,,,DIV,10151,false,employee",
    )
    report = import_employees_csv(session=db_session, path_or_file=path)

    assert report.ok and report.written
    assert (report.rows, report.created, report.updated) == (3, 3, 0)
    somchai, somying, manee = (by_code(db_session, c) for c in ("100059150", "10151", "10152"))
    assert somchai.name_th == "สมชาย ใจดี" and somchai.email == "somchai@example.go.th"
    assert somchai.supervisor_id == somying.id and manee.supervisor_id == somying.id
    assert somying.supervisor_id is None
    assert somchai.unit_id == units["DIV"].id and somying.unit_id == units["DEP"].id
    assert somchai.roles == {"employee", "hr", "admin"}
    assert manee.roles == {"employee"} and manee.active is False and manee.email is None
    assert somchai.position_title == "นักวิชาการ"


def test_second_import_updates_by_code_and_replaces_roles(db_session, units, tmp_path):
    first = write_csv(
        tmp_path,
        "10151,สมหญิง,Somying,somying@example.go.th,ผู้อำนวยการ,DEP,,true,hr",
        "10152,มานี,Manee,manee@example.go.th,นักวิชาการ,DIV,10151,true,",
    )
    import_employees_csv(session=db_session, path_or_file=first)
    second = write_csv(
        tmp_path,
        "10152,มานี มีสุข,Manee Meesuk,manee@example.go.th,นักวิชาการชำนาญการ,DEP,,0,admin",
        "10151,สมหญิง,Somying,somying@example.go.th,ผู้อำนวยการ,DEP,10152,true,",
    )
    report = import_employees_csv(session=db_session, path_or_file=second)

    assert report.ok and (report.created, report.updated) == (0, 2)
    assert employee_count(db_session) == 2
    somying, manee = by_code(db_session, "10151"), by_code(db_session, "10152")
    assert manee.name_th == "มานี มีสุข" and manee.position_title == "นักวิชาการชำนาญการ"
    assert manee.unit_id == units["DEP"].id and manee.active is False and manee.supervisor_id is None
    assert manee.roles == {"employee", "admin"}
    assert somying.roles == {"employee"} and somying.supervisor_id == manee.id


def test_columns_missing_from_the_header_are_left_untouched(db_session, units, tmp_path):
    import_employees_csv(session=db_session, path_or_file=write_csv(
        tmp_path, "10151,สมหญิง,Somying,s@example.go.th,ผู้อำนวยการ,DEP,,true,hr"))
    report = import_employees_csv(session=db_session, path_or_file=write_csv(
        tmp_path, "10151,สมหญิง ใหม่,DIV", header="code,name_th,unit_code"))

    assert report.ok
    somying = by_code(db_session, "10151")
    assert somying.name_th == "สมหญิง ใหม่" and somying.unit_id == units["DIV"].id
    assert somying.roles == {"employee", "hr"} and somying.email == "s@example.go.th"
    assert somying.position_title == "ผู้อำนวยการ"


def test_emails_may_change_hands_within_one_import(db_session, units, add_employee, tmp_path):
    add_employee("1", unit=units["DIV"], email="a@example.go.th")
    add_employee("2", unit=units["DIV"], email="b@example.go.th")
    path = write_csv(tmp_path, "1,หนึ่ง,,b@example.go.th,,DIV,,,", "2,สอง,,a@example.go.th,,DIV,,,")

    report = import_employees_csv(session=db_session, path_or_file=path)

    assert report.ok, report.problems
    assert by_code(db_session, "1").email == "b@example.go.th"
    assert by_code(db_session, "2").email == "a@example.go.th"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (["10151,,Somying,,,DIV,,,"], [(2, "missing required field 'name_th'")]),
        (["10151,สมหญิง,,,,,,,"], [(2, "missing required field 'unit_code'")]),
        (["10151,สมหญิง,,,,DIV,,,", "10A52,มานี,,,,DIV,,,"], [(3, "code '10A52' is not digits only")]),
        (["๑๐๑๕๑,สมหญิง,,,,DIV,,,"], [(2, "code '๑๐๑๕๑' is not digits only")]),
        (["10151,ก,,,,DIV,,,", "10152,ข,,,,DIV,,,", "10151,ค,,,,DIV,,,"],
         [(4, "duplicate code 10151 (first on line 2)")]),
        (["10151,ก,,,,NOPE,,,"], [(2, "unknown unit 'NOPE'")]),
        (["10151,ก,,,,DIV,99999,,"], [(2, "supervisor 99999 is neither in the file nor in the directory")]),
        (["10151,ก,,,,DIV,10151,,"], [(2, "loop in reporting line: 10151 is their own supervisor")]),
        (["10151,ก,,,,DIV,10153,,", "10152,ข,,,,DIV,,,", "10153,ค,,,,DIV,10151,,"],
         [(2, "loop in reporting line: 10151 → 10153 → 10151"),
          (4, "loop in reporting line: 10153 → 10151 → 10153")]),
        (["10151,ก,,not-an-email,,DIV,,,"], [(2, "bad email 'not-an-email'")]),
        (["10151,ก,,a@example.go.th,,DIV,,,", "10152,ข,,A@Example.go.th,,DIV,,,"],
         [(3, "duplicate email a@example.go.th (first on line 2)")]),
        (["10151,ก,,,,DIV,,,superuser"],
         [(2, "unknown role 'superuser' (expected employee, hr, admin, analyst, device_admin)")]),
        (["10151,ก,,,,DIV,,yes,"], [(2, "bad active flag 'yes' (use true/false/1/0)")]),
        (["10151,ก,,,,DIV,"], [(2, "expected 9 fields, found 7")]),
        (["10151,ก,,,,DIV,1O2,,"], [(2, "supervisor code '1O2' is not digits only")]),
        (['10151,ก,,,"นัก\nวิชาการ",DIV,,,', "10152,ข,,,,XX,,,"], [(4, "unknown unit 'XX'")]),
    ],
    ids=["name", "unit-missing", "code", "thai-digits", "dup-code", "unknown-unit", "no-supervisor",
         "self", "loop", "email", "dup-email", "role", "active", "field-count", "supervisor-code",
         "multiline-field"],
)
def test_each_bad_row_is_reported_with_its_line_and_nothing_is_written(db_session, units, tmp_path, rows, expected):
    report = import_employees_csv(session=db_session, path_or_file=write_csv(tmp_path, *rows))

    assert [(p.line, p.reason) for p in report.problems] == expected
    assert not report.written
    assert employee_count(db_session) == 0


def test_one_bad_row_among_good_ones_blocks_the_whole_file(db_session, units, add_employee, tmp_path):
    existing = add_employee("10151", unit=units["DIV"])
    path = write_csv(tmp_path, "10151,เปลี่ยนชื่อ,,,,DIV,,,", "10152,ข,,,,DIV,,,", "10153,ค,,,,GONE,,,")

    report = import_employees_csv(session=db_session, path_or_file=path)

    assert [(p.line, p.reason) for p in report.problems] == [(4, "unknown unit 'GONE'")]
    db_session.expire_all()
    assert employee_count(db_session) == 1
    assert db_session.get(Employee, existing.id).name_th == "พนักงาน 10151"


def test_loop_through_existing_employees_is_rejected(db_session, units, add_employee, tmp_path):
    boss = add_employee("10151", unit=units["DIV"])
    add_employee("10152", unit=units["DIV"], supervisor=boss)
    path = write_csv(tmp_path, "10151,ก,,,,DIV,10152,,")

    report = import_employees_csv(session=db_session, path_or_file=path)

    assert [(p.line, p.reason) for p in report.problems] == [(2, "loop in reporting line: 10151 → 10152 → 10151")]


def test_reversing_a_reporting_line_in_one_file_is_not_a_loop(db_session, units, add_employee, tmp_path):
    boss = add_employee("10151", unit=units["DIV"])
    add_employee("10152", unit=units["DIV"], supervisor=boss)
    path = write_csv(tmp_path, "10151,ก,,,,DIV,10152,,", "10152,ข,,,,DIV,,,")

    report = import_employees_csv(session=db_session, path_or_file=path)

    assert report.ok, report.problems
    assert by_code(db_session, "10151").supervisor_id == by_code(db_session, "10152").id


def test_email_already_used_by_an_employee_outside_the_file(db_session, units, add_employee, tmp_path):
    add_employee("10151", unit=units["DIV"], email="taken@example.go.th")
    path = write_csv(tmp_path, "10152,ข,,taken@example.go.th,,DIV,,,")

    report = import_employees_csv(session=db_session, path_or_file=path)

    assert [(p.line, p.reason) for p in report.problems] == [
        (2, "duplicate email taken@example.go.th (already used by employee 10151)")]


def test_every_bad_row_is_reported_not_just_the_first(db_session, units, tmp_path):
    path = write_csv(tmp_path, "x,ก,,,,DIV,,,", "10152,ข,,,,DIV,,,", "10153,ค,,bad,,DIV,,maybe,")

    report = import_employees_csv(session=db_session, path_or_file=path)

    assert [p.line for p in report.problems] == [2, 4, 4]


def test_line_numbers_hold_for_excel_style_crlf_files_with_blank_lines(db_session, units, tmp_path):
    path = tmp_path / "employees.csv"
    path.write_bytes(f"{HEADER}\r\n10151,ก,,,,DIV,,,\r\n\r\n10152,ข,,,,XX,,,\r\n".encode())

    report = import_employees_csv(session=db_session, path_or_file=path)

    assert [(p.line, p.reason) for p in report.problems] == [(4, "unknown unit 'XX'")]


def test_header_problems_are_reported_on_line_1(db_session, units, tmp_path):
    path = write_csv(tmp_path, "10151,ก,DIV", header="code,name_th,unit,boss")

    report = import_employees_csv(session=db_session, path_or_file=path)

    reasons = [(p.line, p.reason) for p in report.problems]
    assert (1, "unknown column 'unit' (expected code, name_th, name_en, email, position_title, "
               "unit_code, supervisor_code, active, roles)") in reasons
    assert (1, "missing required column 'unit_code'") in reasons


def test_text_that_is_not_utf8_is_rejected_with_its_line(db_session, units, tmp_path):
    path = tmp_path / "employees.csv"
    path.write_bytes(f"{HEADER}\n10151,ok,,,,DIV,,,\n".encode() + "10152,มานี,,,,DIV,,,\n".encode("cp874"))

    report = import_employees_csv(session=db_session, path_or_file=path)

    assert [p.line for p in report.problems] == [3]
    assert "UTF-8" in report.problems[0].reason


def test_dry_run_checks_and_counts_but_writes_nothing(db_session, units, add_employee, tmp_path):
    add_employee("10151", unit=units["DIV"])
    path = write_csv(tmp_path, "10151,ใหม่,,,,DIV,,,", "10152,ข,,,,DIV,10151,,")

    report = import_employees_csv(session=db_session, path_or_file=path, dry_run=True)

    assert report.ok and not report.written
    assert (report.created, report.updated) == (1, 1)
    db_session.expire_all()
    assert employee_count(db_session) == 1
    assert by_code(db_session, "10151").name_th == "พนักงาน 10151"


def test_thai_names_with_a_bom_from_an_open_binary_file(db_session, units):
    text = f"\ufeff{HEADER}\n10151,นางสาวสมหญิง รักษ์ไทย,Ms Somying,,นักทรัพยากรบุคคล,DIV,,,\n"
    report = import_employees_csv(session=db_session, path_or_file=io.BytesIO(text.encode("utf-8")))

    assert report.ok, report.problems
    employee = by_code(db_session, "10151")
    assert employee.name_th == "นางสาวสมหญิง รักษ์ไทย" and employee.position_title == "นักทรัพยากรบุคคล"


def test_thai_names_with_a_bom_from_a_path(db_session, units, tmp_path):
    path = write_csv(tmp_path, "10151,ศักดิ์ชัย ภูมิพัฒน์,,,,DIV,,,", bom=True)

    report = import_employees_csv(session=db_session, path_or_file=path)

    assert report.ok, report.problems
    assert by_code(db_session, "10151").name_th == "ศักดิ์ชัย ภูมิพัฒน์"


def test_progress_reports_both_stages_to_the_end(db_session, units, tmp_path):
    calls = []
    path = write_csv(tmp_path, *(f"{10000 + i},ก{i},,,,DIV,,," for i in range(450)))

    import_employees_csv(session=db_session, path_or_file=path, progress=lambda *a: calls.append(a))

    assert ("check", 450, 450) in calls and ("write", 450, 450) in calls
    assert ("check", 200, 450) in calls
    assert employee_count(db_session) == 450
