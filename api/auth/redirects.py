"""Where a browser may be sent after signing in: only to a path on our own origin."""
from __future__ import annotations

from urllib.parse import urlsplit


def local_path(candidate: str | None, *, default: str = "/") -> str:
    """`candidate` when it is a path on this site (such as `/calendar?month=2026-09`), else `default`.

    Refused: absolute and scheme-relative URLs (`https://x`, `//x`), backslashes that browsers read
    as slashes (`/\\x`), control characters, and anything that does not start with one `/`.
    """
    if not candidate or not isinstance(candidate, str) or len(candidate) > 2000:
        return default
    if not candidate.startswith("/") or candidate.startswith("//") or "\\" in candidate:
        return default
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in candidate):
        return default
    parts = urlsplit(candidate)
    if parts.scheme or parts.netloc:
        return default
    return candidate
