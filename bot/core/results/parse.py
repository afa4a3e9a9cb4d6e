"""Read a staff result command: ``SESSION DRIVER PLACE [DRIVER PLACE ...]``, strictly.

Anything unclear is a UserError that says what is wrong and how it should look, and
nothing is half-recorded.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.core.errors import UserError
from bot.core.model import Driver
from bot.core.results.model import ResultChange, ResultStatus
from bot.core.results.resolve import (
    S,
    ambiguous_session,
    driver_matches,
    fold,
    resolve_driver,
    resolve_session,
    session_matches,
    text_key,
    unknown_session,
)
from bot.core.timeutil import local

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

USAGE = (
    "usage: SESSION DRIVER PLACE [DRIVER PLACE ...], e.g. `race2 andreas dnf jessica 17`; "
    "a place is 17, 17th, 17:e, P17, dnf, dns, dsq or nc; class places may follow a place "
    '(`15 trophy 2 junior 3` or `trophy:2`), then an optional note in quotes ("puncture"); '
    "a correction changes only the drivers, class places and notes it names: "
    '`jessica -` removes Jessica\'s result, `trophy -` a class place, `""` a note'
)

#: Written as a place (or a class place): remove what was recorded.
_REMOVE = frozenset({"-", "–", "—"})


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
    status = _STATUS_WORDS.get(text_key(text))
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
    return not token.quoted and bool(driver_matches(token.text, drivers))


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
        matches = session_matches(query, sessions)
        if len(matches) == 1:
            return matches[0], tokens[count:]
        if matches and ambiguous is None:
            ambiguous = (query, matches)
    meant = _session_query(tokens, drivers)
    if ambiguous and len(ambiguous[0]) >= len(meant):
        raise _with_usage(ambiguous_session(*ambiguous))
    raise _with_usage(unknown_session(meant, sessions))


def _take_driver(cursor: _Cursor, drivers: Sequence[Driver]) -> Driver:
    """A driver by one word, or by first and last name as two words."""
    token = cursor.peek()
    assert token is not None
    if token.quoted:
        raise _usage_error(f"unexpected note “{token.text}”", "a note goes after a driver's place")
    following = cursor.peek(1)
    if following is not None and not following.quoted:
        pair = driver_matches(f"{token.text} {following.text}", drivers)
        if len(pair) == 1:
            cursor.take(2)
            return pair[0]
    if _parse_place(token.text) is not None:
        raise _usage_error(f"“{token.text}” has no driver", "write a driver before each place")
    if not text_key(token.text):
        raise _usage_error(f"did not understand “{token.text}”")
    try:
        driver = resolve_driver(token.text, drivers)
    except UserError as exc:
        raise _with_usage(exc) from None
    cursor.take()
    return driver


def _take_place(
    cursor: _Cursor, driver: Driver, grid_size: int
) -> tuple[int | None, ResultStatus | None] | None:
    """The place or status; None for the removal mark "-"."""
    token = cursor.peek()
    if token is None:
        raise _usage_error(f"no place given for {driver.first_name}")
    if not token.quoted and token.text in _REMOVE:
        cursor.take()
        return None
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
    if colon and text_key(name) and value and not _parse_place(token.text):
        return _CLASS_WORDS.get(text_key(name), text_key(name)), value, 1
    following = cursor.peek(1)
    if text_key(token.text) in _CLASS_WORDS and following is not None and not following.quoted:
        return _CLASS_WORDS[text_key(token.text)], following.text, 2
    return None


def _take_classes(cursor: _Cursor, driver: Driver, grid_size: int) -> dict[str, int | None]:
    """Class places after a place: "trophy 2 junior 3" or "trophy:2"; "trophy -" removes."""
    classes: dict[str, int | None] = {}
    while (found := _class_at(cursor)) is not None:
        key, text, used = found
        if text in _REMOVE:
            if key in classes:
                raise _usage_error(f"{driver.first_name} has two places in {key}")
            classes[key] = None
            cursor.take(used)
            continue
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
    """The quoted note; "" for an empty one (or "-"), which clears the recorded note."""
    token = cursor.peek()
    if token is None or not token.quoted:
        return None
    cursor.take()
    note = " ".join(token.text.split())
    return "" if note in _REMOVE else note


def _refuse_after_removal(cursor: _Cursor, driver: Driver) -> None:
    token = cursor.peek()
    if token is not None and (token.quoted or _class_at(cursor) is not None):
        raise _usage_error(
            f"“{token.text}” after “-” for {driver.first_name}",
            f"“-” removes {driver.first_name}'s whole result; write nothing after it",
        )


class _Seen:
    """Who got which place so far, to refuse doubles as soon as they appear."""

    def __init__(self) -> None:
        self.drivers: set[str] = set()
        self.places: dict[tuple[str, int], Driver] = {}

    def add(self, driver: Driver, change: ResultChange) -> None:
        if driver.id in self.drivers:
            raise _usage_error(f"{driver.first_name} is listed twice")
        self.drivers.add(driver.id)
        places = [("", change.position)] if change.position is not None else []
        for key, where in [*places, *change.class_positions.items()]:
            if where is None:
                continue
            other = self.places.setdefault((key, where), driver)
            if other is not driver:
                place = f"place {where} in {key}" if key else f"place {where}"
                raise _usage_error(f"{other.first_name} and {driver.first_name} both have {place}")


def _take_change(cursor: _Cursor, driver: Driver, grid_size: int) -> ResultChange:
    outcome = _take_place(cursor, driver, grid_size)
    if outcome is None:
        _refuse_after_removal(cursor, driver)
        return ResultChange(driver.id, None, None, remove=True)
    classes = _take_classes(cursor, driver, grid_size)
    return ResultChange(driver.id, *outcome, classes, _take_note(cursor))


def _take_results(
    tokens: Sequence[_Token], drivers: Sequence[Driver], grid_size: int
) -> list[ResultChange]:
    cursor = _Cursor(tokens)
    seen = _Seen()
    changes = []
    while not cursor.done:
        driver = _take_driver(cursor, drivers)
        change = _take_change(cursor, driver, grid_size)
        seen.add(driver, change)
        changes.append(change)
    return changes


def parse_result_command(
    args: str, *, sessions: Sequence[S], drivers: Sequence[Driver], grid_size: int = 40
) -> tuple[S, list[ResultChange]]:
    """Read ``SESSION DRIVER PLACE [DRIVER PLACE ...]``; all of it or a UserError.

    Each driver's entry is a change to what is recorded (see ``correct.apply_changes``).
    """
    tokens = _tokenize(args)
    if not tokens:
        raise _usage_error("nothing to record")
    session, rest = _take_session(tokens, sessions, drivers)
    if not rest:
        raise _usage_error(f"no results given for {session.name.en}")
    return session, _take_results(rest, drivers, grid_size)


def parse_result_options(
    session: str,
    places: str,
    *,
    sessions: Sequence[S],
    drivers: Sequence[Driver],
    grid_size: int = 40,
) -> tuple[S, list[ResultChange]]:
    """The typed form of ``parse_result_command``: the session and the places apart."""
    try:
        chosen = resolve_session(session, sessions)
    except UserError as exc:
        raise _with_usage(exc) from None
    tokens = _tokenize(places)
    if not tokens:
        raise _usage_error(f"no results given for {chosen.name.en}")
    return chosen, _take_results(tokens, drivers, grid_size)


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
