"""Shared fixtures: a scratch database per run, emptied after every test."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from engine.db import Base, make_engine, make_session_factory
from engine.migrate import upgrade_database
from tests.support.database import ScratchDatabase


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


@pytest.fixture
def clean_db(db_engine):
    """Every test starts and ends with empty tables."""
    yield
    _empty_all_tables(db_engine)


@pytest.fixture
def db_session(session_factory, clean_db):
    session = session_factory()
    yield session
    session.rollback()
    session.close()
