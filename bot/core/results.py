"""Race results and championship standings: read what staff type or paste, render posts.

Staff record results with one chat command per session and paste standings tables
straight from the press release. Both are read strictly: anything unclear is a
UserError that says what is wrong and how it should look, and nothing is half-recorded.
Rendering follows the seeds' voice ("Andreas’ results:", "Race 2: Retired (DNF)").
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol, TypeVar

from bot.core.errors import UserError
from bot.core.markup import Bold, Line, Post, Span, line
from bot.core.model import Driver, Event, Series, SessionKind, Text
from bot.core.ordinals import ordinal
from bot.core.timeutil import local

# --------------------------------------------------------------------------- model


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


S = TypeVar("S", bound=SessionLike)
T = TypeVar("T")

#: How class keys typed after a place are shown; unknown keys are shown as typed.
CLASS_LABELS: dict[str, Text] = {
    "trophy": Text("WTCR Trophy", "WTCR Trophy"),
    "junior": Text("juniorklassen", "Junior"),
}
_CLASS_WORDS = {"trophy": "trophy", "junior": "junior", "juniorklassen": "junior"}

_STATUS_WORDS = {
    "dnf": ResultStatus.DNF,
    "brot": ResultStatus.DNF,
    "retired": ResultStatus.DNF,
    "ret": ResultStatus.DNF,
    "dns": ResultStatus.DNS,
    "dsq": ResultStatus.DSQ,
    "dq": ResultStatus.DSQ,
    "diskad": ResultStatus.DSQ,
    "diskvalificerad": ResultStatus.DSQ,
    "disqualified": ResultStatus.DSQ,
    "nc": ResultStatus.NC,
}

_STATUS_TEXT = {
    ResultStatus.DNF: Text("bröt (DNF)", "Retired (DNF)"),
    ResultStatus.DNS: Text("startade inte (DNS)", "Did not start (DNS)"),
    ResultStatus.DSQ: Text("diskvalificerad (DSQ)", "Disqualified (DSQ)"),
    ResultStatus.NC: Text("ej klassad (NC)", "Not classified (NC)"),
}

_KIND_WORDS: dict[SessionKind, tuple[str, ...]] = {
    SessionKind.PRACTICE: ("fp", "ft", "practice", "freepractice", "traning", "fritraning"),
    SessionKind.QUALIFYING: ("q", "quali", "qualy", "qualifying", "kval", "tidskval"),
    SessionKind.RACE: ("r", "race", "lopp", "heat"),
    SessionKind.OTHER: (),
}

USAGE = (
    "usage: SESSION DRIVER PLACE [DRIVER PLACE ...], e.g. `race2 andreas dnf jessica 17`; "
    "a place is 17, 17th, 17:e, P17, dnf, dns, dsq or nc; class places may follow a place "
    '(`15 trophy 2 junior 3` or `trophy:2`), then an optional note in quotes ("puncture")'
)

# --------------------------------------------------------------------------- text keys


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced: how people type names in chat."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.split())


def _key(text: str) -> str:
    """Letters and digits only, so "Race 1", "race-1" and "race1" are one key."""
    return "".join(c for c in fold(text) if c.isalnum())


def _unique(items: Iterable[T]) -> list[T]:
    out: list[T] = []
    for item in items:
        if not any(item is seen for seen in out):
            out.append(item)
    return out


# --------------------------------------------------------------------------- sessions


def _session_label(session: SessionLike) -> str:
    sv, en = session.name.sv, session.name.en
    return f"{session.id} ({sv})" if sv == en else f"{session.id} ({sv} / {en})"


def _session_number(session: SessionLike, candidates: Sequence[SessionLike]) -> int:
    """The digits ending the id (fp2 -> 2), else the place among sessions of its kind."""
    digits = re.search(r"(\d+)$", session.id)
    if digits:
        return int(digits[1])
    same_kind = [c for c in candidates if c.kind == session.kind]
    return next(i for i, c in enumerate(same_kind, 1) if c is session)


def _exact_keys(session: SessionLike) -> set[str]:
    return {_key(session.id), _key(session.name.sv), _key(session.name.en)}


def _alias_keys(session: SessionLike, candidates: Sequence[SessionLike]) -> set[str]:
    number = _session_number(session, candidates)
    words = _KIND_WORDS[session.kind]
    return {*words, *(f"{word}{number}" for word in words)}


def _session_matches(query: str, candidates: Sequence[S]) -> list[S]:
    """Sessions ``query`` names: exact ids/names win over shorthands like "r1" or "kval"."""
    wanted = _key(query)
    if not wanted:
        return []
    exact = _unique(c for c in candidates if wanted in _exact_keys(c))
    if exact:
        return exact
    return _unique(c for c in candidates if wanted in _alias_keys(c, candidates))


def _unknown_session(query: str, candidates: Sequence[SessionLike]) -> UserError:
    if not candidates:
        return UserError("this weekend has no sessions", "add the sessions to the schedule first")
    choices = ", ".join(_session_label(c) for c in candidates)
    return UserError(f"unknown session “{query}”", f"choose one of: {choices}")


def _ambiguous_session(query: str, matches: Sequence[SessionLike]) -> UserError:
    listed = ", ".join(_session_label(m) for m in matches)
    return UserError(
        f"“{query}” matches several sessions: {listed}", "write the session id, e.g. race1"
    )


def resolve_session(query: str, candidates: Sequence[S]) -> S:
    """The one session ``query`` names by id, Swedish/English name or shorthand."""
    matches = _session_matches(query, candidates)
    if len(matches) > 1:
        raise _ambiguous_session(query, matches)
    if not matches:
        raise _unknown_session(query, candidates)
    return matches[0]


# --------------------------------------------------------------------------- drivers


def _driver_label(driver: Driver) -> str:
    return f"{driver.id} ({driver.full_name})"


def _driver_matches(query: str, drivers: Sequence[Driver]) -> list[Driver]:
    """Drivers ``query`` names: id, full name and number win over a first or last name."""
    wanted = fold(query).removeprefix("#")
    if not wanted:
        return []
    exact = _unique(
        d
        for d in drivers
        if wanted in {fold(d.id), fold(d.full_name), str(d.number) if d.number else ""}
    )
    if exact:
        return exact
    return _unique(d for d in drivers if wanted in {fold(d.first_name), fold(d.last_name)})


def resolve_driver(query: str, drivers: Sequence[Driver]) -> Driver:
    """The one driver ``query`` names; "backman" matches Bäckman, shared names are refused."""
    matches = _driver_matches(query, drivers)
    if len(matches) > 1:
        listed = ", ".join(_driver_label(d) for d in matches)
        raise UserError(
            f"“{query}” matches several drivers: {listed}", "write the first name or the id"
        )
    if not matches:
        choices = ", ".join(_driver_label(d) for d in drivers) or "none in this series"
        raise UserError(f"unknown driver “{query}”", f"choose one of: {choices}")
    return matches[0]


# --------------------------------------------------------------------------- command


@dataclass(frozen=True)
class _Token:
    text: str
    quoted: bool = False


_TOKEN = re.compile(r'"([^"]*)"|“([^”]*)”|”([^”]*)”|„([^“”]*)[“”]|(\S+)')
_QUOTES = '"“”„'


def _tokenize(text: str) -> list[_Token]:
    """Words and quoted notes; a stray quote mark is an error, not part of a word."""
    tokens = []
    for match in _TOKEN.finditer(text):
        bare = match[5]
        if bare is None:
            quoted = next(g for g in match.groups()[:4] if g is not None)
            tokens.append(_Token(quoted, quoted=True))
        elif any(q in bare for q in _QUOTES):
            raise _usage_error(f"unmatched quote in “{bare}”", 'close the note: "like this"')
        else:
            tokens.append(_Token(bare))
    return tokens


class _Cursor:
    """Reads tokens one at a time so every error can say what came where."""

    def __init__(self, tokens: Sequence[_Token]) -> None:
        self.tokens = tokens
        self.at = 0

    def peek(self, ahead: int = 0) -> _Token | None:
        index = self.at + ahead
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self, count: int = 1) -> None:
        self.at += count

    @property
    def done(self) -> bool:
        return self.at >= len(self.tokens)


_PLACE = re.compile(r"p?(\d{1,9})(?:st|nd|rd|th|:a|:e|\.)?")


def _parse_number_place(text: str) -> int | None:
    match = _PLACE.fullmatch(fold(text))
    return int(match[1]) if match else None


def _parse_place(text: str) -> tuple[int | None, ResultStatus | None] | None:
    """(place, None) for "17"/"17th"/"17:e"/"P17", (None, status) for "dnf"/"bröt"; else None."""
    status = _STATUS_WORDS.get(_key(text))
    if status is not None:
        return None, status
    number = _parse_number_place(text)
    return (number, None) if number is not None else None


def _usage_error(message: str, hint: str | None = None) -> UserError:
    return UserError(message, f"{hint}\n{USAGE}" if hint else USAGE)


def _with_usage(error: UserError) -> UserError:
    return _usage_error(error.message, error.hint)


def _check_range(place: int, grid_size: int, what: str) -> None:
    if not 1 <= place <= grid_size:
        raise _usage_error(f"place {place} for {what} is outside 1–{grid_size}")


def _looks_like_driver(token: _Token, drivers: Sequence[Driver]) -> bool:
    return not token.quoted and bool(_driver_matches(token.text, drivers))


def _words_before(tokens: Sequence[_Token], stop: Callable[[_Token], bool]) -> str | None:
    """The unquoted words before the first ``stop`` token, if some words and a stop exist."""
    words = list(itertools.takewhile(lambda t: not t.quoted and not stop(t), tokens))
    return " ".join(t.text for t in words) if 0 < len(words) < len(tokens) else None


def _session_query(tokens: Sequence[_Token], drivers: Sequence[Driver]) -> str:
    """The words meant as the session: those before the first driver (else the first place)."""
    return (
        _words_before(tokens, lambda t: _looks_like_driver(t, drivers))
        or _words_before(tokens, lambda t: _parse_place(t.text) is not None)
        or tokens[0].text
    )


def _take_session(
    tokens: Sequence[_Token], sessions: Sequence[S], drivers: Sequence[Driver]
) -> tuple[S, Sequence[_Token]]:
    """The longest leading run of words that names a session, and the tokens after it."""
    if tokens[0].quoted:
        try:
            return resolve_session(tokens[0].text, sessions), tokens[1:]
        except UserError as exc:
            raise _with_usage(exc) from None
    words = [t.text for t in itertools.takewhile(lambda t: not t.quoted, tokens[:5])]
    ambiguous: tuple[str, list[S]] | None = None
    for count in range(len(words), 0, -1):
        query = " ".join(words[:count])
        matches = _session_matches(query, sessions)
        if len(matches) == 1:
            return matches[0], tokens[count:]
        if matches and ambiguous is None:
            ambiguous = (query, matches)
    meant = _session_query(tokens, drivers)
    if ambiguous and len(ambiguous[0]) >= len(meant):
        raise _with_usage(_ambiguous_session(*ambiguous))
    raise _with_usage(_unknown_session(meant, sessions))


def _take_driver(cursor: _Cursor, drivers: Sequence[Driver]) -> Driver:
    """A driver by one word, or by first and last name as two words."""
    token = cursor.peek()
    assert token is not None
    if token.quoted:
        raise _usage_error(f"unexpected note “{token.text}”", "a note goes after a driver's place")
    following = cursor.peek(1)
    if following is not None and not following.quoted:
        pair = _driver_matches(f"{token.text} {following.text}", drivers)
        if len(pair) == 1:
            cursor.take(2)
            return pair[0]
    if _parse_place(token.text) is not None:
        raise _usage_error(f"“{token.text}” has no driver", "write a driver before each place")
    if not _key(token.text):
        raise _usage_error(f"did not understand “{token.text}”")
    try:
        driver = resolve_driver(token.text, drivers)
    except UserError as exc:
        raise _with_usage(exc) from None
    cursor.take()
    return driver


def _take_place(
    cursor: _Cursor, driver: Driver, grid_size: int
) -> tuple[int | None, ResultStatus | None]:
    token = cursor.peek()
    if token is None:
        raise _usage_error(f"no place given for {driver.first_name}")
    parsed = None if token.quoted else _parse_place(token.text)
    if parsed is None:
        raise _usage_error(f"no place given for {driver.first_name}: “{token.text}” is not a place")
    cursor.take()
    if parsed[0] is not None:
        _check_range(parsed[0], grid_size, driver.first_name)
    return parsed


def _class_at(cursor: _Cursor) -> tuple[str, str, int] | None:
    """(class key, place text, tokens used) if a class place starts here."""
    token = cursor.peek()
    if token is None or token.quoted:
        return None
    name, colon, value = token.text.partition(":")
    if colon and _key(name) and value and not _parse_place(token.text):
        return _CLASS_WORDS.get(_key(name), _key(name)), value, 1
    following = cursor.peek(1)
    if _key(token.text) in _CLASS_WORDS and following is not None and not following.quoted:
        return _CLASS_WORDS[_key(token.text)], following.text, 2
    return None


def _take_classes(cursor: _Cursor, driver: Driver, grid_size: int) -> dict[str, int]:
    """Class places after a place: "trophy 2 junior 3" or "trophy:2"."""
    classes: dict[str, int] = {}
    while (found := _class_at(cursor)) is not None:
        key, text, used = found
        place = _parse_number_place(text)
        if place is None:
            raise _usage_error(f"“{text}” is not a place in {key} for {driver.first_name}")
        if key in classes:
            raise _usage_error(f"{driver.first_name} has two places in {key}")
        _check_range(place, grid_size, f"{driver.first_name} in {key}")
        classes[key] = place
        cursor.take(used)
    return classes


def _take_note(cursor: _Cursor) -> str | None:
    token = cursor.peek()
    if token is None or not token.quoted:
        return None
    cursor.take()
    return " ".join(token.text.split()) or None


class _Seen:
    """Who got which place so far, to refuse doubles as soon as they appear."""

    def __init__(self) -> None:
        self.drivers: set[str] = set()
        self.places: dict[tuple[str, int], Driver] = {}

    def add(self, driver: Driver, result: DriverResult) -> None:
        if driver.id in self.drivers:
            raise _usage_error(f"{driver.first_name} is listed twice")
        self.drivers.add(driver.id)
        places = [("", result.position)] if result.position is not None else []
        for key, where in [*places, *result.class_positions.items()]:
            other = self.places.setdefault((key, where), driver)
            if other is not driver:
                place = f"place {where} in {key}" if key else f"place {where}"
                raise _usage_error(f"{other.first_name} and {driver.first_name} both have {place}")


def _take_results(
    tokens: Sequence[_Token], drivers: Sequence[Driver], grid_size: int
) -> list[DriverResult]:
    cursor = _Cursor(tokens)
    seen = _Seen()
    results = []
    while not cursor.done:
        driver = _take_driver(cursor, drivers)
        position, status = _take_place(cursor, driver, grid_size)
        classes = _take_classes(cursor, driver, grid_size)
        result = DriverResult(driver.id, position, status, classes, _take_note(cursor))
        seen.add(driver, result)
        results.append(result)
    return results


def parse_result_command(
    args: str, *, sessions: Sequence[S], drivers: Sequence[Driver], grid_size: int = 40
) -> tuple[S, list[DriverResult]]:
    """Read ``SESSION DRIVER PLACE [DRIVER PLACE ...]``; all of it or a UserError."""
    tokens = _tokenize(args)
    if not tokens:
        raise _usage_error("nothing to record")
    session, rest = _take_session(tokens, sessions, drivers)
    if not rest:
        raise _usage_error(f"no results given for {session.name.en}")
    return session, _take_results(rest, drivers, grid_size)


def ensure_started(
    session_start: datetime | None,
    event_first_day_start: datetime | None,
    now: datetime,
    *,
    label: str = "The session",
) -> None:
    """Refuse results for a session that cannot have been run yet."""
    if session_start is not None:
        if now < session_start:
            raise UserError(
                f"{label} has not started yet (it starts {local(session_start):%Y-%m-%d %H:%M}"
                " Swedish time)",
                "record the result once the session has been run",
            )
        return
    if event_first_day_start is not None and now < event_first_day_start:
        raise UserError(
            f"{label} has not started yet (the weekend starts "
            f"{local(event_first_day_start):%Y-%m-%d})",
            "record the result once the session has been run",
        )


# --------------------------------------------------------------------------- standings


@dataclass(frozen=True)
class StandingsRow:
    position: int
    name: str
    country: str | None
    points: int
    ours: bool


@dataclass(frozen=True)
class StandingsTable:
    """One championship table as a release prints it; ``dash_after`` rows precede the "–"."""

    title: str
    series_line: str | None
    after_round: int | None
    of_rounds: int | None
    rows: tuple[StandingsRow, ...]
    is_team: bool
    language: str
    dash_after: int | None = None


_ROW_START = re.compile(r"\d+\s*[:.)]")
_ROW = re.compile(
    r"(?P<pos>\d{1,6})\s*[:.)]\s*(?P<name>\S.*?)(?:\s*\((?P<country>[A-Za-z]{2,3})\))?"
    r"\s*,\s*(?P<points>\d{1,9})\s*(?:p\.?|pts\.?|points|poäng)",
    re.IGNORECASE,
)
_DASH = re.compile(r"[-–—]+")
_AFTER = re.compile(
    r"\((?:after|efter)\s+(\d{1,4})\s+(?:of|av)\s+(\d{1,4})\b[^()]*\)", re.IGNORECASE
)
_SEE_FULL = re.compile(r"(?:see|se)\b.*\b(?:here|här)\W*", re.IGNORECASE)
_SWEDISH = re.compile(r"\b(?:efter|av|totalt|topp|tre)\b|mastarskap|tabell|tavlingshelg")
_TEAM = re.compile(r"\bteam|\bstall")
_ROW_HINT = (
    "write rows as the release prints them: “1: Mike Halder (GER), 242 p.” or, "
    "for a team, “1: Cyan Racing Lynk & Co, 141 p.”"
)
_TABLE_HINT = (
    "paste the tables as the release prints them: a title line, the series line "
    "“FIA WTCR 2021 (After 3 of 8 race weekends)”, rows “1: Mike Halder (GER), 242 p.”, "
    "“–”, then our rows"
)


@dataclass
class _Draft:
    """A table being read, remembering line numbers for error messages."""

    title: str
    line_no: int
    series_line: str | None = None
    rows: list[StandingsRow] = field(default_factory=list)
    row_lines: dict[int, int] = field(default_factory=dict)
    dash_after: int | None = None


def _line_error(number: int, text: str, problem: str, hint: str = _ROW_HINT) -> UserError:
    return UserError(f"line {number} “{text}”: {problem}", hint)


def _parse_row(number: int, text: str, ours: set[str]) -> StandingsRow:
    match = _ROW.fullmatch(text)
    if not match:
        raise _line_error(number, text, "not a standings row")
    name = match["name"].strip()
    country = match["country"].upper() if match["country"] else None
    return StandingsRow(int(match["pos"]), name, country, int(match["points"]), fold(name) in ours)


def _finish(draft: _Draft) -> StandingsTable:
    if not draft.rows:
        raise _line_error(draft.line_no, draft.title, "a table with no rows", _TABLE_HINT)
    after = _AFTER.search(draft.series_line or "")
    folded = fold(f"{draft.title} {draft.series_line or ''}")
    return StandingsTable(
        title=draft.title,
        series_line=draft.series_line,
        after_round=int(after[1]) if after else None,
        of_rounds=int(after[2]) if after else None,
        rows=tuple(draft.rows),
        is_team=bool(_TEAM.search(fold(draft.title))) or all(r.country is None for r in draft.rows),
        language="sv" if _SWEDISH.search(folded) else "en",
        dash_after=draft.dash_after,
    )


class _StandingsReader:
    """Line-by-line state: the tables so far and the one being read."""

    def __init__(self, our_names: Iterable[str]) -> None:
        self.ours = {fold(name) for name in our_names}
        self.tables: list[StandingsTable] = []
        self.draft: _Draft | None = None

    def feed(self, number: int, text: str) -> None:
        if not text or _SEE_FULL.fullmatch(text):
            return
        if _DASH.fullmatch(text):
            self._dash(number, text)
        elif _ROW_START.match(text):
            self._row(number, text)
        else:
            self._text(number, text)

    def _dash(self, number: int, text: str) -> None:
        if self.draft is None or not self.draft.rows:
            raise _line_error(number, text, "a dash line before any row", _TABLE_HINT)
        if self.draft.dash_after is not None:
            raise _line_error(number, text, "a second dash line in one table", _TABLE_HINT)
        self.draft.dash_after = len(self.draft.rows)

    def _row(self, number: int, text: str) -> None:
        if self.draft is None:
            raise _line_error(number, text, "a row before any table title", _TABLE_HINT)
        row = _parse_row(number, text, self.ours)
        earlier = self.draft.row_lines.setdefault(row.position, number)
        if earlier != number:
            raise _line_error(number, text, f"position {row.position} is already on line {earlier}")
        self.draft.rows.append(row)

    def _text(self, number: int, text: str) -> None:
        """A title, the series line under it, or a heading above the next title."""
        draft = self.draft
        if draft is not None and not draft.rows:
            if draft.series_line is None and _AFTER.search(text):
                draft.series_line = text
                return
            if draft.series_line is not None:
                raise _line_error(draft.line_no, draft.title, "a table with no rows", _TABLE_HINT)
        elif draft is not None:
            self.tables.append(_finish(draft))
        self.draft = _Draft(text, number)

    def close(self) -> list[StandingsTable]:
        if self.draft is not None:
            self.tables.append(_finish(self.draft))
        if not self.tables:
            raise UserError("no standings table found", _TABLE_HINT)
        return self.tables


def parse_standings(text: str, *, our_names: Iterable[str] = ()) -> list[StandingsTable]:
    """Every table in a pasted standings block (Swedish or English), or a UserError."""
    reader = _StandingsReader(our_names)
    for number, raw in enumerate(text.splitlines(), 1):
        reader.feed(number, " ".join(raw.split()))
    return reader.close()


def _row_text(row: StandingsRow) -> str:
    country = f" ({row.country})" if row.country else ""
    return f"{row.position}: {row.name}{country}, {row.points} p."


def _table_text(table: StandingsTable) -> list[tuple[str, bool]]:
    """(text, bold) per printed line: title, series line, rows with the "–" where it was."""
    lines = [(table.title, True)]
    if table.series_line:
        lines.append((table.series_line, False))
    for index, row in enumerate(table.rows):
        if index == table.dash_after:
            lines.append(("–", False))
        lines.append((_row_text(row), row.ours))
    if table.dash_after is not None and table.dash_after >= len(table.rows):
        lines.append(("–", False))
    return lines


def _tables_text(tables: Sequence[StandingsTable]) -> list[tuple[str, bool]]:
    lines: list[tuple[str, bool]] = []
    for index, table in enumerate(tables):
        if index:
            lines.append(("", False))
        lines.extend(_table_text(table))
    return lines


def standings_text(tables: Sequence[StandingsTable]) -> list[str]:
    """The tables' lines exactly as printed, blank line between tables (for echoing a paste)."""
    return [text for text, _ in _tables_text(tables)]


