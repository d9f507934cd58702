"""Byte- and line-level rules of the ZKTeco ADMS ("iclock") push protocol.

Devices send `text/plain` bodies whose Content-Type never names the charset, so the codec is a
per-device setting: utf-8 by default, gb18030 (a superset of GB2312/GBK) when that fails.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

DEFAULT_CODEC = "utf-8"
FALLBACK_CODEC = "gb18030"

_LINE_BREAK = re.compile(r"\r?\n")


@dataclass(frozen=True)
class LineReject:
    """A body line that could not be understood; `line_no` is 1-based over the whole body."""

    line_no: int
    raw: str
    reason: str


def decode_body(raw: bytes, codec: str = DEFAULT_CODEC) -> str:
    """Decode a request body with the device codec, falling back to gb18030 on a decode error.

    A NUL byte (firmware pads fixed-width fields with them) becomes U+FFFD: no database stores NUL
    in text, and a line holding one must still be kept for review.
    """
    try:
        text = raw.decode(codec)
    except (UnicodeDecodeError, LookupError):
        # Old firmware writes names in GBK whatever the server expects; gb18030 reads every GBK byte.
        text = raw.decode(FALLBACK_CODEC, errors="replace")
    return text.replace("\x00", "\ufffd")


def encode_body(text: str, codec: str = DEFAULT_CODEC) -> bytes:
    """Encode a reply or simulated upload in the device codec (unencodable characters become '?')."""
    return text.encode(codec, errors="replace")


def split_lines(text: str) -> list[str]:
    """Split a body on LF or CRLF; a trailing line break yields no extra line."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] in ("", "\r"):
        lines.pop()
    return lines


def numbered_lines(text: str) -> Iterator[tuple[int, str]]:
    """Yield (1-based line number, line) for every non-blank line of a body."""
    for line_no, line in enumerate(split_lines(text), start=1):
        if line.strip():
            yield line_no, line


def split_fields(line: str) -> list[str]:
    """Split one record into its TAB-separated fields."""
    return line.split("\t")


class FieldMap(Mapping[str, str]):
    """`Key=Value` fields looked up case-insensitively (firmware mixes `PIN`/`Pin`, `TMP`/`Tmp`)."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()):
        self._items: dict[str, tuple[str, str]] = {}
        for key, value in pairs:
            self._items[key.lower()] = (key, value)

    def __getitem__(self, key: str) -> str:
        return self._items[key.lower()][1]

    def __iter__(self) -> Iterator[str]:
        return (original for original, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._items

    def __repr__(self) -> str:
        return f"FieldMap({dict(self.items())!r})"


def parse_key_values(parts: Iterable[str]) -> FieldMap:
    """Turn `Key=Value` strings into a FieldMap; a part without `=` becomes a key with an empty value."""
    pairs = []
    for part in parts:
        key, _, value = part.partition("=")
        key = key.strip()
        if key:
            pairs.append((key, value))
    return FieldMap(pairs)
