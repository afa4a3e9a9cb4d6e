"""Which session or driver a person meant: ids, names and shorthands, typed loosely.

"r1", "Race 1" and "race-1" name one session; "backman" names Bäckman. A query that
names several or none is a UserError listing the choices.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TypeVar

from bot.core.errors import UserError
from bot.core.model import Driver, SessionKind
from bot.core.results import phrases as say
from bot.core.results.model import SessionLike

S = TypeVar("S", bound=SessionLike)
T = TypeVar("T")

#: The one set of words for session kinds, for every command: "/delay r1", "/result kval",
#: "/subscribe race", "/settings kinds qualifying" (a number may follow: "race1", "fp2").
KIND_WORDS: dict[SessionKind, tuple[str, ...]] = {
    SessionKind.PRACTICE: ("fp", "ft", "practice", "freepractice", "traning", "fritraning"),
    SessionKind.QUALIFYING: (
        "q",
        "quali",
        "qualy",
        "qualifying",
        "kval",
        "kvalet",
        "kvalificering",
        "tidskval",
    ),
    SessionKind.RACE: ("r", "race", "races", "lopp", "heat"),
    SessionKind.OTHER: ("other", "ovrigt", "ovriga"),
}


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced: how people type names in chat."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.split())


def text_key(text: str) -> str:
    """Letters and digits only, so "Race 1", "race-1" and "race1" are one key."""
    return "".join(c for c in fold(text) if c.isalnum())


def kind_of(word: str) -> SessionKind | None:
    """The session kind ``word`` names ("Kval", "races", "race1"), or None."""
    key = text_key(word)
    bare = key.rstrip("0123456789") or key
    for kind, words in KIND_WORDS.items():
        if key in words or bare in words:
            return kind
    return None


def unique(items: Iterable[T]) -> list[T]:
    out: list[T] = []
    for item in items:
        if not any(item is seen for seen in out):
            out.append(item)
    return out


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
    return {text_key(session.id), text_key(session.name.sv), text_key(session.name.en)}


def _alias_keys(session: SessionLike, candidates: Sequence[SessionLike]) -> set[str]:
    number = _session_number(session, candidates)
    words = KIND_WORDS[session.kind]
    return {*words, *(f"{word}{number}" for word in words)}


def session_matches(query: str, candidates: Sequence[S]) -> list[S]:
    """Sessions ``query`` names: exact ids/names win over shorthands like "r1" or "kval"."""
    wanted = text_key(query)
    if not wanted:
        return []
    exact = unique(c for c in candidates if wanted in _exact_keys(c))
    if exact:
        return exact
    return unique(c for c in candidates if wanted in _alias_keys(c, candidates))


def unknown_session(query: str, candidates: Sequence[SessionLike], language: str) -> UserError:
    if not candidates:
        return UserError(say.NO_SESSIONS.say(language), say.ADD_SESSIONS.say(language))
    choices = ", ".join(_session_label(c) for c in candidates)
    return UserError(
        say.UNKNOWN_SESSION.say(language, query=query),
        say.CHOOSE_SESSION.say(language, choices=choices),
    )


def ambiguous_session(query: str, matches: Sequence[SessionLike], language: str) -> UserError:
    listed = ", ".join(_session_label(m) for m in matches)
    return UserError(
        say.AMBIGUOUS_SESSION.say(language, query=query, listed=listed),
        say.WRITE_SESSION_ID.say(language),
    )


def resolve_session(query: str, candidates: Sequence[S], *, language: str) -> S:
    """The one session ``query`` names by id, Swedish/English name or shorthand."""
    matches = session_matches(query, candidates)
    if len(matches) > 1:
        raise ambiguous_session(query, matches, language)
    if not matches:
        raise unknown_session(query, candidates, language)
    return matches[0]


def _driver_label(driver: Driver) -> str:
    return f"{driver.id} ({driver.full_name})"


def driver_matches(query: str, drivers: Sequence[Driver]) -> list[Driver]:
    """Drivers ``query`` names: id, full name and number win over a first or last name."""
    wanted = fold(query).removeprefix("#")
    if not wanted:
        return []
    exact = unique(
        d
        for d in drivers
        if wanted in {fold(d.id), fold(d.full_name), str(d.number) if d.number else ""}
    )
    if exact:
        return exact
    return unique(d for d in drivers if wanted in {fold(d.first_name), fold(d.last_name)})


def resolve_driver(query: str, drivers: Sequence[Driver], *, language: str) -> Driver:
    """The one driver ``query`` names; "backman" matches Bäckman, shared names are refused."""
    matches = driver_matches(query, drivers)
    if len(matches) > 1:
        listed = ", ".join(_driver_label(d) for d in matches)
        raise UserError(
            say.AMBIGUOUS_DRIVER.say(language, query=query, listed=listed),
            say.WRITE_FIRST_NAME.say(language),
        )
    if not matches:
        choices = ", ".join(_driver_label(d) for d in drivers) or say.NO_DRIVERS.say(language)
        raise UserError(
            say.UNKNOWN_DRIVER.say(language, query=query),
            say.CHOOSE_DRIVER.say(language, choices=choices),
        )
    return matches[0]