def _tables_lines(tables: Sequence[StandingsTable]) -> list[Line]:
    """Post lines for the tables: titles and our rows in bold."""
    return [
        line(Bold(text)) if bold else line(text) if text else ()
        for text, bold in _tables_text(tables)
    ]


def render_standings(tables: Sequence[StandingsTable], language: str) -> Post:
    title = "Championship standings" if language == "en" else "Mästerskapsställning"
    return Post(title=title, lines=tuple(_tables_lines(tables)), language=language)


# --------------------------------------------------------------------------- rendering


def _names(drivers: Sequence[Driver]) -> dict[str, str]:
    return {d.id: d.first_name for d in drivers}


def _class_text(classes: Mapping[str, int], language: str) -> str:
    """ "(2nd in WTCR Trophy, 3rd in Junior)" / "(2:a i WTCR Trophy)"; empty without classes."""
    if not classes:
        return ""
    word = "in" if language == "en" else "i"
    parts = [
        f"{ordinal(place, language)} {word} {CLASS_LABELS.get(key, Text(key, key)).get(language)}"
        for key, place in classes.items()
    ]
    return f" ({', '.join(parts)})"


def _outcome(result: DriverResult, language: str, *, place_word: bool) -> str:
    """ "15th"/"15:e" (or "15th place"), or the status as the releases word it."""
    if result.status is not None:
        return _STATUS_TEXT[result.status].get(language)
    if result.position is None:
        return "–"
    place = ordinal(result.position, language)
    if not place_word:
        return place
    return f"{place} place" if language == "en" else f"{place} plats"


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def render_session_result(
    series: Series,
    event: Event,
    session: SessionLike,
    results: Sequence[DriverResult],
    language: str,
    drivers: Sequence[Driver],
) -> Post:
    """ "Race 1 – Estoril" / "Race 1: Andreas 15th (2nd in WTCR Trophy), Jessica 16th"."""
    names = _names(drivers)
    session_name = session.name.get(language)
    spans: list[Span | str] = [f"{session_name}: "]
    for index, result in enumerate(results):
        outcome = _outcome(result, language, place_word=False)
        classes = _class_text(result.class_positions, language)
        separator = ", " if index else ""
        name = Bold(names.get(result.driver_id, result.driver_id))
        spans.extend((separator, name, f" {outcome}{classes}"))
    notes = [
        line(Bold(names.get(r.driver_id, r.driver_id)), f": {r.note}") for r in results if r.note
    ]
    return Post(
        title=f"{session_name} – {event.name}",
        lines=(line(*spans), *notes),
        color=series.color,
        language=language,
    )


