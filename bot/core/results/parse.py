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
from zoneinfo import ZoneInfo

from bot.core.errors import UserError
from bot.core.model import Driver
from bot.core.results import phrases as say
from bot.core.results.model import MAX_PLACE, ResultChange, ResultStatus
from bot.core.results.phrases import Phrase
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
from bot.core.texts import zone_words
from bot.core.timeutil import SWEDISH_TIME, local

CLASS_WORDS = {"trophy": "trophy", "junior": "junior", "juniorklassen": "junior"}

STATUS_WORDS = {
    "dnf": ResultStatus.DNF,
    "brot": ResultStatus.DNF,
    "retired": ResultStatus.DNF,
    "ret": ResultStatus.DNF,
    "utgick": ResultStatus.DNF,
    "dns": ResultStatus.DNS,
    "dsq": ResultStatus.DSQ,
    "dq": ResultStatus.DSQ,
    "diskad": ResultStatus.DSQ,
    "diskvalificerad": ResultStatus.DSQ,
    "disqualified": ResultStatus.DSQ,
    "nc": ResultStatus.NC,
}

#: Written as a place (or a class place): remove what was recorded.
_REMOVE = frozenset({"-", "–", "—"})


@dataclass(frozen=True)
class _Token:
    text: str
    quoted: bool = False


#: Bare words end at spaces, commas, semicolons and brackets: "andreas P15, jessica dnf",
#: "jessica 16 (trophy 2)" are the same as without them.
_TOKEN = re.compile(r'"([^"]*)"|“([^”]*)”|”([^”]*)”|„([^“”]*)[“”]|([^\s,;()]+)')
#: "andreas15", "junior3": a name and a place typed without the space between.
_GLUED = re.compile(r"([^\W\d_]{2,})(p?\d{1,2}(?:st|nd|rd|th|:a|:e|a|e)?)", re.IGNORECASE)
_QUOTES = '"“”„'


def _tokenize(text: str, language: str) -> list[_Token]:
    """Words and quoted notes; a stray quote mark is an error, not part of a word."""
    tokens = []
    for match in _TOKEN.finditer(text):
        bare = match[5]
        if bare is None:
            quoted = next(g for g in match.groups()[:4] if g is not None)
            tokens.append(_Token(quoted, quoted=True))
        elif any(q in bare for q in _QUOTES):
            raise _refuse(language, say.UNMATCHED_QUOTE, say.CLOSE_NOTE, word=bare)
        else:
            tokens.append(_Token(bare))
    return tokens


class _Cursor:
    """Reads tokens one at a time so every error can say what came where."""

    def __init__(self, tokens: Sequence[_Token], language: str) -> None:
        self.tokens = tokens
        self.language = language
        self.at = 0

    def peek(self, ahead: int = 0) -> _Token | None:
        index = self.at + ahead
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self, count: int = 1) -> None:
        self.at += count

    @property
    def done(self) -> bool:
        return self.at >= len(self.tokens)


#: "17", "P17", "17th", "17:e", "17e" (the colon left out on a phone), "2a", "17."
_PLACE = re.compile(r"p?(\d{1,9})(?:st|nd|rd|th|:a|:e|a|e|\.)?")


def parse_number_place(text: str) -> int | None:
    match = _PLACE.fullmatch(fold(text))
    return int(match[1]) if match else None


def _parse_place(text: str) -> tuple[int | None, ResultStatus | None] | None:
    """(place, None) for "17"/"17th"/"17:e"/"P17", (None, status) for "dnf"/"bröt"; else None."""
    status = STATUS_WORDS.get(text_key(text))
    if status is not None:
        return None, status
    number = parse_number_place(text)
    return (number, None) if number is not None else None


def _usage_error(language: str, message: str, hint: str | None = None) -> UserError:
    usage = say.USAGE.say(language)
    return UserError(message, f"{hint}\n{usage}" if hint else usage)


def _refuse(
    language: str, phrase: Phrase, hint: Phrase | None = None, **fields: object
) -> UserError:
    """``phrase`` (and ``hint``) in the caller's language, with the usage after."""
    return _usage_error(
        language, phrase.say(language, **fields), hint.say(language, **fields) if hint else None
    )


def _with_usage(error: UserError, language: str) -> UserError:
    return _usage_error(language, error.message, error.hint)


def _check_range(place: int, grid_size: int, what: str, language: str) -> None:
    if not 1 <= place <= grid_size:
        raise _refuse(language, say.PLACE_OUTSIDE, place=place, what=what, size=grid_size)


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
    tokens: Sequence[_Token], sessions: Sequence[S], drivers: Sequence[Driver], language: str
) -> tuple[S, Sequence[_Token]]:
    """The longest leading run of words that names a session, and the tokens after it."""
    if tokens[0].quoted:
        try:
            return resolve_session(tokens[0].text, sessions, language=language), tokens[1:]
        except UserError as exc:
            raise _with_usage(exc, language) from None
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
        raise _with_usage(ambiguous_session(*ambiguous, language), language)
    raise _with_usage(unknown_session(meant, sessions, language), language)


