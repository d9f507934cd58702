"""Off-site requests: the director step for long trips, and approved days in the calendar."""
from datetime import date, datetime, timedelta

from tests.support.approvals import decide, offsite, status_of, submit, today
from tests.support.punches import add_punch


def _monday_of_last_month() -> date:
    first = today().replace(day=1) - timedelta(days=1)  # last day of the previous month
    day = first.replace(day=8)
    while day.weekday() != 0:
        day += timedelta(days=1)
    return day


def test_approved_days_show_as_offsite_and_excuse_outside_punches(api, demo_org, session_factory):
    employee, supervisor, director = api.login("employee1"), api.login("supervisor"), api.login("director")
    monday = _monday_of_last_month()
    created = submit(employee, offsite(monday, monday + timedelta(days=4)))  # 5 days > 3: director too
    assert created["days"] == 5 and created["place"] == "ศาลากลางจังหวัดนนทบุรี"
    with session_factory() as session:  # a late punch far from the office on the Monday
        add_punch(session, demo_org["employee1"].code, datetime.combine(monday, datetime.min.time()).replace(
            hour=10, minute=30), "in", place="Nonthaburi")
    month = f"{monday:%Y-%m}"

    def statuses():
        days = employee.get(f"/api/me/calendar?month={month}").json()["days"]
        return {d["date"]: d["status"] for d in days}

    assert statuses()[monday.isoformat()] != "offsite_approved"
    decide(supervisor, created["id"], "approve")
    assert statuses()[monday.isoformat()] != "offsite_approved"  # still waiting for the director
    decide(director, created["id"], "approve")
    assert status_of(employee, created["id"]) == "approved"
    shown = statuses()
    assert [shown[(monday + timedelta(days=i)).isoformat()] for i in range(5)] == ["offsite_approved"] * 5
    assert shown[(monday + timedelta(days=7)).isoformat()] != "offsite_approved"
    # The supervisor looking at the employee's month sees the same.
    other = supervisor.get(f"/api/employees/{demo_org['employee1'].code}/calendar?month={month}").json()
    assert {d["date"]: d["status"] for d in other["days"]}[monday.isoformat()] == "offsite_approved"


def test_short_trip_needs_only_the_supervisor_and_rejection_changes_nothing(api, demo_org):
    employee, supervisor = api.login("employee2"), api.login("supervisor")
    start = today() + timedelta(days=1)
    created = submit(employee, offsite(start, start + timedelta(days=1)))
    decide(supervisor, created["id"], "reject")
    assert status_of(employee, created["id"]) == "rejected"
    days = employee.get(f"/api/me/calendar?month={start:%Y-%m}").json()["days"]
    assert "offsite_approved" not in {d["status"] for d in days}


def test_offsite_fields_are_checked(api, demo_org):
    employee = api.login("employee1")
    start = today()
    backwards = employee.post("/api/requests", json=offsite(start, start - timedelta(days=1)))
    assert backwards.status_code == 422 and backwards.json()["code"] == "offsite_dates_invalid"
    half_point = employee.post("/api/requests", json={**offsite(start, start), "longitude": None})
    assert half_point.status_code == 422 and half_point.json()["code"] == "offsite_point_invalid"
    no_place = employee.post("/api/requests", json={k: v for k, v in offsite(start, start).items() if k != "place"})
    assert no_place.status_code == 422 and "place" in no_place.json()["errors"]