def _possessive(name: str, language: str) -> str:
    """ "Andreas’", "Jessica’s"; Swedish "Andreas", "Jessicas"."""
    if language == "en":
        return f"{name}’" if name.endswith("s") else f"{name}’s"
    return name if name[-1:].lower() in ("s", "x", "z") else f"{name}s"


def _driver_block(
    driver: Driver,
    sessions: Sequence[SessionLike],
    results_by_session: Mapping[str, Sequence[DriverResult]],
    language: str,
) -> list[Line]:
    """ "Andreas’ results:" then one "Free Practice 1: 21st place" line per session."""
    lines: list[Line] = []
    for session in sessions:
        result = next(
            (r for r in results_by_session.get(session.id, ()) if r.driver_id == driver.id), None
        )
        if result is None:
            continue
        outcome = _capitalized(_outcome(result, language, place_word=True))
        note = f" – {result.note}" if result.note else ""
        classes = _class_text(result.class_positions, language)
        lines.append(line(f"{session.name.get(language)}: {outcome}{classes}{note}"))
    if not lines:
        return []
    heading = "results" if language == "en" else "resultat"
    return [line(Bold(f"{_possessive(driver.first_name, language)} {heading}:")), *lines]


def render_weekend_summary(
    series: Series,
    event: Event,
    sessions_in_order: Sequence[SessionLike],
    results_by_session: Mapping[str, Sequence[DriverResult]],
    standings: Sequence[StandingsTable],
    language: str,
    drivers: Sequence[Driver],
) -> Post:
    """Each driver's results per session, then the standings tables, as the releases end."""
    lines: list[Line] = []
    for driver in drivers:
        lines += _driver_block(driver, sessions_in_order, results_by_session, language)
    if standings:
        lines += [(), *_tables_lines(standings)]
    word = "Results" if language == "en" else "Resultat"
    round_word = "round" if language == "en" else "deltävling"
    return Post(
        title=f"{word} – {event.name}",
        lines=tuple(lines),
        color=series.color,
        language=language,
        footer=f"{series.name} {series.season}, {round_word} {event.round}",
    )
