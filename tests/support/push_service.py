"""A push service on loopback and a browser that subscribes to it and reads what arrives.

`PushBrowser` plays the browser's side of RFC 8291: it makes a P-256 key pair and an auth secret,
gives them as PushSubscription.toJSON(), and decrypts a push (aes128gcm) with its private key.
`LoopbackPushService` plays the push service: it takes POSTs at /push/<name> over real HTTP, answers
with the status the test queued for that name (201 when none), checks the VAPID JWT (RFC 8292) of every
request and keeps what it received.
"""
from __future__ import annotations

import base64
import json
import os
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PushBrowser:
    """One browser's push subscription: its keys, and decryption of what is pushed to it."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self._private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth_secret = os.urandom(16)
        self.public_key = self._private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)

    def subscription_json(self) -> dict:
        """What PushSubscription.toJSON() gives in a browser."""
        return {"endpoint": self.endpoint, "expirationTime": None,
                "keys": {"p256dh": b64url(self.public_key), "auth": b64url(self.auth_secret)}}

    def decrypt(self, body: bytes) -> dict:
        """The JSON payload of one push (raises if it was not encrypted for this browser)."""
        plaintext = http_ece.decrypt(body, private_key=self._private_key, auth_secret=self.auth_secret,
                                     version="aes128gcm")
        return json.loads(plaintext.decode("utf-8"))


@dataclass
class ReceivedPush:
    name: str
    headers: dict[str, str]  # names in lower case
    body: bytes
    status: int  # what the service answered
    vapid_claims: dict
    vapid_key: str  # the `k` of the Authorization header: the application server's public key


class VapidRefused(AssertionError):
    pass


def verify_vapid(authorization: str) -> tuple[dict, str]:
    """Check `Authorization: vapid t=<JWT>,k=<key>` as a push service does: the ES256 signature with the
    key given in k; returns the claims and k."""
    scheme, _, params = authorization.partition(" ")
    if scheme.lower() != "vapid":
        raise VapidRefused(f"not a vapid authorization: {authorization[:40]}")
    parts = dict(item.strip().split("=", 1) for item in params.split(","))
    token, key = parts["t"], parts["k"]
    header_b64, claims_b64, signature_b64 = token.split(".")
    header = json.loads(b64url_decode(header_b64))
    if header.get("alg") != "ES256":
        raise VapidRefused(f"alg {header.get('alg')}")
    signature = b64url_decode(signature_b64)
    if len(signature) != 64:
        raise VapidRefused("an ES256 JWS signature is r || s, 64 bytes")
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(key))
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    try:
        public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as exc:
        raise VapidRefused("bad VAPID signature") from exc
    return json.loads(b64url_decode(claims_b64)), key


@dataclass
class LoopbackPushService:
    """Start with `start()`; `endpoint(name)` is a subscription endpoint on it."""

    received: list[ReceivedPush] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    _answers: dict[str, deque] = field(default_factory=lambda: defaultdict(deque))
    _holds: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> "LoopbackPushService":
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                name = self.path.removeprefix("/push/")
                try:
                    claims, key = verify_vapid(self.headers.get("Authorization", ""))
                except (VapidRefused, KeyError, ValueError) as exc:
                    with service._lock:
                        service.refused.append(f"{name}: {exc}")
                    self._answer(401)
                    return
                with service._lock:
                    answers = service._answers[name]
                    status = answers.popleft() if answers else 201
                    service.received.append(ReceivedPush(name=name, headers={k.lower(): v for k, v in self.headers.items()}, body=body,
                                                         status=status, vapid_claims=claims, vapid_key=key))
                    hold = service._holds.pop(name, 0.0)
                time.sleep(hold)  # the push has arrived; the answer comes late (a slow push service)
                try:
                    self._answer(status)
                except OSError:
                    pass  # the sender is gone

            def _answer(self, status: int) -> None:
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def endpoint(self, name: str) -> str:
        return f"{self.origin}/push/{name}"

    def answer(self, name: str, *statuses: int) -> None:
        """The next POSTs to `name` get these statuses, in order (then 201 again)."""
        with self._lock:
            self._answers[name].extend(statuses)

    def hold(self, name: str, seconds: float) -> None:
        """Answer the next POST to `name` only after `seconds` (it counts as received at once)."""
        with self._lock:
            self._holds[name] = seconds

    def pushes_to(self, name: str, *, accepted_only: bool = True) -> list[ReceivedPush]:
        with self._lock:
            return [p for p in self.received if p.name == name and (p.status in (200, 201, 202) or not accepted_only)]

    def wait_for(self, name: str, count: int = 1, timeout_s: float = 20.0, accepted_only: bool = True) -> list[ReceivedPush]:
        deadline = time.monotonic() + timeout_s
        while len(self.pushes_to(name, accepted_only=accepted_only)) < count:
            assert time.monotonic() < deadline, f"{count} push(es) to {name!r} did not arrive; got {self.received}"
            time.sleep(0.05)
        return self.pushes_to(name, accepted_only=accepted_only)


def push_settings(**overrides) -> dict:
    """Settings overrides that turn Web Push on with a fresh key pair, for pushes to this machine, with
    retries a test can wait for."""
    from engine.push.vapid import generate_vapid_keys

    keys = generate_vapid_keys()
    values = dict(push_vapid_public_key=keys.public_key, push_vapid_private_key=keys.private_key,
                  push_vapid_subject="mailto:it-helpdesk@example.go.th", push_allowed_hosts="127.0.0.1",
                  push_job_min_backoff_ms=50, push_job_max_backoff_ms=200, push_job_max_attempts=3)
    values.update(overrides)
    return values


@pytest.fixture(scope="module")
def push_service():
    """A loopback push service for one test module (import this fixture into the module)."""
    service = LoopbackPushService().start()
    yield service
    service.stop()
