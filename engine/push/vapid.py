"""The server's VAPID key pair: making one, reading the settings' pair, and checking it at start-up."""
from __future__ import annotations

import base64
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from engine.config import Settings


def b64url(data: bytes) -> str:
    """Unpadded base64url, the encoding of every Web Push key."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode unpadded (or padded) base64url; raises ValueError on anything else."""
    if not isinstance(text, str) or not text or any(c not in _B64URL for c in text.rstrip("=")):
        raise ValueError("not base64url")
    stripped = text.rstrip("=")
    return base64.urlsafe_b64decode(stripped + "=" * (-len(stripped) % 4))


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def public_point(key: ec.EllipticCurvePublicKey) -> bytes:
    """The uncompressed P-256 point (65 bytes, 0x04 first) browsers take as applicationServerKey."""
    return key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


@dataclass(frozen=True)
class VapidKeys:
    public_key: str  # base64url uncompressed point
    private_key: str  # base64url 32-byte scalar


def generate_vapid_keys() -> VapidKeys:
    """A new P-256 key pair in the settings' encoding."""
    private = ec.generate_private_key(ec.SECP256R1())
    scalar = private.private_numbers().private_value.to_bytes(32, "big")
    return VapidKeys(public_key=b64url(public_point(private.public_key())), private_key=b64url(scalar))


def vapid_private_key(settings: Settings) -> ec.EllipticCurvePrivateKey:
    """The settings' private key as a cryptography key; raises ValueError when it is not one."""
    scalar = b64url_decode(settings.push_vapid_private_key)
    if len(scalar) != 32:
        raise ValueError("the VAPID private key must be 32 bytes")
    return ec.derive_private_key(int.from_bytes(scalar, "big"), ec.SECP256R1())


def vapid_problems(settings: Settings) -> list[str]:
    """What is wrong with the Web Push settings, in words an operator can act on (empty when fine or off)."""
    public, private = settings.push_vapid_public_key, settings.push_vapid_private_key
    if not public and not private:
        return []
    if not (public and private):
        return ["Set both OPSTA_PUSH_VAPID_PUBLIC_KEY and OPSTA_PUSH_VAPID_PRIVATE_KEY (or neither, to leave "
                "Web Push off); `opsta push generate-keys` prints a pair."]
    try:
        derived = b64url(public_point(vapid_private_key(settings).public_key()))
    except ValueError:
        return ["OPSTA_PUSH_VAPID_PRIVATE_KEY is not a base64url P-256 private key; "
                "`opsta push generate-keys` prints a pair."]
    problems = []
    if derived != public.rstrip("="):
        problems.append("OPSTA_PUSH_VAPID_PUBLIC_KEY does not belong to OPSTA_PUSH_VAPID_PRIVATE_KEY.")
    if not settings.push_vapid_subject.startswith(("mailto:", "https://")):
        problems.append("OPSTA_PUSH_VAPID_SUBJECT must be a mailto: address or an https:// URL where push "
                        "services can reach the operator.")
    return problems
