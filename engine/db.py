"""Database engine, sessions and the column types every model shares."""
from __future__ import annotations

import time
from datetime import datetime, timezone

from sqlalchemy import DateTime, MetaData, create_engine, event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back as an aware UTC datetime.

    SQLite keeps no offset, so without this a value read back would be naive.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def make_engine(url: str, **kwargs) -> Engine:
    """Create an engine; SQLite gets foreign keys on and a busy timeout for the embedded mode."""
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    engine = create_engine(url, **kwargs)
    if not kwargs.get("pool_pre_ping"):
        _ping_idle_connections(engine)
    return engine


# A pooled connection idle for longer than this is pinged before it is handed out.
PING_IDLE_AFTER_S = 2.0


def _ping_idle_connections(engine: Engine) -> None:
    """Check a connection before use only when it sat idle in the pool, instead of on every checkout.

    After a database restart the idle connections are dead; the ping finds that and the pool opens a
    fresh one, as `pool_pre_ping` would. A connection reused within seconds under load skips the extra
    round trip; should one die mid-use anyway, SQLAlchemy's disconnect handling invalidates the pool.
    """
    @event.listens_for(engine, "checkin")
    def _note_idle_since(dbapi_conn, record):
        if record.dbapi_connection is not None:
            record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_conn, record, _proxy):
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_IDLE_AFTER_S:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as error:
            if not engine.dialect.is_disconnect(error, dbapi_conn, None):
                raise
            alive = False
        if not alive:
            # The pool discards this connection and retries the checkout with a new one.
            raise exc.DisconnectionError("pooled connection was closed by the database")


def connection_lost(error: BaseException) -> bool:
    """Whether `error` says the database connection went away (not that a statement was wrong)."""
    if isinstance(error, (exc.DisconnectionError, exc.TimeoutError)):  # TimeoutError: no pooled connection came
        return True
    if isinstance(error, exc.DBAPIError):
        return bool(error.connection_invalidated) or isinstance(error, (exc.OperationalError, exc.InterfaceError))
    return isinstance(error, exc.PendingRollbackError) and connection_lost(error.__cause__ or error.__context__)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)
