"""What one running app holds: settings, the database, and the per-process services routes use."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from authlib.integrations.flask_client import FlaskOAuth2App
from flask import current_app, g
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from api.auth.oidc_tokens import OidcTokenVerifier
from engine.attendance.recording import Geofence
from engine.config import Settings
from engine.face_checks.queue import FaceQueue
from engine.push.queue import PushQueue
from engine.reports.queue import ReportQueue


@dataclass
class OpstaContext:
    """Built once per process by `create_app`; routes reach it through `opsta()`."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    geofence: Geofence  # the site index and reverse geocoder punches are tagged with
    face_queue: FaceQueue  # where selfie checks are sent (an in-process worker with memory://)
    push_queue: PushQueue  # where Web Push deliveries are sent after their notification commits
    oidc_verifier: OidcTokenVerifier | None = None  # API bearer tokens from the issuer; None without OIDC
    oidc_client: FlaskOAuth2App | None = None  # the browser sign-in client; None without OIDC
    logout_token_verifier: OidcTokenVerifier | None = None  # back-channel logout tokens; None without OIDC
    broker_ping: Callable[[], object] | None = None  # readiness check of Redis; None with the in-process broker
    report_queue: ReportQueue | None = None  # where report files too big to answer at once are built


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
