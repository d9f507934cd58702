"""Bounded input, decided in one place: out-of-range numbers, unstorable text, deep JSON, huge numbers,
absurd dates and numbers sent as strings are 4xx problems with a code, never a 500."""
import json

import marshmallow as ma
import pytest

from api.blueprints import fields as bounded

PROBLEM = "application/problem+json"


def assert_problem(reply, status, code):
    assert reply.status_code == status, reply.text
    assert reply.headers["Content-Type"].startswith(PROBLEM)
    assert reply.json()["code"] == code, reply.json()


def raw_json(client, method, path, text):
    return client.request(method, path, data=text.encode(), headers={"Content-Type": "application/json"})


def test_an_integer_beyond_64_bits_in_a_query_or_a_body_is_422(api, demo_org):
    employee = api.login("employee1")
    assert_problem(employee.get("/api/me/punches", params={"page": "35457480317996817242482802688"}), 422,
                   "validation_failed")
    supervisor = api.login("supervisor")
    reply = supervisor.post("/api/tasks/complete", json={"items": [{"task_id": 35457480317996817242482802688,
                                                                    "decision": "approve"}]})
    assert_problem(reply, 422, "validation_failed")
    assert "task_id" in json.dumps(reply.json()["errors"])
    # Beyond the database's integer (32 bits) is refused the same way.
    assert_problem(supervisor.post("/api/tasks/2147483648/complete", json={"decision": "approve"}), 404, "not_found")
    assert_problem(employee.get("/api/me/notifications", params={"limit": "2147483648"}), 422, "validation_failed")


@pytest.mark.parametrize("escape", ["\\u0000", "\\ud800"], ids=["nul", "lone surrogate"])
def test_unstorable_text_in_any_string_field_is_refused(api, demo_org, escape):
    # Even on the sign-in route, without its own check: the request guard decides.
    assert_problem(raw_json(api, "POST", "/api/auth/token", f'{{"username": "a{escape}b", "password": "demo"}}'),
                   400, "invalid_characters")
    employee = api.login("employee1")
    body = f'{{"type": "overtime", "date": "2026-12-01", "start": "17:00", "end": "19:00", "reason": "x{escape}"}}'
    assert_problem(raw_json(employee, "POST", "/api/requests", body), 400, "invalid_characters")
    key_body = f'{{"a{escape}": 1}}'
    assert_problem(raw_json(employee, "POST", "/api/requests", key_body), 400, "invalid_characters")


def test_unstorable_text_in_a_path_or_query_is_refused(api, demo_org):
    admin = api.login("admin")
    assert_problem(admin.get("/api/employees/a%00b"), 400, "invalid_characters")
    assert_problem(admin.get("/api/me/calendar", params={"month": "2026-09\x00"}), 400, "invalid_characters")


def test_deep_json_and_huge_numbers_are_refused(api, demo_org):
    employee = api.login("employee1")
    assert_problem(raw_json(employee, "POST", "/api/punches", "[" * 1000 + "]" * 1000), 400, "json_too_deep")
    assert_problem(raw_json(employee, "POST", "/api/punches", '{"a":' * 40 + "1" + "}" * 40), 400, "json_too_deep")
    assert_problem(raw_json(employee, "POST", "/api/punches",
                            '{"direction": "in", "latitude": ' + "1" * 5000 + ', "longitude": 100.5}'),
                   400, "number_too_long")
    assert_problem(raw_json(employee, "POST", "/api/punches", '{"direction": "in", "latitude": NaN}'),
                   400, "malformed_json")


def test_dates_beyond_a_sane_range_and_reversed_ranges_are_422(api, demo_org):
    employee = api.login("employee1")
    assert_problem(employee.get("/api/me/punches", params={"to": "9999-12-31"}), 422, "validation_failed")
    assert_problem(employee.get("/api/me/punches", params={"from": "2026-09-10", "to": "2026-09-01"}), 422,
                   "validation_failed")
    hr = api.login("hr")
    assert_problem(hr.get("/api/reports/requests", params={"from": "2026-09-10", "to": "2026-09-01"}), 422,
                   "validation_failed")
    assert_problem(hr.get("/api/reports/requests", params={"format": "xlsx"}), 422, "validation_failed")
    assert hr.get("/api/reports/requests", params={"from": "2026-09-01", "to": "2026-09-30"}).status_code == 200
    reply = employee.post("/api/me/delegations", json={"delegate_code": "10151", "starts_on": "9999-12-30",
                                                       "ends_on": "9999-12-31"})
    assert_problem(reply, 422, "validation_failed")


def test_a_string_where_a_number_is_expected_is_refused_not_coerced(api, moc_site):
    employee = api.login("employee1")
    reply = employee.post("/api/punches", json={"direction": "in", "latitude": "13.8", "longitude": 100.5125})
    assert_problem(reply, 422, "validation_failed")
    assert set(reply.json()["errors"]) == {"latitude"}
    reply = employee.post("/api/punches", json={"direction": "in", "latitude": 13.862, "longitude": 100.5125,
                                                "is_mock": "false"})
    assert_problem(reply, 422, "validation_failed")
    assert set(reply.json()["errors"]) == {"is_mock"}
    # Query strings are text by nature: their numbers are read.
    assert employee.get("/api/me/punches", params={"page": "1", "page_size": "5"}).status_code == 200


def _input_schemas(app):
    for view in app.view_functions.values():
        for parameter in getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", []):
            schema = parameter["schema"]
            yield view.__name__, schema() if isinstance(schema, type) else schema


PLAIN = (ma.fields.Integer, ma.fields.Float, ma.fields.Date, ma.fields.DateTime, ma.fields.Boolean,
         ma.fields.String)
BOUNDED = (bounded.Int, bounded.Number, bounded.Day, bounded.Moment, bounded.Flag, bounded.Text)


def _plain_fields(schema, prefix=""):
    for name, field in schema.fields.items():
        inner = [field]
        while inner:
            current = inner.pop()
            if isinstance(current, ma.fields.Nested):
                yield from _plain_fields(current.schema, f"{prefix}{name}.")
            elif isinstance(current, ma.fields.List):
                inner.append(current.inner)
            elif isinstance(current, ma.fields.Dict):
                inner.extend(f for f in (current.key_field, current.value_field) if f is not None)
            elif isinstance(current, PLAIN) and not isinstance(current, BOUNDED):
                yield f"{prefix}{name}: {type(current).__name__}"


def test_every_request_schema_is_built_from_the_bounded_fields(live_app):
    plain = [f"{view}.{field}" for view, schema in _input_schemas(live_app.app) for field in _plain_fields(schema)]
    # The sign-in route is left as it is: the request guard covers it, and its two strings are bounded.
    assert [entry for entry in plain if not entry.startswith("token.")] == []


def test_a_date_or_time_sent_as_a_number_is_422(api, demo_org):
    employee = api.login("employee1")
    reply = employee.post("/api/me/delegations", json={"delegate_code": "100059151", "starts_on": 5, "ends_on": 6})
    assert_problem(reply, 422, "validation_failed")
    assert "Not a valid date." in json.dumps(reply.json())
    hr = api.login("hr")
    reply = hr.post("/api/announcements", json={"title": "t", "body": "b", "publish_at": 17, "expires_at": None})
    assert_problem(reply, 422, "validation_failed")
