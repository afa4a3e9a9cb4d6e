"""Read results as the press releases print them, line by line.

"Andreas’ results:" / "Andreas resultat:" followed by "Free Practice 1: 21st place",
"Race 2: Retired (DNF)", "Race 1: 15th place (2nd in WTCR Trophy)"; a session heading
("Race 2:") followed by "Andreas: Bröt (DNF)"; "Race 2: Andreas 17th, Jessica DNF"; or a
line in the command syntax ("race2 andreas dnf jessica 17"). Every line is either used
or comes back as a ``LineProblem`` with its number and a hint in the staff member's
language; nothing is dropped or guessed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic

from bot.core.errors import UserError
from bot.core.model import Driver
from bot.core.results import phrases as say
from bot.core.results.classes import KNOWN_CLASSES, class_key, class_match
from bot.core.results.model import (
    MAX_PLACE,
    PLAUSIBLE_GRID,
    LineProblem,
    ResultChange,
    ResultStatus,
)
from bot.core.results.parse import (
    STATUS_WORDS,
    parse_number_place,
    parse_result_command,
    parse_result_options,
)
from bot.core.results.resolve import (
    S,
    ambiguous_session,
    driver_matches,
    resolve_driver,
    session_matches,
    text_key,
)

_RESULTS_WORD = r"(?:results?|resultat(?:en)?)"
_HEADING_AFTER = re.compile(rf"(?P<name>.+?)\s+{_RESULTS_WORD}\s*:?", re.IGNORECASE)
_HEADING_BEFORE = re.compile(
    rf"{_RESULTS_WORD}\s*(?:[-–—]\s*)?(?:for|för|from|från)?\s+(?P<name>[^\s–—-].*?)\s*:?",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"(?:[’'`´]s?)$")
_COLON = re.compile(r"\s*:(?=\s|$)\s*")
_DASH = re.compile(r"\s+[-–—]\s+")
#: A plain hyphen standing alone: the command syntax's removal mark ("jessica -").
_REMOVAL_MARK = re.compile(r"(?:^|\s)-(?:\s|$)")
_BULLET = re.compile(r"^(?:[-•*·]\s+|\d+[.)]\s+(?=\D))")
_PAREN = re.compile(r"\(([^()]*)\)")
_NOTE = re.compile(r'"([^"]*)"|“([^”]*)”|”([^”]*)”')
_CLASS_SPLIT = re.compile(r"\s*(?:,|;|&|\boch\b|\band\b)\s*", re.IGNORECASE)
_FILLER = frozenset({"place", "plats", "position", "pos", "placering", "plac", "as", "som"})
#: Statuses written as several words, keyed by their letters ("Did not start").
_STATUS_PHRASES = {
    "didnotstart": ResultStatus.DNS,
    "startadeinte": ResultStatus.DNS,
    "ejstart": ResultStatus.DNS,
    "ejstartat": ResultStatus.DNS,
    "ejigang": ResultStatus.DNF,
    "didnotfinish": ResultStatus.DNF,
    "fullfoljdeinte": ResultStatus.DNF,
    "notclassified": ResultStatus.NC,
    "ejklassad": ResultStatus.NC,
    "ejklassificerad": ResultStatus.NC,
    "disqualified": ResultStatus.DSQ,
}
#: A heading that names nobody ("Resultat:"): the lines under it name their own.
_BARE_HEADINGS = frozenset({"result", "results", "resultat", "resultaten", "resultatet"})
_ALL_STATUSES = {**STATUS_WORDS, **_STATUS_PHRASES}


@dataclass(frozen=True)
class SessionResults(Generic[S]):
    """What a paste says about one session, in the order the lines gave it."""

    session: S
    changes: tuple[ResultChange, ...]
    #: The line each change came from, one per change.
    lines: tuple[int, ...]


@dataclass(frozen=True)
class ResultsReading(Generic[S]):
    """Every session a paste names, the lines it used, and the lines it refused."""

    sessions: tuple[SessionResults[S], ...]
    problems: tuple[LineProblem, ...]
    used: frozenset[int]

    @property
    def changes(self) -> int:
        return sum(len(s.changes) for s in self.sessions)


@dataclass
class _Collected(Generic[S]):
    session: S
    changes: list[ResultChange] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    drivers: dict[str, int] = field(default_factory=dict)
    places: dict[tuple[str, int], tuple[str, int]] = field(default_factory=dict)


def looks_like_results_heading(text: str) -> bool:
    """Whether ``text`` reads as "Andreas’ results:" / "Resultat för Andreas" (any name)."""
    clean = " ".join(text.split())
    return bool(_HEADING_AFTER.fullmatch(clean) or _HEADING_BEFORE.fullmatch(clean))


def _name_variants(name: str) -> list[str]:
    """ "Andreas’" -> Andreas, "Jessicas" -> Jessica: the ways a possessive is written."""
    bare = _POSSESSIVE.sub("", name.strip())
    return [name, bare, *([bare[:-1]] if bare.lower().endswith("s") else [])]


def _one_driver(name: str, drivers: Sequence[Driver]) -> Driver | None:
    for variant in _name_variants(name):
        found = driver_matches(variant, drivers)
        if len(found) == 1:
            return found[0]
    return None


def _one_session(name: str, sessions: Sequence[S], language: str) -> S | None:
    found = session_matches(name, sessions)
    if len(found) > 1:
        raise ambiguous_session(name, found, language)
    return found[0] if found else None


def _split_outside_parens(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


def _status(words: str) -> ResultStatus | None:
    return _ALL_STATUSES.get(text_key(words))


def _close_status(words: str) -> ResultStatus | None:
    """The status a slightly mistyped word means ("Retierd", "Brött"), if only one."""
    close = difflib.get_close_matches(text_key(words), list(_ALL_STATUSES), n=1, cutoff=0.75)
    return _ALL_STATUSES[close[0]] if close else None


class _Outcome:
    """One driver's outcome text: "15th place (2nd in WTCR Trophy)", "Bröt (DNF) – punktering"."""

    def __init__(self, text: str, driver: Driver, language: str) -> None:
        self.text = text
        self.driver = driver
        self.language = language
        self.classes: dict[str, int | None] = {}
        self.codes: list[ResultStatus] = []

    def refuse(self, phrase: say.Phrase, hint: say.Phrase, **fields: object) -> UserError:
        return UserError(phrase.say(self.language, **fields), hint.say(self.language, **fields))

    def read(self) -> ResultChange:
        rest, note = self._note(self.text)
        for group in _PAREN.findall(rest):
            code = _status(group)
            if code is not None:
                self.codes.append(code)
            else:
                self._classes(group)
        main = _PAREN.sub(" ", rest).strip(" .,;")
        if "(" in main or ")" in main:
            raise self.refuse(say.NOT_AN_OUTCOME, say.OUTCOME_SHAPES, text=self.text)
        main, *after = _split_outside_parens(main)
        for part in after:  # "19th place, 4th in the Trophy"
            self._classes(part)
        position, status = self._main(main)
        for key, place in self.classes.items():
            if position is not None and place is not None and place > position:
                raise self.refuse(
                    say.CLASS_BEHIND, say.CLASS_SHAPE, key=key, place=place, position=position
                )
        return ResultChange(self.driver.id, position, status, self.classes, note)

    def _note(self, text: str) -> tuple[str, str | None]:
        """A quoted note, or the words after a dash: "Bröt (DNF) – punktering"."""
        quoted = _NOTE.search(text)
        if quoted:
            note = next(g for g in quoted.groups() if g is not None)
            return text[: quoted.start()] + text[quoted.end() :], " ".join(note.split())
        parts = _DASH.split(text, maxsplit=1)
        if len(parts) == 2 and parts[1].strip():
            return parts[0], " ".join(parts[1].split())
        return text, None

    def _main(self, main: str) -> tuple[int | None, ResultStatus | None]:
        words = [w for w in main.split() if text_key(w) not in _FILLER]
        number = parse_number_place(words[0]) if len(words) == 1 else None
        status = _status(" ".join(words)) if words else None
        if words and number is None and status is None:
            guess = _close_status(" ".join(words))
            if guess is None or set(self.codes) - {guess}:
                raise self.refuse(say.NOT_AN_OUTCOME, say.OUTCOME_SHAPES, text=main)
            status = guess if self.codes else None
            if status is None:
                raise self.refuse(say.NOT_AN_OUTCOME, say.OUTCOME_SHAPES, text=main)
        said = {*self.codes, *([status] if status else [])}
        if len(said) > 1 or (said and number is not None):
            first, second = (*sorted(s.value for s in said), str(number))[:2]
            raise self.refuse(
                say.STATUS_CLASH, say.OUTCOME_SHAPES, text=self.text, first=first, second=second
            )
        if number is not None:
            self._check(number)
            return number, None
        if said:
            return None, said.pop()
        raise self.refuse(say.NOT_AN_OUTCOME, say.OUTCOME_SHAPES, text=self.text)

    def _check(self, place: int) -> None:
        if not 1 <= place <= MAX_PLACE:
            raise self.refuse(say.PLACE_IMPOSSIBLE, say.OUTCOME_SHAPES, place=place, top=MAX_PLACE)

    def _classes(self, group: str) -> None:
        for part in _CLASS_SPLIT.split(group.strip()):
            if not part:
                continue
            match = class_match(part)
            place = parse_number_place(match["place"]) if match else None
            if match is None or place is None or not text_key(match["cls"]):
                raise self.refuse(say.NOT_A_CLASS_TEXT, say.CLASS_SHAPE, text=part)
            self._check(place)
            key = class_key(match["cls"])
            close = difflib.get_close_matches(key, KNOWN_CLASSES, n=1, cutoff=0.7)
            if key not in KNOWN_CLASSES and close:  # "Trofy": a typo, not a new class
                raise self.refuse(
                    say.NOT_A_CLASS_TEXT,
                    say.DID_YOU_MEAN,
                    text=match["cls"],
                    choices=f"“{close[0]}”",
                )
            if key in self.classes:
                who = self.driver.first_name
                raise self.refuse(say.TWO_CLASS_PLACES, say.CLASS_SHAPE, who=who, key=key)
            self.classes[key] = place


