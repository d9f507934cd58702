"""Pooled connections after a database restart: the idle-connection ping replaces them before use."""
import time

import pytest
from sqlalchemy import text

import engine.db
from engine.db import make_engine


@pytest.mark.postgres_only
def test_connections_killed_by_a_restart_are_replaced_on_checkout(database_url, db_engine, monkeypatch):
    monkeypatch.setattr(engine.db, "PING_IDLE_AFTER_S", 0.05)
    pooled = make_engine(database_url, pool_size=3)
    try:
        connections = [pooled.connect() for _ in range(3)]
        backends = [c.execute(text("SELECT pg_backend_pid()")).scalar_one() for c in connections]
        for connection in connections:
            connection.close()
        with db_engine.connect() as admin:  # what a restart does to every pooled connection
            for pid in backends:
                admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        time.sleep(0.2)
        for _ in range(3):
            with pooled.connect() as connection:
                assert connection.execute(text("SELECT 1")).scalar_one() == 1
    finally:
        pooled.dispose()
