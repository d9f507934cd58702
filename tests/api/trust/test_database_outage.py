"""Database outages are 503 with Retry-After, not 500 (issue 11): a connection killed during a punch."""
import uuid

import psycopg
import pytest
from sqlalchemy import create_engine, exc, func, select, text

from engine.attendance import ledger
from engine.models import Punch

pytestmark = pytest.mark.postgres_only  # pg_terminate_backend: a real killed connection

PUNCH = {"direction": "in", "latitude": 13.862, "longitude": 100.5125, "accuracy_m": 10}


@pytest.fixture
def kill_backend(database_url):
    admin = create_engine(database_url)

    def kill(pid: int) -> None:
        with admin.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    yield kill
    admin.dispose()


def punches(session_factory) -> int:
    with session_factory() as session:
        return session.scalar(select(func.count(Punch.id)))


def test_connection_killed_before_the_punch_is_stored_is_refused_with_503_and_retry_after(
        api, demo_org, session_factory, kill_backend, monkeypatch):
    append = ledger._APPEND_IF_HEAD_UNMOVED
    original = append.first

    def killed_first(connection, params):  # the database restarts just as the punch is sent
        kill_backend(connection.connection.driver_connection.info.backend_pid)
        monkeypatch.setattr(append, "first", original)  # once
        return original(connection, params)

    monkeypatch.setattr(append, "first", killed_first)
    client, key = api.login("employee1"), str(uuid.uuid4())
    reply = client.post("/api/punches", json=PUNCH, headers={"Idempotency-Key": key})
    assert reply.status_code == 503, reply.text
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert reply.json()["code"] == "database_unavailable" and int(reply.headers["Retry-After"]) >= 1
    assert punches(session_factory) == 0

    retried = client.post("/api/punches", json=PUNCH, headers={"Idempotency-Key": key})
    assert retried.status_code == 201, retried.text
    again = client.post("/api/punches", json=PUNCH, headers={"Idempotency-Key": key})
    assert again.status_code == 200 and again.json()["id"] == retried.json()["id"]
    assert punches(session_factory) == 1  # stored once


@pytest.mark.parametrize("with_key", [True, False])
def test_punch_committed_before_its_connection_died_is_never_reported_as_failed(
        api, demo_org, session_factory, kill_backend, monkeypatch, with_key):
    append = ledger._APPEND_IF_HEAD_UNMOVED
    original = append.first

    def reply_lost(connection, params):  # the insert commits, then the connection dies before its reply arrives
        row = original(connection, params)
        driver = connection.connection.driver_connection
        kill_backend(driver.info.backend_pid)
        monkeypatch.setattr(append, "first", original)
        lost = psycopg.OperationalError("server closed the connection unexpectedly")
        connection.invalidate(lost)
        raise exc.DBAPIError.instance(append.sql, params, lost, psycopg.Error, connection_invalidated=True)

    monkeypatch.setattr(append, "first", reply_lost)
    client = api.login("employee1")
    headers = {"Idempotency-Key": str(uuid.uuid4())} if with_key else {}
    reply = client.post("/api/punches", json=PUNCH, headers=headers)
    assert reply.status_code == 201, reply.text
    with session_factory() as session:
        stored = session.scalars(select(Punch)).all()
    assert [p.id for p in stored] == [reply.json()["id"]]


def test_database_outage_on_any_api_read_is_503_not_500(api, demo_org, live_app, monkeypatch):
    client = api.login("employee1")
    engine = live_app.app.extensions["opsta"].engine

    def refuse(*_args, **_kwargs):
        raise exc.OperationalError("SELECT 1", {}, psycopg.OperationalError("connection refused"))

    from sqlalchemy import event

    event.listen(engine, "before_cursor_execute", refuse)
    try:
        reply = client.get("/api/me/calendar", params={"month": "2026-11"})
    finally:
        event.remove(engine, "before_cursor_execute", refuse)
    assert reply.status_code == 503, reply.text
    assert reply.json()["code"] == "database_unavailable" and reply.headers["Retry-After"] == "2"


def test_database_outage_on_a_web_page_is_a_503_page_not_500(live_app, demo_org):
    from sqlalchemy import event

    from tests.support.http_browser import browser, csrf_token_of

    web = browser()
    home = web.get(f"{live_app.url}/", timeout=30)
    signed_in = web.post(f"{live_app.url}/authen/local", timeout=30, data={
        "username": "employee1", "password": "demo", "csrf_token": csrf_token_of(home.text)})
    assert signed_in.status_code == 200
    engine = live_app.app.extensions["opsta"].engine

    def refuse(*_args, **_kwargs):
        raise exc.OperationalError("SELECT 1", {}, psycopg.OperationalError("connection refused"))

    event.listen(engine, "before_cursor_execute", refuse)
    try:
        page = web.get(f"{live_app.url}/calendar", timeout=30)
    finally:
        event.remove(engine, "before_cursor_execute", refuse)
    assert page.status_code == 503 and page.headers["Retry-After"] == "2"
    assert page.headers["Content-Type"].startswith("text/html")
