"""Which push endpoints the server will POST to: https to an allowed host, nothing else.

The endpoint comes from a browser, so it is a URL anyone signed in can choose; without this check the
push worker could be made to POST to hosts inside the server's network.
"""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from engine.config import Settings

LOOPBACK_NAMES = frozenset({"localhost"})


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _is_loopback(host: str) -> bool:
    address = _ip(host)
    return host in LOOPBACK_NAMES or (address is not None and address.is_loopback)


def _matches(host: str, pattern: str) -> bool:
    if pattern.startswith("*."):
        return host.endswith(pattern[1:]) and len(host) > len(pattern) - 1
    return host == pattern


def endpoint_refusal(endpoint: str, *, settings: Settings) -> str | None:
    """Why `endpoint` may not be pushed to, or None when it may."""
    try:
        parts = urlsplit(endpoint)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return "The endpoint is not a URL."
    if not host or parts.username is not None or parts.password is not None:
        return "The endpoint must be an absolute URL with a host and no user name."
    patterns = [p.strip().lower() for p in settings.push_allowed_hosts.split(",") if p.strip()]
    listed = any(_matches(host, p) for p in patterns if p != "*")
    if parts.scheme == "http" and _is_loopback(host) and listed:
        return None  # a push service on this machine, named in the setting (tests)
    if parts.scheme != "https":
        return "The endpoint must be an https URL."
    if listed:
        return None
    if "*" in patterns:
        address = _ip(host)
        if _is_loopback(host) or (address is not None and not address.is_global):
            return "The endpoint names a private address."
        return None
    return f"Push service {host} is not allowed here (OPSTA_PUSH_ALLOWED_HOSTS)."
