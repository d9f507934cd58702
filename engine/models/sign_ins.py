"""What a sign-in leaves behind: browser sessions, app tokens, and the throttle on password guesses."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db import Base, UTCDateTime, utcnow
from engine.models.directory import Employee


class WebSession(Base):
    """A signed-in browser. The cookie holds a random id; only its SHA-256 is stored here."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_hash: Mapped[str] = mapped_column(String(64), unique=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    # The employee's credentials epoch at sign-in: a later bump ends the session.
    epoch: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(16))  # "oidc" or "local"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    idle_expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    absolute_expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str] = mapped_column(String(32), default="")
    csrf_secret: Mapped[str] = mapped_column(String(64))
    # From the provider's ID token: back-channel logout names a session by `sid` or a person by `sub`.
    provider_sub: Mapped[str | None] = mapped_column(String(255), index=True)
    provider_sid: Mapped[str | None] = mapped_column(String(255), index=True)
    # Kept server side for the `id_token_hint` of RP-initiated logout; never sent to the browser.
    id_token: Mapped[str | None] = mapped_column(Text)
    user_agent: Mapped[str] = mapped_column(String(255), default="")
    remote_addr: Mapped[str] = mapped_column(String(64), default="")

    employee: Mapped[Employee] = relationship()


class AppToken(Base):
    """An app token (bearer JWT) as issued: its `jti`, so one token can be revoked and tokens listed."""

    __tablename__ = "app_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    jti: Mapped[str] = mapped_column(String(64), unique=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoke_reason: Mapped[str] = mapped_column(String(32), default="")
    user_agent: Mapped[str] = mapped_column(String(255), default="")
    remote_addr: Mapped[str] = mapped_column(String(64), default="")


class LoginThrottle(Base):
    """Failed password checks counted for one key ("account:<name>", "address:<ip>", "device:<id>").

    Times are Unix seconds so the one UPDATE that claims an attempt can do its arithmetic in SQL
    on either database.
    """

    __tablename__ = "login_throttles"

    scope: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[float] = mapped_column(Float, default=0.0)
    next_attempt_at: Mapped[float] = mapped_column(Float, default=0.0, index=True)


class LoginAttempt(Base):
    """The log of checked local sign-ins (successes and failures)."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    remote_addr: Mapped[str] = mapped_column(String(64), default="")
    succeeded: Mapped[bool] = mapped_column(Boolean)
    trusted_device: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
