"""Shared fixtures: a scratch database per run, emptied after every test."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from engine.db import Base, make_engine, make_session_factory
from engine.migrate import upgrade_database
from tests.support.database import ScratchDatabase

pytest_plugins = ("tests.support.oidc_provider",)


def pytest_collection_modifyitems(config, items):
    """On SQLite, tests marked postgres_only are skipped; the PostgreSQL run of `make test` runs them."""
    from tests.support.database import backend

    if backend() == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: row locks, SKIP LOCKED or real concurrency")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def database_url():
    scratch = ScratchDatabase()
    url = scratch.create()
    upgrade_database(url)
    yield url
    scratch.drop()


@pytest.fixture(scope="session")
def db_engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def session_factory(db_engine):
    return make_session_factory(db_engine)


def _empty_all_tables(engine) -> None:
    tables = [t for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            conn.execute(text("PRAGMA foreign_keys=OFF"))
            for table in tables:
                conn.execute(table.delete())
            conn.execute(text("PRAGMA foreign_keys=ON"))


def _assert_ledger_verifies(engine) -> None:
    from engine.attendance.ledger_audit import verify_chains

    with make_session_factory(engine)() as session:
        audit = verify_chains(session=session)
    assert audit.ok, f"the test left a ledger that does not verify: {audit.broken}"


@pytest.fixture
def clean_db(db_engine, request):
    """Every test starts and ends with empty tables; the punches it wrote must verify before they go.

    Tests that break the ledger on purpose are marked `ledger_tampered`.
    """
    yield
    try:
        if "ledger_tampered" not in request.keywords:
            _assert_ledger_verifies(db_engine)
    finally:
        _empty_all_tables(db_engine)


@pytest.fixture
def db_session(session_factory, clean_db):
    session = session_factory()
    yield session
    session.rollback()
    session.close()


# --- the app over real HTTP -------------------------------------------------------------

from argon2 import PasswordHasher  # noqa: E402

from tests.support.api_client import ApiClient  # noqa: E402
from tests.support.live_server import serving  # noqa: E402
from tests.support.settings import make_settings  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing():
    """Real argon2, with parameters cheap enough to seed many accounts per test."""
    import engine.accounts.service as accounts

    original = accounts._hasher
    accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    accounts._hasher = original


@pytest.fixture(scope="session")
def settings(database_url):
    return make_settings(database_url)


@pytest.fixture(scope="session")
def live_app(database_url):
    with serving(make_settings(database_url)) as server:
        yield server


@pytest.fixture
def api(live_app, clean_db):
    """An anonymous client of the running app; log in with `api.login(username)`."""
    # The tables were just emptied behind the app's back; its geofence index must not remember old sites.
    live_app.app.extensions["opsta"].geofence.sites.invalidate()
    client = ApiClient(live_app.url)
    yield client
    client.close()


@pytest.fixture
def demo_org(session_factory, settings, clean_db):
    """The demo organisation (see engine/demo/), with local accounts whose password is 'demo'."""
    from engine.demo.organisation import DEMO_PEOPLE, seed_demo

    with session_factory() as session:
        seed_demo(session=session, settings=settings, attendance=False)
    return {person.username: person for person in DEMO_PEOPLE}
