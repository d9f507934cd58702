"""GET /api/reports/{name} over HTTP: figures, who sees what, and every refusal as problem+json with its code."""
import pytest
from sqlalchemy import select

from engine.models import OrgUnit

from engine.reports.formats import CONTENT_TYPES, FILE_FORMATS
from tests.support.report_month import EMPLOYEE, seed_june

NAMES = ("overtime", "offsite", "missed-punch", "attendance-summary", "attendance-grid", "daily-record",
         "overtime-claim")
ONE_DAY = {"daily-record": "from=2026-06-02"}


@pytest.fixture
def june(demo_org, session_factory, settings):
    with session_factory() as session:
        return seed_june(session, settings)


def _problem(reply, status, code):
    assert reply.status_code == status, reply.text
    assert reply.headers["Content-Type"].startswith("application/problem+json")
    assert reply.json()["code"] == code, reply.json()


@pytest.mark.parametrize("name", NAMES)
def test_every_report_answers_hr_in_json(api, june, name):
    reply = api.login("hr").get(f"/api/reports/{name}?{ONE_DAY.get(name, 'month=2026-06')}")
    assert reply.status_code == 200, reply.text
    document = reply.json()
    assert document["name"] == name and document["count"] == len(document["rows"]) > 0
    assert {c["key"] for c in document["columns"]} >= set(document["rows"][0])


def test_summary_figures_over_http(api, june):
    document = api.login("hr").get(f"/api/reports/attendance-summary?month=2026-06&employee={EMPLOYEE}").json()
    [row] = document["rows"]
    assert (row["working_days"], row["present"], row["late"], row["late_minutes"], row["absent"],
            row["incomplete"], row["offsite_days"], row["overtime_hours"], row["rejected_selfies"]) == (
        21, 19, 2, 20, 1, 2, 2, 10.0, 1)


def test_a_supervisor_sees_only_their_line(api, june, demo_org, session_factory):
    with session_factory() as session:
        ops = session.scalar(select(OrgUnit).where(OrgUnit.code == "OPS"))
        session.add(OrgUnit(code="FIN", name_th="กองคลัง", name_en="Finance Division", parent_id=ops.id))
        session.commit()
    supervisor = api.login("supervisor")
    rows = supervisor.get("/api/reports/attendance-summary?month=2026-06").json()["rows"]
    assert {r["employee_code"] for r in rows} == {demo_org[f"employee{n}"].code for n in range(1, 5)}
    # A unit is visible when their people work in it or below it; FIN holds nobody of theirs.
    assert len(supervisor.get("/api/reports/attendance-grid?month=2026-06&unit=ICT").json()["rows"]) == 4
    _problem(supervisor.get("/api/reports/attendance-grid?month=2026-06&unit=FIN"), 404, "unit_not_found")
    assert api.login("hr").get("/api/reports/attendance-grid?month=2026-06&unit=FIN").json()["rows"] == []
    assert supervisor.get("/api/reports/attendance-grid?month=2026-06&unit=OPS").json()["rows"] == []
    # With its sub-units OPS includes ICT, where their people are.
    wide = supervisor.get("/api/reports/attendance-grid?month=2026-06&unit=OPS&include_subunits=true")
    assert len(wide.json()["rows"]) == 4
    _problem(supervisor.get(f"/api/reports/overtime?month=2026-06&employee={demo_org['hr'].code}"), 404,
             "employee_not_found")


def test_hr_and_admin_see_everyone_and_employees_nothing(api, june):
    for who in ("hr", "admin"):
        assert api.login(who).get("/api/reports/attendance-summary?month=2026-06").json()["count"] == 10
    _problem(api.login("employee2").get("/api/reports/overtime?month=2026-06"), 403, "report_forbidden")
    assert api.get("/api/reports/overtime?month=2026-06").status_code == 401


def test_a_unit_with_sub_units(api, june):
    hr = api.login("hr")
    assert hr.get("/api/reports/attendance-summary?month=2026-06&unit=OPS").json()["count"] == 1
    assert hr.get("/api/reports/attendance-summary?month=2026-06&unit=OPS&include_subunits=1").json()["count"] == 10
    _problem(hr.get("/api/reports/attendance-summary?month=2026-06&unit=NOPE"), 404, "unit_not_found")


@pytest.mark.parametrize("query, status, code", [
    ("month=2026-06&format=docx", 422, "report_format_unknown"),
    ("from=2026-06-10&to=2026-06-01", 422, "range_reversed"),
    ("month=2026-13", 422, "month_invalid"),
    ("month=2569-06", 422, "month_invalid"),
    ("month=2026-06&from=2026-06-01", 422, "period_ambiguous"),
    ("month=2026-06&status=approved", 422, "status_invalid"),
])
def test_refusals(api, demo_org, query, status, code):
    _problem(api.login("hr").get(f"/api/reports/attendance-summary?{query}"), status, code)


def test_unknown_report_and_report_specific_refusals(api, demo_org):
    hr = api.login("hr")
    _problem(hr.get("/api/reports/payroll?month=2026-06"), 404, "report_not_found")
    _problem(hr.get("/api/reports/daily-record?month=2026-06"), 422, "report_needs_one_day")
    _problem(hr.get("/api/reports/overtime-claim?from=2026-06-01&to=2026-06-15"), 422, "report_needs_month")
    _problem(hr.get("/api/reports/overtime?month=2026-06&status=sideways"), 422, "status_invalid")


@pytest.mark.parametrize("fmt", FILE_FORMATS)
def test_each_file_format_downloads_as_an_attachment(api, june, fmt):
    reply = api.login("hr").get(f"/api/reports/attendance-summary?month=2026-06&employee={EMPLOYEE}&format={fmt}")
    assert reply.status_code == 200, reply.text
    assert reply.headers["Content-Type"].startswith(CONTENT_TYPES[fmt].split(";")[0])
    assert reply.headers["Content-Disposition"] == f'attachment; filename="attendance-summary-2026-06.{fmt}"'
    signature = {"csv": b"\xef\xbb\xbf", "xlsx": b"PK", "pdf": b"%PDF"}[fmt]
    assert reply.content.startswith(signature)
