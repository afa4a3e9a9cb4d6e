"""Class places as results lines write them: "2nd in WTCR Trophy", "P3 Trophy", "3:a
junior", "Trophy: 2", and the key a class is stored under."""

from __future__ import annotations

import re

from bot.core.results.parse import CLASS_WORDS, parse_number_place
from bot.core.results.resolve import text_key

_CLASS_AFTER = re.compile(r"(?P<place>\S+)\s+(?:in|i|inom|of)\s+(?:the\s+)?(?P<cls>.+)", re.I)
#: "P3 Trophy", "3:a junior", "2nd WTCR Trophy": the place first, no "in".
_CLASS_PLACE_FIRST = re.compile(
    r"(?P<place>[Pp]?\d\S*)\s+(?!(?:in|i|inom|of|the)$)(?P<cls>[^\W\d].*)", re.IGNORECASE
)
_CLASS_BEFORE = re.compile(r"(?P<cls>.*?[^\W\d].*?)\s*:?\s+(?P<place>\S+)")

KNOWN_CLASSES = ["trophy", "junior"]


def class_key(name: str) -> str:
    """The key a class is stored under: "WTCR Trophy" -> trophy, "Junior" -> junior."""
    key = text_key(name)
    for known in KNOWN_CLASSES:
        if known in key:
            return known
    return CLASS_WORDS.get(key, key)


def class_match(part: str) -> re.Match[str] | None:
    """ "2nd in WTCR Trophy", "P3 Trophy" / "3:a junior", or "Trophy: 2"."""
    for pattern in (_CLASS_AFTER, _CLASS_PLACE_FIRST):
        match = pattern.fullmatch(part)
        if match and parse_number_place(match["place"]) is not None:
            return match
    return _CLASS_BEFORE.fullmatch(part)
