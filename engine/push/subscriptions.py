"""Browsers' push subscriptions: subscribe, unsubscribe, list (one employee's own only)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.config import Settings
from engine.db import utcnow
from engine.errors import Conflict, InvalidInput, NotFound
from engine.models import Employee, PushSubscription
from engine.push.endpoints import endpoint_refusal
from engine.push.vapid import b64url_decode

# A person rarely has more than a phone and a desktop or two; the oldest subscription goes beyond this.
MAX_SUBSCRIPTIONS_PER_EMPLOYEE = 10
LANGUAGES = ("th", "en")


@dataclass(frozen=True)
class BrowserSubscription:
    """What the browser's PushSubscription.toJSON() gives: the endpoint and its two keys."""

    endpoint: str
    p256dh: str
    auth: str
    language: str = "th"
    user_agent: str = ""


def _check_keys(subscription: BrowserSubscription) -> None:
    errors = {}
    try:
        point = b64url_decode(subscription.p256dh)
        if len(point) != 65 or point[0] != 4:
            raise ValueError
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)  # on the curve
    except ValueError:
        errors["keys.p256dh"] = ["Must be the base64url uncompressed P-256 public key of the subscription."]
    try:
        if len(b64url_decode(subscription.auth)) != 16:
            raise ValueError
    except ValueError:
        errors["keys.auth"] = ["Must be the base64url 16-byte auth secret of the subscription."]
    if subscription.language not in LANGUAGES:
        errors["language"] = [f"Must be one of {', '.join(LANGUAGES)}."]
    if errors:
        raise InvalidInput("The push subscription's keys are not usable.", code="push_subscription_invalid",
                           errors=errors)


def subscribe(*, session: Session, settings: Settings, employee: Employee, subscription: BrowserSubscription,
              now: datetime | None = None) -> tuple[PushSubscription, bool]:
    """Record (or refresh) this browser's subscription for `employee`; commits. True when it is new."""
    if not settings.push_enabled:
        raise Conflict("Web Push is not set up on this server.", code="push_disabled")
    refusal = endpoint_refusal(subscription.endpoint, settings=settings)
    if refusal:
        raise InvalidInput(refusal, code="push_endpoint_not_allowed", errors={"endpoint": [refusal]})
    _check_keys(subscription)
    try:
        with session.begin_nested():
            row, created = _record(session, employee, subscription, now)
    except IntegrityError:  # the same browser subscribing twice at once: the other request made the row
        row, created = _record(session, employee, subscription, now)
    _drop_oldest_beyond_limit(session, employee.id)
    session.commit()
    return row, created


def _record(session: Session, employee: Employee, subscription: BrowserSubscription,
            now: datetime | None) -> tuple[PushSubscription, bool]:
    row = session.scalar(select(PushSubscription).where(PushSubscription.endpoint == subscription.endpoint))
    created = row is None
    if created:
        row = PushSubscription(endpoint=subscription.endpoint, created_at=now or utcnow())
        session.add(row)
    # The same browser signed in as someone else now pushes to them, never to the previous person.
    row.employee_id = employee.id
    row.p256dh, row.auth = subscription.p256dh, subscription.auth
    row.language, row.user_agent = subscription.language, subscription.user_agent[:255]
    session.flush()
    return row, created


def _drop_oldest_beyond_limit(session: Session, employee_id: int) -> None:
    ids = list(session.scalars(select(PushSubscription.id).where(PushSubscription.employee_id == employee_id)
                               .order_by(PushSubscription.created_at.desc(), PushSubscription.id.desc())))
    if len(ids) > MAX_SUBSCRIPTIONS_PER_EMPLOYEE:
        session.execute(delete(PushSubscription).where(PushSubscription.id.in_(ids[MAX_SUBSCRIPTIONS_PER_EMPLOYEE:])))


def subscriptions_of(*, session: Session, employee: Employee) -> list[PushSubscription]:
    """The employee's subscriptions, newest first."""
    return list(session.scalars(select(PushSubscription).where(PushSubscription.employee_id == employee.id)
                                .order_by(PushSubscription.created_at.desc(), PushSubscription.id.desc())))


def unsubscribe(*, session: Session, employee: Employee, subscription_id: int | None = None,
                endpoint: str | None = None) -> None:
    """Forget one of the employee's subscriptions, by id or endpoint; commits. Someone else's is a 404."""
    query = delete(PushSubscription).where(PushSubscription.employee_id == employee.id)
    if subscription_id is not None:
        query = query.where(PushSubscription.id == subscription_id)
    else:
        query = query.where(PushSubscription.endpoint == endpoint)
    if not session.execute(query).rowcount:
        raise NotFound("No push subscription of yours has this id or endpoint.",
                       code="push_subscription_not_found")
    session.commit()
