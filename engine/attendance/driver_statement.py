"""A Core statement compiled once for PostgreSQL and run on the psycopg connection directly.

Only for the hottest statements (the two of every phone punch). There, SQLAlchemy's work per execution
(bind and result processing, result metadata built from `cursor.description`) cost as much CPU as the
driver's own work, and a punch spends most of its time in those two statements.
What is kept: the SQL is written as a Core statement, it runs in the caller's connection and
transaction, and errors come back as SQLAlchemy's exception types, with the connection invalidated
when the database went away. What is dropped: type processing. Parameters go in as psycopg takes
them (aware datetimes, JSON as text for a `::JSON` cast) and rows come back as plain tuples.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import exc
from sqlalchemy.dialects.postgresql.psycopg import dialect as psycopg_dialect
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Executable


class DriverStatement:
    def __init__(self, statement: Executable) -> None:
        compiled = statement.compile(dialect=psycopg_dialect())
        self.sql = str(compiled)
        # Values the statement carries itself (literal arguments); the caller gives the rest.
        self.fixed_params = {name: value for name, value in compiled.params.items() if value is not None}

    def first(self, connection: Connection, params: dict[str, Any]) -> tuple | None:
        """Run on `connection` (PostgreSQL) and return the first row, or None when there is none."""
        driver = connection.connection.driver_connection
        try:
            return driver.execute(self.sql, {**self.fixed_params, **params}).fetchone()
        except connection.dialect.loaded_dbapi.Error as error:
            gone = connection.dialect.is_disconnect(error, driver, None)
            if gone:
                connection.invalidate(error)
            raise exc.DBAPIError.instance(self.sql, params, error, connection.dialect.loaded_dbapi.Error,
                                          connection_invalidated=gone, dialect=connection.dialect) from error
