"""The trusted-device cookie: a browser or app that signed in to an account before is recognised.

It is signed with the secret key and names the account and a random device id. Sign-ins from a
recognised device are throttled on their own (engine/accounts/throttle.py), so that strangers
guessing an account's password never slow down its owner's own browser.
"""
from __future__ import annotations

from flask import Response, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from api.auth.web_session import cookie_options
from api.context import opsta

DEVICE_COOKIE = "opsta_device"
MAX_AGE_SECONDS = 180 * 24 * 3600


def _serializer() -> URLSafeTimedSerializer:
    # itsdangerous signs with the last key and verifies with any: the previous keys come first.
    keys = opsta().settings.verifying_secret_keys
    return URLSafeTimedSerializer([*reversed(keys)], salt="opsta-trusted-device")


def trusted_device_for(username: str) -> str | None:
    """The device id of the request's cookie when it was given for `username`, else None."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw or len(raw) > 512:
        return None
    try:
        value = _serializer().loads(raw, max_age=MAX_AGE_SECONDS)
    except BadSignature:
        return None
    if not isinstance(value, dict) or value.get("u") != username.strip().lower():
        return None
    device = value.get("d")
    return device if isinstance(device, str) and device else None


def remember_device(response: Response, *, username: str, device_id: str) -> None:
    """Set (or renew) the cookie after a successful sign-in as `username`."""
    value = _serializer().dumps({"u": username.strip().lower(), "d": device_id})
    response.set_cookie(DEVICE_COOKIE, value, max_age=MAX_AGE_SECONDS, **cookie_options())
