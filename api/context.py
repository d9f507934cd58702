"""What one running app holds: settings, the database, verifiers and the task broker."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app, g
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from engine.config import Settings


@dataclass
class OpstaContext:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    oidc_verifier: Any = None
    services: dict[str, Any] = field(default_factory=dict)


def opsta() -> OpstaContext:
    return current_app.extensions["opsta"]


def db() -> Session:
    """The request's database session; closed (and rolled back if uncommitted) at teardown."""
    if "db_session" not in g:
        g.db_session = opsta().session_factory()
    return g.db_session


def close_db(_exc: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.rollback()
        session.close()
