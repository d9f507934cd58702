"""Web Push: the server's public key, and the caller's browsers that receive pushes."""
from urllib.parse import urlsplit

import marshmallow as ma
from flask import request

from api.auth.principal import current_employee, login_required
from api.blueprints.base import Blueprint
from api.blueprints.fields import Number, Text
from api.context import db, opsta
from engine.models.push import ENDPOINT_MAX_CHARS
from engine.push.subscriptions import LANGUAGES, BrowserSubscription, subscribe, subscriptions_of, unsubscribe

blp = Blueprint("push", __name__, description="Web Push (VAPID): opt in from a browser")


class PublicKey(ma.Schema):
    enabled = ma.fields.Boolean(metadata={"description": "false when the server has no VAPID keys"})
    public_key = ma.fields.String(allow_none=True,
                                  metadata={"description": "applicationServerKey for PushManager.subscribe()"})


class SubscriptionKeys(ma.Schema):
    p256dh = Text(required=True, validate=ma.validate.Length(min=1, max=128))
    auth = Text(required=True, validate=ma.validate.Length(min=1, max=64))


class SubscriptionIn(ma.Schema):
    """PushSubscription.toJSON() as the browser gives it, and the language pushes should be written in."""

    class Meta:
        unknown = ma.EXCLUDE  # browsers may add members to toJSON()

    endpoint = Text(required=True, validate=ma.validate.Length(min=1, max=ENDPOINT_MAX_CHARS))
    expirationTime = Number(allow_none=True, load_default=None)  # noqa: N815 - the browser's name
    keys = ma.fields.Nested(SubscriptionKeys, required=True)
    language = Text(load_default="th", validate=ma.validate.OneOf(LANGUAGES))


class EndpointIn(ma.Schema):
    endpoint = Text(required=True, validate=ma.validate.Length(min=1, max=ENDPOINT_MAX_CHARS))


class SubscriptionOut(ma.Schema):
    id = ma.fields.Integer()
    push_service = ma.fields.Function(lambda s: urlsplit(s.endpoint).hostname)
    language = ma.fields.String()
    user_agent = ma.fields.String()
    created_at = ma.fields.DateTime()
    last_success_at = ma.fields.DateTime(allow_none=True)


@blp.route("/api/push/public-key")
@blp.response(200, PublicKey)
@blp.doc(security=[])
def public_key():
    """The VAPID public key browsers subscribe with; `enabled` is false when Web Push is off."""
    settings = opsta().settings
    return {"enabled": settings.push_enabled, "public_key": settings.push_vapid_public_key or None}


@blp.route("/api/me/push-subscriptions")
@blp.response(200, SubscriptionOut(many=True))
@login_required()
def list_mine():
    """My browsers that receive pushes, newest first."""
    return subscriptions_of(session=db(), employee=current_employee())


@blp.route("/api/me/push-subscriptions", methods=["POST"])
@blp.arguments(SubscriptionIn)
@blp.response(201, SubscriptionOut)
@blp.alt_response(200, schema=SubscriptionOut, description="This browser was subscribed already: refreshed")
@login_required()
def subscribe_browser(body):
    """Push my new notifications to this browser (its PushSubscription.toJSON())."""
    row, created = subscribe(
        session=db(), settings=opsta().settings, employee=current_employee(),
        subscription=BrowserSubscription(endpoint=body["endpoint"], p256dh=body["keys"]["p256dh"],
                                         auth=body["keys"]["auth"], language=body["language"],
                                         user_agent=request.headers.get("User-Agent", "")))
    return row, 201 if created else 200


@blp.route("/api/me/push-subscriptions/unsubscribe", methods=["POST"])
@blp.arguments(EndpointIn)
@blp.response(204)
@login_required()
def unsubscribe_browser(body):
    """Stop pushing to the browser with this endpoint (after PushSubscription.unsubscribe())."""
    unsubscribe(session=db(), employee=current_employee(), endpoint=body["endpoint"])


@blp.route("/api/me/push-subscriptions/<int:subscription_id>", methods=["DELETE"])
@blp.response(204)
@login_required()
def remove(subscription_id):
    """Stop pushing to one of my browsers."""
    unsubscribe(session=db(), employee=current_employee(), subscription_id=subscription_id)
