"""One attempt at one push: the body of the `send_push` actor.

Safe to run twice for one row (re-delivery, the sweeper's re-send): a row is claimed with a lease
before it is posted, and a finished row is never posted again. A push service that answers 404 or 410
has forgotten the subscription, which is then removed.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import requests
from py_vapid import Vapid
from pywebpush import WebPusher
from sqlalchemy import delete, or_, update
from sqlalchemy.orm import Session, sessionmaker

from engine.config import Settings
from engine.db import utcnow
from engine.models import Notification, PushDelivery, PushSubscription
from engine.push.endpoints import endpoint_refusal
from engine.push.payload import push_payload, push_topic, push_urgency
from engine.push.vapid import vapid_private_key

log = logging.getLogger(__name__)

# How long a VAPID token stays valid (push services refuse more than 24 hours).
VAPID_TOKEN_SECONDS = 12 * 3600
GONE = (404, 410)
DELIVERED = (200, 201, 202)


class RetryLater(RuntimeError):
    """This attempt failed in a way a later one may not; the broker should try again after its backoff."""


def claim_lease(settings: Settings) -> timedelta:
    """How long a claimed row belongs to its worker: longer than an attempt can take (the POST's connect and
    read timeouts, and the database around them), so a live attempt is never doubled."""
    return timedelta(seconds=2 * settings.push_timeout_seconds + 5)


@dataclass(frozen=True)
class _Push:
    endpoint: str
    p256dh: str
    auth: str
    payload: bytes
    urgency: str
    topic: str
    attempt: int


def deliver_push(*, session_factory: sessionmaker[Session], settings: Settings, delivery_id: int,
                 now: datetime | None = None) -> str:
    """Post one outbox row's push and return what became of it (`delivered`, `gone`, `failed`, `expired`,
    `disabled`, or `skipped` when another attempt holds or finished it). Raises RetryLater while attempts remain."""
    now = now or utcnow()
    with session_factory() as session:
        push = _claim(session, settings, delivery_id, now)
        if isinstance(push, str):
            return push
    try:
        response = _post(settings, push, now)
    except requests.RequestException as exc:
        return _failed(session_factory, settings, delivery_id, push.attempt, None, f"{type(exc).__name__}: {exc}")
    status = response.status_code
    with session_factory() as session:
        if status in DELIVERED:
            row = session.get(PushDelivery, delivery_id)
            session.execute(update(PushSubscription).where(PushSubscription.id == row.subscription_id)
                            .values(last_success_at=utcnow()))
            return _finish(session, delivery_id, "delivered", status)
        if status in GONE:  # the browser unsubscribed or the push service expired it
            row = session.get(PushDelivery, delivery_id)
            _finish(session, delivery_id, "gone", status, commit=False)
            session.execute(delete(PushSubscription).where(PushSubscription.id == row.subscription_id))
            session.commit()
            return "gone"
    detail = f"HTTP {status}: {response.text[:500]}"
    if status == 429 or status >= 500:
        return _failed(session_factory, settings, delivery_id, push.attempt, status, detail)
    # 400, 401, 403, 413, …: this push will never be accepted (bad VAPID keys, payload refused).
    log.error("push %s refused by %s: %s", delivery_id, urlsplit(push.endpoint).hostname, detail)
    with session_factory() as session:
        return _finish(session, delivery_id, "failed", status, error=detail)


def _claim(session: Session, settings: Settings, delivery_id: int, now: datetime) -> _Push | str:
    claimed = session.execute(
        update(PushDelivery)
        .where(PushDelivery.id == delivery_id, PushDelivery.done_at.is_(None),
               or_(PushDelivery.claimed_at.is_(None), PushDelivery.claimed_at < now - claim_lease(settings)))
        .values(claimed_at=now, attempts=PushDelivery.attempts + 1)).rowcount
    session.commit()  # the claim and the attempt count hold even if this worker dies mid-POST
    if not claimed:
        return "skipped"
    row = session.get(PushDelivery, delivery_id)
    if row.attempts > settings.push_job_max_attempts:
        return _finish(session, delivery_id, "failed", None, error=f"gave up after {row.attempts - 1} attempts; "
                       f"last: {row.last_error}")
    subscription = session.get(PushSubscription, row.subscription_id) if row.subscription_id else None
    if subscription is None:
        return _finish(session, delivery_id, "gone", None)
    if not settings.push_enabled:
        return _finish(session, delivery_id, "disabled", None)
    if now > row.created_at + timedelta(seconds=settings.push_ttl_seconds):
        return _finish(session, delivery_id, "expired", None)
    refusal = endpoint_refusal(subscription.endpoint, settings=settings)  # the setting may have narrowed
    if refusal:
        return _finish(session, delivery_id, "failed", None, error=refusal)
    notification = session.get(Notification, row.notification_id)
    return _Push(endpoint=subscription.endpoint, p256dh=subscription.p256dh, auth=subscription.auth,
                 payload=push_payload(notification, language=subscription.language),
                 urgency=push_urgency(notification), topic=push_topic(notification), attempt=row.attempts)


def _post(settings: Settings, push: _Push, now: datetime) -> requests.Response:
    """Encrypt (RFC 8291, aes128gcm) and POST the push with a VAPID token (RFC 8292) for its push service."""
    parts = urlsplit(push.endpoint)
    claims = {"aud": f"{parts.scheme}://{parts.netloc}", "sub": settings.push_vapid_subject,
              "exp": int(now.timestamp()) + VAPID_TOKEN_SECONDS}
    headers = {**Vapid(private_key=vapid_private_key(settings)).sign(claims),
               "Urgency": push.urgency, "Topic": push.topic}
    pusher = WebPusher({"endpoint": push.endpoint, "keys": {"p256dh": push.p256dh, "auth": push.auth}})
    return pusher.send(push.payload, headers, ttl=settings.push_ttl_seconds, content_encoding="aes128gcm",
                       timeout=settings.push_timeout_seconds)


def _finish(session: Session, delivery_id: int, outcome: str, status: int | None, *, error: str = "",
            commit: bool = True) -> str:
    values = {"done_at": utcnow(), "outcome": outcome, "status_code": status}
    if error:
        values["last_error"] = error[:2000]
    session.execute(update(PushDelivery).where(PushDelivery.id == delivery_id).values(**values))
    if commit:
        session.commit()
    return outcome


def _failed(session_factory: sessionmaker[Session], settings: Settings, delivery_id: int, attempt: int,
            status: int | None, error: str) -> str:
    """A failure a later attempt may get past: retry while attempts remain, else the row ends as failed."""
    log.warning("push %s attempt %s failed: %s", delivery_id, attempt, error)
    with session_factory() as session:
        if attempt >= settings.push_job_max_attempts:
            return _finish(session, delivery_id, "failed", status,
                           error=f"gave up after {attempt} attempts; last: {error}")
        # Release the claim so the broker's retry (or the sweeper) may take the row again.
        session.execute(update(PushDelivery).where(PushDelivery.id == delivery_id)
                        .values(claimed_at=None, last_error=error[:2000], status_code=status))
        session.commit()
    raise RetryLater(f"push {delivery_id}: {error}")