class _Reader(Generic[S]):
    """Line-by-line state: whose block or which session the lines are under."""

    def __init__(self, sessions: Sequence[S], drivers: Sequence[Driver], language: str) -> None:
        self.sessions = sessions
        self.all_drivers = drivers
        self.language = language
        self.driver: Driver | None = None
        self.session: S | None = None
        self.unreadable_heading: int | None = None
        self.collected: dict[str, _Collected[S]] = {}
        self.problems: list[LineProblem] = []
        self.used: set[int] = set()

    # -- one line ------------------------------------------------------------------------

    def feed(self, number: int, raw: str) -> None:
        text = _BULLET.sub("", " ".join(raw.split()))
        if not text:
            return
        try:
            self._line(number, text)
        except UserError as exc:
            self.problems.append(LineProblem(number, text, exc.message, exc.hint))

    def _line(self, number: int, text: str) -> None:
        heading = _HEADING_AFTER.fullmatch(text) or _HEADING_BEFORE.fullmatch(text)
        if heading and self._heading(number, heading["name"], text):
            return
        label, rest = self._split(text)
        if label is not None and not rest:
            if text_key(label) in _BARE_HEADINGS:
                self.driver, self.session, self.unreadable_heading = None, None, None
                self.used.add(number)
            elif not self._heading(number, label, text):
                raise self._unknown_label(label)
            return
        target = self._target(label) if label is not None else None
        if target is not None:
            try:
                session, changes = self._entries(target, rest)
            except UserError:
                # "race1 jessica - andreas 5": a dash of the command syntax, not a separator.
                found = self._as_command(text)
                if isinstance(found, UserError):
                    if _REMOVAL_MARK.search(text):  # the command's "-" is meant: its words
                        raise found from None
                    raise
                session, changes = found
            self._add_line(number, session, changes)
            return
        found = self._as_command(text)
        if isinstance(found, UserError):  # a lone "-" is the command's removal: its words
            if label is None or _REMOVAL_MARK.search(text):
                raise found
            raise self._unknown_label(label)
        self._add_line(number, *found)

    def _as_command(self, text: str) -> tuple[S, list[ResultChange]] | UserError:
        """The line in the command syntax, or why it is not."""
        try:
            return parse_result_command(
                text, sessions=self.sessions, drivers=self.all_drivers, language=self.language
            )
        except UserError as exc:
            return exc

    @staticmethod
    def _split(text: str) -> tuple[str | None, str]:
        """ "Race 2: Bröt (DNF)" -> ("Race 2", "Bröt (DNF)"); also "Race 2 – Bröt"."""
        for separator in (_COLON, _DASH):
            parts = separator.split(text, maxsplit=1)
            if len(parts) == 2 and parts[0].strip():
                return parts[0].strip(), parts[1].strip()
        return None, text

    def _heading(self, number: int, name: str, text: str) -> bool:
        """A driver's or a session's heading; an unknown name under "results" is refused."""
        driver = _one_driver(name, self.all_drivers)
        session = None if driver else _one_session(name, self.sessions, self.language)
        if driver is None and session is None:
            if not looks_like_results_heading(text):
                return False
            self.driver, self.session, self.unreadable_heading = None, None, number
            # Not one driver by any spelling: this refuses, listing who is meant.
            resolve_driver(_name_variants(name)[1], self.all_drivers, language=self.language)
            return False
        self.driver, self.session, self.unreadable_heading = driver, session, None
        self.used.add(number)
        return True

    def _target(self, label: str) -> tuple[S | None, Driver | None] | None:
        """What the words before the colon name: a session, a driver, or both."""
        session = _one_session(label, self.sessions, self.language)
        driver = None if session else _one_driver(label, self.all_drivers)
        if session or driver:
            return session, driver
        words = label.split()
        for cut in range(1, len(words)):
            head, tail = " ".join(words[:cut]), " ".join(words[cut:])
            for session_words, driver_words in ((tail, head), (head, tail)):
                found_session = session_matches(session_words, self.sessions)
                found_driver = _one_driver(driver_words, self.all_drivers)
                if len(found_session) == 1 and found_driver:
                    return found_session[0], found_driver
        return None

    def _entries(
        self, target: tuple[S | None, Driver | None], rest: str
    ) -> tuple[S, list[ResultChange]]:
        session = target[0] or self.session
        if session is None:
            raise UserError(
                say.WHICH_SESSION.say(self.language), say.SESSION_ABOVE.say(self.language)
            )
        driver = target[1]
        try:
            outcomes = self._more_named(driver, rest) if driver else self._named_outcomes(rest)
            changes = [self._read(who, text) for who, text in outcomes]
        except UserError as exc:
            if driver is not None:  # "Race 2 – Andreas 15, Jessica 16": the command syntax
                try:
                    return parse_result_options(
                        session.id,
                        f"{driver.first_name} {rest}",
                        sessions=self.sessions,
                        drivers=self.all_drivers,
                        language=self.language,
                    )
                except UserError:
                    raise exc from None
            if self._leading_driver(rest) is None:
                raise
            # "Race 2: andreas dnf jessica 17": the command syntax after a session label.
            session, changes = parse_result_options(
                session.id,
                rest,
                sessions=self.sessions,
                drivers=self.all_drivers,
                language=self.language,
            )
        return session, changes

    def _read(self, who: Driver | None, text: str) -> ResultChange:
        if who is None:
            self._no_driver()
        assert who is not None
        return _Outcome(text, who, self.language).read()

    def _named_outcomes(self, rest: str) -> list[tuple[Driver | None, str]]:
        """ "Andreas 17th, Jessica Bröt (DNF)" by name; else the whole for the block's driver."""
        parts = _split_outside_parens(rest)
        named = [self._leading_driver(part) for part in parts]
        if all(found is not None for found in named):
            return [found for found in named if found is not None]
        return [(self.driver, rest)]

    def _more_named(self, driver: Driver, rest: str) -> list[tuple[Driver | None, str]]:
        """ "Andreas: Bröt (DNF), Jessica: 12:a": more drivers after the first's outcome."""
        first, *others = _split_outside_parens(rest)
        named = [self._leading_driver(part) for part in others]
        if others and all(found is not None for found in named):
            return [(driver, first), *(found for found in named if found is not None)]
        return [(driver, rest)]

    def _leading_driver(self, part: str) -> tuple[Driver | None, str] | None:
        """The driver a part starts with ("Jessica 16th", "Jessica: 16th"), and the rest."""
        words = _COLON.sub(" ", part, count=1).split()
        for count in (2, 1):
            if len(words) > count:
                found = _one_driver(" ".join(words[:count]), self.all_drivers)
                if found is not None:  # "Jessica – 16th": the dash is no removal here
                    return found, re.sub(r"^[-–—]\s+(?=\S)", "", " ".join(words[count:]))
        return None

    def _no_driver(self) -> None:
        if self.unreadable_heading is not None:
            raise UserError(
                say.UNDER_UNKNOWN.say(self.language, heading=self.unreadable_heading),
                say.LINES_HINT.say(self.language),
            )
        raise UserError(say.WHOSE_RESULT.say(self.language), say.NAME_ABOVE.say(self.language))

    def _unknown_label(self, label: str) -> UserError:
        names = [n for s in self.sessions for n in (s.name.sv, s.name.en)]
        names += [d.first_name for d in self.all_drivers]
        close = difflib.get_close_matches(label, list(dict.fromkeys(names)), n=3, cutoff=0.6)
        hint = say.LINES_HINT.say(self.language)
        if close:
            meant = ", ".join(f"“{c}”" for c in close)
            hint = f"{say.DID_YOU_MEAN.say(self.language, choices=meant)}\n{hint}"
        return UserError(say.UNKNOWN_LABEL.say(self.language, label=label), hint)

    # -- collecting ----------------------------------------------------------------------

    def _add_line(self, number: int, session: S, changes: Sequence[ResultChange]) -> None:
        """All of a line's changes, or none of them (a refused line leaves nothing behind)."""
        entry = self.collected.get(session.id)
        saved = (
            (list(entry.changes), list(entry.lines), dict(entry.drivers), dict(entry.places))
            if entry
            else None
        )
        try:
            for change in changes:
                self._add(number, session, change)
        except UserError:
            if saved is None:
                self.collected.pop(session.id, None)
            else:
                assert entry is not None
                entry.changes, entry.lines, entry.drivers, entry.places = saved
            raise
        self.used.add(number)

    def _add(self, number: int, session: S, change: ResultChange) -> None:
        entry = self.collected.setdefault(session.id, _Collected(session))
        who = self._first_name(change.driver_id)
        named = session.name.get(self.language)
        earlier = entry.drivers.get(change.driver_id)
        if earlier is not None:
            raise UserError(
                say.ALREADY_ON_LINE.say(self.language, who=who, session=named, earlier=earlier),
                say.ONE_AT_A_TIME.say(self.language),
            )
        places = [("", change.position)] if change.position is not None else []
        for key, where in [*places, *change.class_positions.items()]:
            if where is None:
                continue
            holder = entry.places.get((key, where))
            if holder is not None:
                phrase = say.CLASS_PLACE if key else say.PLACE
                place = phrase.say(self.language, where=where, key=key)
                other = self._first_name(holder[0])
                raise UserError(
                    say.PLACE_ON_LINE.say(
                        self.language, other=other, place=place, session=named, earlier=holder[1]
                    ),
                    say.ONE_AT_A_TIME.say(self.language),
                )
        entry.drivers[change.driver_id] = number
        for key, where in [*places, *change.class_positions.items()]:
            if where is not None:
                entry.places[(key, where)] = (change.driver_id, number)
        entry.changes.append(change)
        entry.lines.append(number)

    def _first_name(self, driver_id: str) -> str:
        return next((d.first_name for d in self.all_drivers if d.id == driver_id), driver_id)

    def result(self) -> ResultsReading[S]:
        return ResultsReading(
            sessions=tuple(
                SessionResults(c.session, tuple(c.changes), tuple(c.lines))
                for c in self.collected.values()
            ),
            problems=tuple(self.problems),
            used=frozenset(self.used),
        )


