"""Local sign-in through POST /api/auth/token, and bearer tokens on the API."""
PROBLEM = "application/problem+json"


def test_token_for_right_password_opens_the_api(api, demo_org):
    reply = api.post("/api/auth/token", json={"username": "employee1", "password": "demo"})
    assert reply.status_code == 200
    body = reply.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] > 0
    me = api.get("/api/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["code"] == "100059150"


def test_username_is_case_insensitive(api, demo_org):
    assert api.post("/api/auth/token", json={"username": "Employee1", "password": "demo"}).status_code == 200


def test_wrong_password_and_unknown_user_look_the_same(api, demo_org):
    wrong = api.post("/api/auth/token", json={"username": "employee1", "password": "nope"})
    unknown = api.post("/api/auth/token", json={"username": "nobody", "password": "nope"})
    for reply in (wrong, unknown):
        assert reply.status_code == 401
        assert reply.headers["Content-Type"].startswith(PROBLEM)
        assert reply.json()["code"] == "invalid_credentials"
    assert wrong.json()["detail"] == unknown.json()["detail"]


def test_repeated_failures_are_rate_limited_even_with_the_right_password(api, demo_org):
    for _ in range(5):
        assert api.post("/api/auth/token", json={"username": "employee2", "password": "bad"}).status_code == 401
    reply = api.post("/api/auth/token", json={"username": "employee2", "password": "demo"})
    assert reply.status_code == 429
    assert reply.json()["code"] == "rate_limited"
    assert int(reply.headers["Retry-After"]) > 0
    # Another user is not locked out by employee2's failures.
    assert api.post("/api/auth/token", json={"username": "employee3", "password": "demo"}).status_code == 200


def test_api_without_token_is_401_problem(api, demo_org):
    reply = api.get("/api/me")
    assert reply.status_code == 401
    assert reply.headers["Content-Type"].startswith(PROBLEM)
    assert reply.json()["code"] == "unauthenticated"


def test_garbage_and_wrong_scheme_tokens_are_refused(api, demo_org):
    garbage = api.get("/api/me", headers={"Authorization": "Bearer not.a.jwt"})
    assert garbage.status_code == 401 and garbage.json()["code"] == "token_invalid"
    basic = api.get("/api/me", headers={"Authorization": "Basic ZW1wOmRlbW8="})
    assert basic.status_code == 401 and basic.json()["code"] == "token_malformed"


def test_token_of_a_deactivated_employee_stops_working(api, demo_org, session_factory):
    from sqlalchemy import update

    from engine.models import Employee

    client = api.login("employee4")
    assert client.get("/api/me").status_code == 200
    with session_factory() as session:
        session.execute(update(Employee).where(Employee.code == "100059153").values(active=False))
        session.commit()
    assert client.get("/api/me").status_code == 401


def test_a_deactivated_employee_can_no_longer_punch(api, demo_org, session_factory):
    # The punch route checks the caller without loading the ORM employee; it must re-check `active` all the same.
    from sqlalchemy import update

    from engine.models import Employee

    client = api.login("employee4")
    punch = {"direction": "in", "latitude": 13.7563, "longitude": 100.5018, "accuracy_m": 10}
    assert client.post("/api/punches", json=punch).status_code == 201
    with session_factory() as session:
        session.execute(update(Employee).where(Employee.code == "100059153").values(active=False))
        session.commit()
    refused = client.post("/api/punches", json=punch)
    assert refused.status_code == 401 and refused.json()["code"] == "token_invalid"
