"""Who may read whom in the org directory."""
import pytest

SUBORDINATE_CODES = {"100059150", "100059151", "100059152", "100059153"}


def test_me_returns_profile_roles_unit_and_todays_schedule(api, demo_org):
    body = api.login("hr").get("/api/me").json()
    assert body["code"] == "10201"
    assert body["name_th"] == "นางกาญจนา มั่นคง"
    assert set(body["roles"]) == {"employee", "hr"}
    assert body["unit"]["code"] == "OPS"
    assert body["timezone"] == "Asia/Bangkok"
    schedule = body["schedule_today"]
    assert schedule["kind"] in {"workday", "weekend", "holiday"}
    if schedule["kind"] == "workday":
        assert schedule["label"] == "08:45–16:30"


def test_supervisor_sees_exactly_their_direct_subordinates(api, demo_org):
    rows = api.login("supervisor").get("/api/me/subordinates").json()
    assert {row["code"] for row in rows} == SUBORDINATE_CODES
    assert all(row["name_th"] and row["position_title"] for row in rows)
    # The director sees the supervisor and the staff who report to the director directly, not the grandchildren.
    director_rows = api.login("director").get("/api/me/subordinates").json()
    assert "10151" in {row["code"] for row in director_rows}
    assert not SUBORDINATE_CODES & {row["code"] for row in director_rows}


def test_employee_has_no_subordinates(api, demo_org):
    assert api.login("employee1").get("/api/me/subordinates").json() == []


def test_employee_cannot_read_another_employee(api, demo_org):
    reply = api.login("employee1").get("/api/employees/100059151")
    assert reply.status_code == 404


def test_unknown_and_forbidden_codes_give_the_same_404(api, demo_org):
    client = api.login("employee1")
    forbidden = client.get("/api/employees/100059151")
    unknown = client.get("/api/employees/999999999")
    assert forbidden.status_code == unknown.status_code == 404
    strip = lambda body: {k: v for k, v in body.items() if k != "instance"}  # noqa: E731
    assert strip(forbidden.json()) == strip(unknown.json())


@pytest.mark.parametrize("viewer", ["employee1", "supervisor", "director", "hr", "admin"])
def test_allowed_viewers_read_employee1(api, demo_org, viewer):
    reply = api.login(viewer).get("/api/employees/100059150")
    assert reply.status_code == 200
    body = reply.json()
    assert body["code"] == "100059150"
    assert body["supervisor"]["code"] == "10151"


@pytest.mark.parametrize("viewer", ["employee2", "analyst", "device_admin"])
def test_other_viewers_get_404(api, demo_org, viewer):
    assert api.login(viewer).get("/api/employees/100059150").status_code == 404


def test_subordinate_cannot_read_their_supervisor(api, demo_org):
    assert api.login("employee1").get("/api/employees/10151").status_code == 404


def test_org_units_tree(api, demo_org):
    units = api.login("employee1").get("/api/org/units").json()
    by_code = {u["code"]: u for u in units}
    assert by_code["ICT"]["parent_code"] == "OPS"
    assert by_code["OPS"]["parent_code"] is None
    assert by_code["ICT"]["head"]["code"] == "10101"
    assert [u["code"] for u in units].index("OPS") < [u["code"] for u in units].index("ICT")