def read_results(
    text: str | Iterable[str],
    *,
    sessions: Sequence[S],
    drivers: Sequence[Driver],
    language: str,
    first_line: int = 1,
    session: S | None = None,
) -> ResultsReading[S]:
    """Every result in a paste of release lines or command lines, and every refused line.

    ``text`` is the paste (or its lines); line numbers start at ``first_line``, so a
    reader of a whole release can pass one block and still name the release's lines.
    ``session`` is the session lines are under before any heading names one (a typed
    command's session option). Problems are worded in ``language``. Pure: nothing is
    looked up or written.
    """
    reader: _Reader[S] = _Reader(sessions, drivers, language)
    reader.session = session
    lines = text.splitlines() if isinstance(text, str) else list(text)
    for number, raw in enumerate(lines, first_line):
        reader.feed(number, raw)
    return reader.result()


def problems_error(
    problems: Sequence[LineProblem], language: str, *, numbered: bool = True
) -> UserError:
    """One refusal naming every problem line; a one-line paste keeps its plain message."""
    if not numbered and len(problems) == 1:
        return UserError(problems[0].message, problems[0].hint)
    messages = [p.numbered(language) for p in problems]
    hints = list(dict.fromkeys(p.hint for p in problems if p.hint))
    return UserError("\n".join(messages), "\n".join(hints) or None)


def grid_doubts(
    changes: Iterable[ResultChange],
    drivers: Sequence[Driver],
    language: str,
    grid: int | None = None,
    series: str = "",
) -> list[str]:
    """A warning per place (or class place) beyond the grid, for staff to confirm: the
    ``grid`` the series' schedule file gives (its cars entered), else ``PLAUSIBLE_GRID``
    and a sentence that it is a guess."""
    names = {d.id: d.first_name for d in drivers}
    cap = grid or PLAUSIBLE_GRID

    def doubt(what: str) -> str:
        if grid is None:
            return say.BEYOND_GRID.say(language, what=what, grid=cap)
        return say.BEYOND_ENTRIES.say(language, what=what, grid=cap, series=series)

    doubts = []
    for change in changes:
        who = names.get(change.driver_id, change.driver_id)
        if change.position is not None and change.position > cap:
            doubts.append(doubt(say.PLACE_OF.say(language, place=change.position, who=who)))
        for key, place in change.class_positions.items():
            if place is not None and place > cap:
                what = say.CLASS_PLACE_OF.say(language, place=place, key=key, who=who)
                doubts.append(doubt(what))
    return doubts
