"""Cutting long labels for narrow rows, without splitting a Thai syllable's marks from their consonant."""
from __future__ import annotations

import unicodedata

ELLIPSIS = "..."
# Written before the consonant they are read after: never left at the end of a cut.
THAI_LEADING_VOWELS = "เแโใไ"
SARA_AM = "\u0e33"  # a spacing vowel that still belongs to the consonant before it


def _attached(char: str) -> bool:
    return unicodedata.category(char) == "Mn" or char == SARA_AM


def cut_label(text: str | None, limit: int = 20) -> str:
    """`text` when it fits in `limit` characters, else its start and `...` (`ศูนย์เทคโนโลยีสาร...`).

    Thai vowels above and below a consonant and tone marks are separate characters: a cut never
    leaves one without its consonant, nor a leading vowel without the consonant after it.
    """
    text = (text or "").strip()
    if len(text) <= limit:
        return text
    end = limit - len(ELLIPSIS)
    while end > 0 and _attached(text[end]):
        end -= 1
    while end > 0 and text[end - 1] in THAI_LEADING_VOWELS:
        end -= 1
    return text[:end].rstrip() + ELLIPSIS