def _take_driver(cursor: _Cursor, drivers: Sequence[Driver]) -> Driver:
    """A driver by one word, or by first and last name as two words."""
    token = cursor.peek()
    assert token is not None
    language = cursor.language
    if token.quoted:
        raise _refuse(language, say.UNEXPECTED_NOTE, say.NOTE_AFTER_PLACE, note=token.text)
    following = cursor.peek(1)
    if following is not None and not following.quoted:
        pair = driver_matches(f"{token.text} {following.text}", drivers)
        if len(pair) == 1:
            cursor.take(2)
            return pair[0]
    if _parse_place(token.text) is not None:
        raise _refuse(language, say.NO_DRIVER, say.DRIVER_BEFORE_PLACE, text=token.text)
    if not text_key(token.text):
        raise _refuse(language, say.NOT_UNDERSTOOD, text=token.text)
    try:
        driver = resolve_driver(token.text, drivers, language=language)
    except UserError as exc:
        raise _with_usage(exc, language) from None
    cursor.take()
    return driver


def _take_place(
    cursor: _Cursor, driver: Driver, grid_size: int
) -> tuple[int | None, ResultStatus | None] | None:
    """The place or status; None for the removal mark "-"."""
    token = cursor.peek()
    who = driver.first_name
    if token is None:
        raise _refuse(cursor.language, say.NO_PLACE, who=who)
    if not token.quoted and token.text in _REMOVE:
        cursor.take()
        return None
    parsed = None if token.quoted else _parse_place(token.text)
    if parsed is None:
        raise _refuse(cursor.language, say.NOT_A_PLACE, who=who, text=token.text)
    cursor.take()
    if parsed[0] is not None:
        _check_range(parsed[0], grid_size, who, cursor.language)
    return parsed


def _class_at(cursor: _Cursor) -> tuple[str, str, int] | None:
    """(class key, place text, tokens used) if a class place starts here."""
    token = cursor.peek()
    if token is None or token.quoted:
        return None
    name, colon, value = token.text.partition(":")
    if colon and text_key(name) and value and not _parse_place(token.text):
        return CLASS_WORDS.get(text_key(name), text_key(name)), value, 1
    following = cursor.peek(1)
    if text_key(token.text) in CLASS_WORDS and following is not None and not following.quoted:
        return CLASS_WORDS[text_key(token.text)], following.text, 2
    return None


def _take_classes(cursor: _Cursor, driver: Driver, grid_size: int) -> dict[str, int | None]:
    """Class places after a place: "trophy 2 junior 3" or "trophy:2"; "trophy -" removes."""
    classes: dict[str, int | None] = {}
    language, who = cursor.language, driver.first_name
    while (found := _class_at(cursor)) is not None:
        key, text, used = found
        if text in _REMOVE:
            if key in classes:
                raise _refuse(language, say.TWO_CLASS_PLACES, who=who, key=key)
            classes[key] = None
            cursor.take(used)
            continue
        place = parse_number_place(text)
        if place is None:
            raise _refuse(language, say.NOT_A_CLASS_PLACE, text=text, key=key, who=who)
        if key in classes:
            raise _refuse(language, say.TWO_CLASS_PLACES, who=who, key=key)
        _check_range(place, grid_size, say.IN_CLASS.say(language, who=who, key=key), language)
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
    if token is not None and (
        token.quoted or _class_at(cursor) is not None or _parse_place(token.text) is not None
    ):  # "andreas – 15": removal, or a dash before the place? neither is guessed
        raise _refuse(
            cursor.language,
            say.AFTER_REMOVAL,
            say.NOTHING_AFTER_REMOVAL,
            text=token.text,
            who=driver.first_name,
        )


