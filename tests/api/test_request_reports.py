"""The requests report: hr sees everything, a supervisor their subordinates, overtime with actual hours."""
from datetime import datetime, timedelta

from tests.support.approvals import decide, missed_punch, overtime, submit, today
from tests.support.punches import add_punch


def _yesterday_weekday():
    day = today() - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def test_overtime_actual_vs_planned_hours(api, demo_org, session_factory):
    employee, supervisor, hr = api.login("employee1"), api.login("supervisor"), api.login("hr")
    day = _yesterday_weekday()
    created = submit(employee, overtime("16:30", "19:30", day=day))
    decide(supervisor, created["id"], "approve")
    with session_factory() as session:
        code = demo_org["employee1"].code
        add_punch(session, code, datetime.combine(day, datetime.min.time()).replace(hour=8, minute=20), "in")
        add_punch(session, code, datetime.combine(day, datetime.min.time()).replace(hour=18, minute=45), "out")
    other = submit(api.login("employee2"), missed_punch(today() - timedelta(days=1)))

    reply = hr.get(f"/api/reports/requests?type=overtime&from={day}&to={day}&status=approved")
    assert reply.status_code == 200, reply.text
    [row] = reply.json()["items"]
    assert row["id"] == created["id"] and row["planned_hours"] == 3.0 and row["actual_hours"] == 2.25

    everything = hr.get("/api/reports/requests").json()
    assert {r["id"] for r in everything["items"]} == {created["id"], other["id"]}
    assert everything["count"] == 2
    assert {r["id"] for r in supervisor.get("/api/reports/requests").json()["items"]} == {created["id"], other["id"]}
    assert hr.get(f"/api/reports/requests?from={day + timedelta(days=30)}").json()["items"] == []


def test_report_is_not_for_everyone(api, demo_org):
    submit(api.login("employee1"), overtime())
    reply = api.login("employee2").get("/api/reports/requests")
    assert reply.status_code == 403 and reply.json()["code"] == "report_forbidden"
    # The director supervises the supervisor, so sees the whole line below.
    assert len(api.login("director").get("/api/reports/requests").json()["items"]) == 1
    assert api.login("hr").get("/api/reports/requests?type=leave").status_code == 422
