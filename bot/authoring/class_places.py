"""Class places a release gives in its running text, not in the results block.

Seed 004 (Estoril) lists "Race 1: 15th place" under "Andreas’ results:" and says the
class places in a sentence: "Andreas with his 15th position in Race 1 was the 2nd best
WTCR Trophy driver. Jessica was the 3rd best WTCR Trophy driver in Race 1 and the 3rd
best Junior driver. In Race 2, Jessica was the 2nd best …". Such a sentence names one
session; each "Nth best CLASS driver" (Swedish: "Nth bästa förare i CLASS") belongs to
the driver named last before it. A sentence naming no session, or several, or no driver
before the place, gives nothing: nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.model import Driver
from bot.core.results.lines import class_key
from bot.core.results.model import SessionLike
from bot.core.results.parse import parse_number_place

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_BEST = re.compile(
    r"\b(?P<place>\d{1,2}(?:st|nd|rd|th|:a|:e)?)\s+(?:best|bästa)\s+"
    r"(?:(?P<cls>[^\W\d][\w\- ]{0,30}?)\s+(?:driver|förare)\b"
    r"|(?:driver|förare)\s+(?:in|i)\s+(?P<cls_after>[^\W\d][\w\-]*(?:\s+Trophy)?))",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ClassPlace:
    line: int
    driver_id: str
    session_id: str
    key: str
    place: int


def _mentions(pattern: str, text: str) -> list[int]:
    return [m.start() for m in re.finditer(rf"(?<!\w){pattern}(?!\w)", text, re.IGNORECASE)]


def class_places(
    lines: Sequence[str],
    *,
    sessions: Sequence[SessionLike],
    drivers: Sequence[Driver],
    skip: set[int],
) -> list[ClassPlace]:
    """Every class place the lines' sentences give (line numbers from 1; ``skip`` are
    lines some other reader used)."""
    found: list[ClassPlace] = []
    for number, text in enumerate(lines, start=1):
        if number in skip or not _BEST.search(text):
            continue
        for sentence in _SENTENCE.split(text):
            found += _in_sentence(number, sentence, sessions, drivers)
    return found


def _in_sentence(
    number: int, sentence: str, sessions: Sequence[SessionLike], drivers: Sequence[Driver]
) -> list[ClassPlace]:
    named = {
        s.id
        for s in sessions
        for name in {s.name.en, s.name.sv}
        if _mentions(re.escape(name).replace(r"\ ", r"\s*"), sentence)
    }
    if len(named) != 1:
        return []
    (session_id,) = named
    who = sorted((at, d.id) for d in drivers for at in _mentions(re.escape(d.first_name), sentence))
    out = []
    for match in _BEST.finditer(sentence):
        before = [driver_id for at, driver_id in who if at < match.start()]
        place = parse_number_place(match["place"])
        cls = match["cls"] or match["cls_after"]
        if before and place is not None and cls:
            out.append(ClassPlace(number, before[-1], session_id, class_key(cls), place))
    return out
