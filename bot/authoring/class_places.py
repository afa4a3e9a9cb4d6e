"""Class places a release gives in its running text, not in the results block.

Seed 004 (Estoril) lists "Race 1: 15th place" under "Andreas’ results:" and says the
class places in a sentence: "Andreas with his 15th position in Race 1 was the 2nd best
WTCR Trophy driver. Jessica was the 3rd best WTCR Trophy driver in Race 1 and the 3rd
best Junior driver. In Race 2, Jessica was the 2nd best …". Media officers also write
"Andreas slutade trea i Trophy-klassen medan Jessica blev tvåa" and "Jessica was the 2nd
best WTCR Trophy driver and Andreas the 3rd".

A sentence names one session; every place in it ("2nd", "3:e", "trea", "third") belongs
to the driver named last before it, and to the class named after it (before the next
place or driver). A place with no class of its own takes the class of the place before
it in the sentence ("… and Andreas the 3rd") unless it is that driver's overall place.
A place followed by "place"/"position"/"plats" is the overall place: it agrees with the
results block or is not read. Whatever a sentence mentions that cannot be bound this way
(no driver before it, no class, a podium that is no exact place, a sentence naming no
session or several) is returned as ``unread``, so the caller can list the line as partly
understood instead of losing it: nothing is guessed, nothing is dropped without a word.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.core.model import Driver
from bot.core.results.classes import class_key
from bot.core.results.model import SessionLike
from bot.core.results.parse import parse_number_place

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_BEST = re.compile(
    r"\b(?P<place>\d{1,2}(?:st|nd|rd|th|:a|:e)?)\s+(?:best|bästa)\s+"
    r"(?:(?P<cls>[^\W\d][\w\- ]{0,30}?)\s+(?:driver|förare)\b"
    r"|(?:driver|förare)\s+(?:in|i)\s+(?P<cls_after>[^\W\d][\w\-]*(?:\s+Trophy)?))",
    re.IGNORECASE,
)
_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
    "etta": 1, "tvåa": 2, "trea": 3, "fyra": 4, "femma": 5, "sexa": 6, "sjua": 7,
    "åtta": 8, "nia": 9, "tia": 10,
    "första": 1, "andra": 2, "tredje": 3, "fjärde": 4, "femte": 5, "sjätte": 6,
    "sjunde": 7, "åttonde": 8, "nionde": 9, "tionde": 10,
}  # fmt: skip
#: Swedish ordinals that are also other words ("andra" = other, "fyra" = four): a place
#: only before "plats"/"bästa" (or, for "fyra"/"åtta", after "blev"/"slutade"/"som").
_GUARDED = frozenset(
    {"första", "andra", "tredje", "fjärde", "femte", "sjätte", "sjunde", "åttonde", "nionde"}
    | {"tionde", "fyra", "åtta"}
)
_FIRST_IN = r"(?=\s+(?:[^\W\d]+\s+)?(?:the\s+)?(?:WTCR\s+)?(?:Trophy|junior))"
_PLACE = re.compile(
    rf"(?P<won>(?<=the )best|(?<=den )bästa|(?<!\w)won|(?<!\w)vann){_FIRST_IN}"
    r"|(?<![\w:])(?P<num>[Pp]?\d{1,2}(?:st|nd|rd|th|:a|:e))(?!\w)"
    rf"|(?<!\w)(?P<word>{'|'.join(sorted(_WORDS, key=len, reverse=True))})(?!\w)",
    re.IGNORECASE,
)
_CLASS = re.compile(
    r"(?<!\w)(?:(?:WTCR\s+)?Trophy(?:[-\s]?klassen)?|junior(?:[-\s]?klassen|erna)?)(?!\w)",
    re.IGNORECASE,
)
_OVERALL = re.compile(r"\s*(?:place|position|plats|placering|overall|totalt)\b", re.I)
_PODIUM = re.compile(r"\s*(?:\w+\s+)?(?:podium|pallplats|pallen)", re.IGNORECASE)
_NOT_A_PLACE = re.compile(
    r"\s*(?:time|times|race|lap|laps|day|session|round|weekend|heat|gången|gång|varvet|"
    r"dagen|helgen|racet|loppet|points?|poäng)\b",
    re.IGNORECASE,
)
_STANDINGS = re.compile(
    r"\s*(?:[-–]?\s*)(?:standings|championship|points|table|ställningen|mästerskapet|"
    r"tabellen|poäng|cupen|cup)",
    re.IGNORECASE,
)
#: Between a place and its class: "trea i Trophy-klassen", "4th in the Trophy", "P3 Trophy".
_ATTACHED = re.compile(
    r"\s*(?:place\s+|plats\s+|position\s+)?(?:best\s+|bästa\s+)?"
    r"(?:(?:in|i|inom|among|bland|of)\s+)?(?:the\s+)?",
    re.IGNORECASE,
)
_BEFORE_FYRA = re.compile(r"(?:blev|slutade|som|kom)\s+$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ClassPlace:
    line: int
    driver_id: str
    session_id: str
    key: str
    place: int


@dataclass
class ClassReading:
    """The class places the lines give, and per line what in it could not be read."""

    places: list[ClassPlace] = field(default_factory=list)
    #: line -> the overall places it states that agree with the results (read, used)
    agreed: dict[int, list[str]] = field(default_factory=dict)
    unread: dict[int, list[str]] = field(default_factory=dict)


def _clip(text: str, most: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1] + "…"


def _mentions(pattern: str, text: str) -> list[int]:
    return [m.start() for m in re.finditer(rf"(?<!\w){pattern}(?!\w)", text, re.IGNORECASE)]


def class_places(
    lines: Sequence[str],
    *,
    sessions: Sequence[SessionLike],
    drivers: Sequence[Driver],
    skip: set[int],
    positions: Mapping[tuple[str, str], int | None] | None = None,
) -> ClassReading:
    """Every class place the lines' sentences give (line numbers from 1; ``skip`` are
    lines some other reader used; ``positions`` the overall place of (session id,
    driver id) the results give, which tells an overall place from a class place)."""
    reading = ClassReading()
    for number, text in enumerate(lines, start=1):
        if number in skip or not (_CLASS.search(text) or _BEST.search(text)):
            continue
        for sentence in _SENTENCE.split(text):
            _Sentence(number, sentence, sessions, drivers, positions or {}, reading).read()
    return reading


class _Sentence:
    def __init__(
        self,
        number: int,
        text: str,
        sessions: Sequence[SessionLike],
        drivers: Sequence[Driver],
        positions: Mapping[tuple[str, str], int | None],
        reading: ClassReading,
    ) -> None:
        self.number, self.text, self.positions, self.reading = number, text, positions, reading
        self.named = {
            s.id
            for s in sessions
            for name in {s.name.en, s.name.sv}
            if _mentions(re.escape(name).replace(r"\ ", r"\s*"), text)
        }
        self.who = sorted(
            (at, d.id) for d in drivers for at in _mentions(re.escape(d.first_name), text)
        )
        self.best: dict[int, str | None] = {
            m.start("place"): m["cls"] or m["cls_after"] for m in _BEST.finditer(text)
        }

    def _places(self) -> list[tuple[int, int, int | None]]:
        """(start, end, place) of each place mention; place None for a podium."""
        found: list[tuple[int, int, int | None]] = []
        for match in _PLACE.finditer(self.text):
            after = self.text[match.end() :]
            if _NOT_A_PLACE.match(after):
                continue
            if match["won"]:  # "won the Trophy class", "vann Andreas Trophy-klassen"
                cls = _CLASS.search(self.text, match.end())
                self.best[match.start()] = cls[0] if cls else None
                found.append((match.start(), match.end(), 1))
                continue
            if match["word"]:
                word = match["word"].casefold()
                told = re.match(r"\s*(?:plats|bästa|pall)", after, re.I) or (
                    word in {"fyra", "åtta"} and _BEFORE_FYRA.search(self.text[: match.start()])
                )
                if word in _GUARDED and not told:
                    continue
                place: int | None = _WORDS[word]
            else:
                place = parse_number_place(match["num"])
            if _PODIUM.match(after):
                place = None
            found.append((match.start(), match.end(), place))
        return found

    def _unread(self, start: int, end: int) -> None:
        """List the mention at ``start``–``end``: from its driver's name (if named since
        the place before) to its class or the word after it."""
        places = [s for s, _, _ in self._places()]
        since = max((e for s, e, _ in self._places() if s < start), default=0)
        names = [at for at, _ in self.who if since <= at < start]
        begin = names[-1] if names else start
        nxt = min([m for m in places + [at for at, _ in self.who] if m > start] or [len(self.text)])
        cls = _CLASS.search(self.text, end, nxt)
        word = re.match(r"\s*[^\W\d]+", self.text[end:])
        stop = cls.end() if cls else end + (word.end() if word else 0)
        self.reading.unread.setdefault(self.number, []).append(self.text[begin:stop].strip())

    def read(self) -> None:
        places = self._places()
        if len(self.named) != 1:
            for start, end, place in places:  # a class place without its session
                cls = _CLASS.search(self.text, end)
                near = cls is not None and cls.start() - end < 40
                if place is not None and (start in self.best or near):
                    self._unread(start, end)
            return
        (session_id,) = self.named
        if not places and _CLASS.search(self.text):  # "Jessica took the Junior win in Race 1"
            self.reading.unread.setdefault(self.number, []).append(_clip(self.text))
        previous: str | None = None
        marks = [at for at, _ in self.who] + [s for s, _, _ in places]
        for start, end, place in places:
            driver_id = self._whose(start, end)
            if place is None or driver_id is None:
                self._unread(start, end)
                continue
            overall = self.positions.get((session_id, driver_id))
            if _OVERALL.match(self.text[end:]) and start not in self.best:
                self._overall(start, end, place == overall)
                continue
            cls_name = self.best.get(start)
            if cls_name is None:
                nxt = min((m for m in marks if m > start), default=len(self.text))
                found = _CLASS.search(self.text, end, nxt)
                attached = found and _ATTACHED.fullmatch(self.text[end : found.start()])
                cls_name = found[0] if found and attached else None
                if found and attached and _STANDINGS.match(self.text, found.end()):
                    self._unread(start, end)  # "3rd in the Junior standings": no race's place
                    continue
            if cls_name is None and overall is not None and overall == place:
                self._overall(start, end, True)  # "… and Andreas finished 15th"
                continue
            if cls_name is None and overall is not None:
                cls_name = previous  # "… and Andreas the 3rd": the class said before
            if cls_name is None:
                self._unread(start, end)
                continue
            key = class_key(cls_name)
            previous = key
            self.reading.places.append(ClassPlace(self.number, driver_id, session_id, key, place))

    def _whose(self, start: int, end: int) -> str | None:
        """The driver named last before a place, else right after it ("vann Andreas")."""
        before = [driver_id for at, driver_id in self.who if at < start]
        if before:
            return before[-1]
        after = [d for at, d in self.who if at > end and not self.text[end:at].strip()]
        return after[0] if after else None

    def _overall(self, start: int, end: int, agrees: bool) -> None:
        if agrees:
            self.reading.agreed.setdefault(self.number, []).append(self.text[start:end])
        else:
            self._unread(start, end)
