"""What a result is: one driver's place or status in one session, plus class places.

Plain data shared by the parser, the renderers and the command layer; no parsing here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from bot.core.model import SessionKind, Text
from bot.core.results.phrases import ON_LINE


class ResultStatus(StrEnum):
    DNF = "DNF"
    DNS = "DNS"
    DSQ = "DSQ"
    NC = "NC"


@dataclass(frozen=True)
class DriverResult:
    """One driver's outcome of one session: a place or a status, plus class places."""

    driver_id: str
    position: int | None
    status: ResultStatus | None
    class_positions: dict[str, int] = field(default_factory=dict)
    note: str | None = None


class SessionLike(Protocol):
    """A timed session or a format template: all that resolving and rendering need."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> Text: ...

    @property
    def kind(self) -> SessionKind: ...


#: The highest place any command accepts: above it a number is a typo, not a place.
MAX_PLACE = 99
#: More cars than a grid usually has: a place above it is asked about in the draft.
PLAUSIBLE_GRID = 30

#: How class keys typed after a place are shown; unknown keys are shown as typed.
CLASS_LABELS: dict[str, Text] = {
    "trophy": Text("WTCR Trophy", "WTCR Trophy"),
    "junior": Text("juniorklassen", "Junior"),
}


@dataclass(frozen=True)
class ResultChange:
    """What one command says about one driver; everything it does not name stays as it was.

    ``position``/``status`` is the new outcome (neither when ``remove``). A class place of
    None removes that class place; a note of None keeps the note and "" clears it.
    """

    driver_id: str
    position: int | None
    status: ResultStatus | None
    class_positions: dict[str, int | None] = field(default_factory=dict)
    note: str | None = None
    remove: bool = False


@dataclass(frozen=True)
class LineProblem:
    """One line of a paste that was not used, and why, in the staff member's language.

    ``line`` counts from 1 in the text as given (or from the reader's ``first_line``).
    """

    line: int
    text: str
    message: str
    hint: str | None = None

    def numbered(self, language: str) -> str:
        """ "line 7 “…”: why" / "rad 7 “…”: varför"."""
        return ON_LINE.say(language, line=self.line, text=self.text, message=self.message)
