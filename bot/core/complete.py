"""Suggestions while a command is typed: sessions, drivers, weekends, series.

Pure functions over the catalog, so every platform with autocomplete (Discord today)
offers the same choices and the tests need no chat client. A choice's ``value`` is what
the command itself accepts, so picking one can never produce an unknown session.
"""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.model import Driver, Event, Series, SessionRef
from bot.core.results.model import SessionLike
from bot.core.results.resolve import fold
from bot.core.timeutil import SWEDISH_TIME, hhmm, short_day

#: Discord shows at most 25 choices of at most 100 characters each.
MAX_CHOICES = 25
CHOICE_MAX = 100


@dataclass(frozen=True, slots=True)
class Choice:
    """One suggestion: what the user sees, and the text the command receives."""

    label: str
    value: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", _clip(self.label))
        object.__setattr__(self, "value", self.value[:CHOICE_MAX])


def _clip(text: str) -> str:
    return text if len(text) <= CHOICE_MAX else text[: CHOICE_MAX - 1] + "…"


def _matches(typed: str, *texts: str) -> bool:
    wanted = fold(typed)
    return not wanted or any(wanted in fold(text) for text in texts)


def timed_session_choices(
    refs: Iterable[SessionRef], typed: str, language: str, tz: ZoneInfo = SWEDISH_TIME
) -> list[Choice]:
    """Sessions with their day and time (Swedish time), e.g. "Race 1 · lör 7 nov 11:15"."""
    choices = []
    for ref in refs:
        name = ref.session.name.get(language)
        if not _matches(typed, ref.session.id, name):
            continue
        start = ref.session.start.astimezone(tz)
        when = f"{short_day(start.date(), language)} {hhmm(ref.session.start, tz)}"
        choices.append(Choice(f"{name} · {when} ({ref.session.id})", ref.session.id))
    return choices[:MAX_CHOICES]


def session_choices(sessions: Sequence[SessionLike], typed: str, language: str) -> list[Choice]:
    """Sessions (timed or a series' format) by name; the value is the session id."""
    return [
        Choice(f"{s.name.get(language)} ({s.id})", s.id)
        for s in sessions
        if _matches(typed, s.id, s.name.get(language))
    ][:MAX_CHOICES]


def _driver_words(driver: Driver) -> tuple[str, ...]:
    return tuple(fold(w) for w in (driver.id, driver.first_name, driver.last_name) if w)


def driver_completions(typed: str, drivers: Sequence[Driver]) -> list[Choice]:
    """Finish the driver name being typed in "andreas 15 jessica dnf" style places.

    The text before the last word stays as typed; drivers already named are not offered
    again. After a complete word (a trailing space, or a place such as "15") every
    remaining driver is offered as the next word.
    """
    head, _, last = typed.rpartition(" ")
    if typed.endswith(" ") or not typed:
        head, last = typed.rstrip(), ""
    named = {fold(word) for word in head.split()}
    remaining = [d for d in drivers if not named & set(_driver_words(d))]
    partial = fold(last)
    if partial and any(partial == word for d in drivers for word in _driver_words(d)):
        return []  # a whole name is typed: the place comes next, nothing to finish
    if partial.isdigit() or partial in {"dnf", "dns", "dsq", "nc", "ret"}:
        head, partial = typed.rstrip(), ""
    found = [
        d for d in remaining if not partial or any(w.startswith(partial) for w in _driver_words(d))
    ]
    prefix = f"{head} " if head else ""
    return [
        Choice(f"{prefix}{fold(d.first_name)} ({d.full_name})", f"{prefix}{fold(d.first_name)}")
        for d in found
    ][:MAX_CHOICES]


def event_choices(
    catalog_events: Iterable[tuple[Series, Event]], typed: str, now: datetime
) -> list[Choice]:
    """Weekends by name, coming ones first (then the most recent past ones)."""
    events = [
        (series, event)
        for series, event in catalog_events
        if _matches(typed, event.id, event.name, series.name, f"{series.id}/{event.id}")
    ]

    today = now.date()

    def order(item: tuple[Series, Event]) -> tuple[int, int]:
        event = item[1]
        if event.last_day >= today:
            return (0, event.first_day.toordinal())
        return (1, -event.last_day.toordinal())

    return [
        Choice(f"{series.name} · {event.name}", f"{series.id}/{event.id}")
        for series, event in sorted(events, key=order)
    ][:MAX_CHOICES]


def series_choices(series: Iterable[Series], typed: str) -> list[Choice]:
    return [Choice(f"{s.name} ({s.id})", s.id) for s in series if _matches(typed, s.id, s.name)][
        :MAX_CHOICES
    ]


@functools.cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(z for z in zoneinfo.available_timezones() if "/" in z))


def zone_choices(typed: str) -> list[Choice]:
    """IANA zones containing the typed text ("seoul" finds Asia/Seoul), Europe first."""
    wanted = fold(typed).replace(" ", "_")
    found = [z for z in _zones() if wanted in fold(z)]
    found.sort(key=lambda z: (not z.startswith("Europe/"), not fold(z).startswith(wanted), z))
    return [Choice(z.replace("_", " "), z) for z in found][:MAX_CHOICES]
