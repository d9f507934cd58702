"""A throw-away database for one test run: PostgreSQL by default, SQLite on request.

`OPSTA_TEST_DATABASE` picks the backend: `postgresql` (default) or `sqlite`.
`OPSTA_TEST_PG_ADMIN_URL` is the server to create the scratch database on.
Each run gets its own database, so parallel runs never see each other's rows.
"""
from __future__ import annotations

import os
import tempfile
import uuid

from sqlalchemy import create_engine, text

PG_ADMIN_URL = os.environ.get("OPSTA_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def backend() -> str:
    return os.environ.get("OPSTA_TEST_DATABASE", "postgresql")


class ScratchDatabase:
    """Creates a fresh database on `create()` and removes it on `drop()`."""

    def __init__(self) -> None:
        self.kind = backend()
        self.url = ""
        self._name = f"opsta_test_{uuid.uuid4().hex[:10]}"
        self._tmpdir: tempfile.TemporaryDirectory | None = None

    def create(self) -> str:
        if self.kind == "sqlite":
            self._tmpdir = tempfile.TemporaryDirectory(prefix="opsta-test-")
            self.url = f"sqlite:///{self._tmpdir.name}/opsta.db"
        else:
            admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{self._name}"'))
            admin.dispose()
            self.url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{self._name}"
        return self.url

    def drop(self) -> None:
        if self.kind == "sqlite":
            if self._tmpdir:
                self._tmpdir.cleanup()
            return
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self._name}" WITH (FORCE)'))
        admin.dispose()