class _Seen:
    """Who got which place so far, to refuse doubles as soon as they appear."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.drivers: set[str] = set()
        self.places: dict[tuple[str, int], Driver] = {}

    def add(self, driver: Driver, change: ResultChange) -> None:
        if driver.id in self.drivers:
            raise _refuse(self.language, say.LISTED_TWICE, who=driver.first_name)
        self.drivers.add(driver.id)
        places = [("", change.position)] if change.position is not None else []
        for key, where in [*places, *change.class_positions.items()]:
            if where is None:
                continue
            other = self.places.setdefault((key, where), driver)
            if other is not driver:
                phrase = say.CLASS_PLACE if key else say.PLACE
                place = phrase.say(self.language, where=where, key=key)
                raise _refuse(
                    self.language,
                    say.BOTH_HAVE,
                    other=other.first_name,
                    who=driver.first_name,
                    place=place,
                )


def _take_change(cursor: _Cursor, driver: Driver, grid_size: int) -> ResultChange:
    outcome = _take_place(cursor, driver, grid_size)
    if outcome is None:
        _refuse_after_removal(cursor, driver)
        return ResultChange(driver.id, None, None, remove=True)
    classes = _take_classes(cursor, driver, grid_size)
    for key, place in classes.items():
        if outcome[0] is not None and place is not None and place > outcome[0]:
            raise _refuse(
                cursor.language, say.CLASS_BEHIND, key=key, place=place, position=outcome[0]
            )
    return ResultChange(driver.id, *outcome, classes, _take_note(cursor))


def _unglued(tokens: Sequence[_Token], drivers: Sequence[Driver]) -> list[_Token]:
    """ "andreas15" -> "andreas" "15", "junior3" -> "junior" "3": a driver's or a class's
    name glued to its place; other words are kept as typed."""
    out = []
    for token in tokens:
        glued = None if token.quoted else _GLUED.fullmatch(token.text)
        name = glued[1] if glued else ""
        if glued and (text_key(name) in CLASS_WORDS or len(driver_matches(name, drivers)) == 1):
            out += [_Token(name), _Token(glued[2])]
        else:
            out.append(token)
    return out


def _take_results(
    tokens: Sequence[_Token], drivers: Sequence[Driver], grid_size: int, language: str
) -> list[ResultChange]:
    cursor = _Cursor(_unglued(tokens, drivers), language)
    seen = _Seen(language)
    changes: list[ResultChange] = []
    while not cursor.done:
        token = cursor.peek()
        after = cursor.peek(1)
        if (
            changes
            and token is not None
            and not token.quoted
            and token.text in _REMOVE
            and after is not None
            and _looks_like_driver(after, drivers)
        ):
            cursor.take()  # "andreas 15 – jessica 16": a dash between two entries
            continue
        driver = _take_driver(cursor, drivers)
        change = _take_change(cursor, driver, grid_size)
        seen.add(driver, change)
        changes.append(change)
    return changes


def parse_result_command(
    args: str,
    *,
    sessions: Sequence[S],
    drivers: Sequence[Driver],
    language: str,
    grid_size: int = MAX_PLACE,
) -> tuple[S, list[ResultChange]]:
    """Read ``SESSION DRIVER PLACE [DRIVER PLACE ...]``; all of it or a UserError.

    Each driver's entry is a change to what is recorded (see ``correct.apply_changes``).
    Refusals are in ``language``, the staff member's.
    """
    tokens = _tokenize(args, language)
    if not tokens:
        raise _refuse(language, say.NOTHING_TO_RECORD)
    session, rest = _take_session(tokens, sessions, drivers, language)
    if not rest:
        raise _refuse(language, say.NO_RESULTS, session=session.name.get(language))
    return session, _take_results(rest, drivers, grid_size, language)


def parse_result_options(
    session: str,
    places: str,
    *,
    sessions: Sequence[S],
    drivers: Sequence[Driver],
    language: str,
    grid_size: int = MAX_PLACE,
) -> tuple[S, list[ResultChange]]:
    """The typed form of ``parse_result_command``: the session and the places apart."""
    try:
        chosen = resolve_session(session, sessions, language=language)
    except UserError as exc:
        raise _with_usage(exc, language) from None
    tokens = _tokenize(places, language)
    if not tokens:
        raise _refuse(language, say.NO_RESULTS, session=chosen.name.get(language))
    return chosen, _take_results(tokens, drivers, grid_size, language)


def ensure_started(
    session_start: datetime | None,
    event_first_day_start: datetime | None,
    now: datetime,
    *,
    language: str,
    label: str | None = None,
    home: ZoneInfo = SWEDISH_TIME,
) -> None:
    """Refuse results for a session that cannot have been run yet (times in ``home``)."""
    named = label or say.THE_SESSION.say(language)
    later = say.RECORD_LATER.say(language)
    if session_start is not None:
        if now < session_start:
            start = f"{local(session_start, home):%Y-%m-%d %H:%M}"
            zone = zone_words(home.key, language)
            raise UserError(
                say.NOT_STARTED.say(language, label=named, start=start, zone=zone), later
            )
        return
    if event_first_day_start is not None and now < event_first_day_start:
        day = f"{local(event_first_day_start, home):%Y-%m-%d}"
        raise UserError(say.WEEKEND_NOT_STARTED.say(language, label=named, day=day), later)
