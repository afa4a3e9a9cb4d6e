"""Weekends made from press releases, kept in the database, merged with the schedule files.

A stored weekend is one ``[[events]]`` table as TOML (the schedule files' own format, links
written into the weekend itself), with the series it belongs to. One rule merges them with
the shipped files, for the running bot, ``racebot schedule`` and ``export-schedule`` alike:

    A database weekend replaces the file's weekend of the same series and round (or, with
    no such round, of the same event id); otherwise it is added to its series. A weekend
    of a series no file has makes that series, named as the release named it.

Only the newest version of each (series, round) counts; older versions stay in the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import tomlkit
from tomlkit.items import AoT, Table

from bot.authoring.schedule_file import EventIds, event_lines, q
from bot.authoring.timetable import ImportedTimetable
from bot.core.errors import ScheduleError, ScheduleErrors
from bot.core.model import Catalog, Event, Photo, Series
from bot.core.schedule import catalog_of, load_text

MERGE_RULE = (
    "a weekend from a release replaces the schedule file's weekend of the same series and "
    "round (else the same event id); otherwise it is added"
)


class WeekendLike(Protocol):
    """What the merge needs of a stored weekend (the store's rows have these fields)."""

    @property
    def series_id(self) -> str: ...
    @property
    def series_name(self) -> str: ...
    @property
    def season(self) -> int: ...
    @property
    def round(self) -> int: ...
    @property
    def event_id(self) -> str: ...
    @property
    def block(self) -> str: ...


@dataclass(frozen=True, slots=True)
class WeekendText:
    """A weekend to store: its series and its ``[[events]]`` table as TOML."""

    series_id: str
    series_name: str
    season: int
    round: int
    event_id: str
    block: str


def header(series_id: str, name: str, season: int) -> str:
    return "\n".join(
        ["[series]", f"id = {q(series_id)}", f"name = {q(name)}", f"season = {season}", ""]
    )


def weekend_block(table: ImportedTimetable, ids: EventIds, series: Series | None) -> str:
    """The ``[[events]]`` table of an imported weekend, self-contained: the every-session
    links of its series are left for the loader to add, every other link is written in."""
    always = {link for link in (series.links if series else ()) if link.every_session}
    entries = tuple(
        replace(
            entry,
            session=replace(
                entry.session, links=tuple(lk for lk in entry.session.links if lk not in always)
            ),
        )
        for entry in table.entries
    )
    existing = series.event(ids.event_id) if series is not None else None
    lines = event_lines(
        replace(table, entries=entries),
        ids,
        event_name=existing.name if existing else None,
        circuit=existing.circuit if existing else None,
        country=existing.country if existing else None,
        track_timezone=existing.track_tz.key if existing else None,
    )
    return "\n".join(lines) + "\n"


def _source(weekend: WeekendLike) -> str:
    return f"<database weekend {weekend.series_id}/{weekend.event_id}>"


def _with_photo(event: Event, weekends: Sequence[WeekendLike]) -> Event:
    """The photo staff sent with the release, kept beside the TOML (files have none)."""
    for weekend in weekends:
        photo = getattr(weekend, "photo", None)
        if weekend.round == event.round and photo:
            return replace(event, photo=Photo.stored(photo))
    return event


def _series_of(weekends: Sequence[WeekendLike]) -> Series:
    """A series no file has, from its weekends alone."""
    first = weekends[0]
    text = header(first.series_id, first.series_name, first.season)
    text += "\n".join(w.block for w in weekends)
    series = load_text(text, _source(first))
    return replace(series, events=tuple(_with_photo(e, weekends) for e in series.events))


def weekend_event(weekend: WeekendLike) -> Event:
    """The weekend as the loader reads it (ScheduleErrors when it does not load)."""
    return _series_of([weekend]).events[0]


def _place(events: list[Event], new: Event) -> None:
    index = next((i for i, e in enumerate(events) if e.round == new.round), None)
    if index is None:
        index = next((i for i, e in enumerate(events) if e.id == new.id), None)
    if index is None:
        events.append(new)
    else:
        events[index] = new


def _grouped(weekends: Iterable[WeekendLike]) -> dict[str, list[WeekendLike]]:
    grouped: dict[str, list[WeekendLike]] = {}
    for weekend in sorted(weekends, key=lambda w: (w.series_id, w.round)):
        grouped.setdefault(weekend.series_id, []).append(weekend)
    return grouped


def overlay(catalog: Catalog, weekends: Iterable[WeekendLike]) -> Catalog:
    """The files' catalog with the database weekends merged in by ``MERGE_RULE``."""
    grouped = _grouped(weekends)
    out: list[Series] = []
    for series in catalog.series:
        own = grouped.pop(series.id, [])
        if not own:
            out.append(series)
            continue
        events = list(series.events)
        for weekend in own:
            _place(events, weekend_event(weekend))
        _unique_ids(series.id, events)
        ordered = tuple(sorted(events, key=lambda e: (e.first_day, e.round)))
        out.append(replace(series, events=ordered))
    out += [_series_of(own) for own in grouped.values()]
    return catalog_of(out)


def _unique_ids(series_id: str, events: Sequence[Event]) -> None:
    seen: set[str] = set()
    for event in events:
        if event.id in seen:
            raise ScheduleErrors(
                [
                    ScheduleError(
                        f"<database weekend {series_id}/{event.id}>",
                        None,
                        f"event id {event.id!r} is used by two rounds of {series_id}",
                        "give the release's weekend its own id",
                    )
                ]
            )
        seen.add(event.id)


def export_text(
    series_id: str, weekends: Iterable[WeekendLike], file_text: str | None, file: str
) -> str:
    """A schedule file for ``series_id``: its shipped file (comments kept) with the database
    weekends merged in by ``MERGE_RULE``, or, without a file, the weekends alone. Checked
    with the loader before it is returned."""
    own = _grouped(weekends).get(series_id, [])
    if file_text is None:
        if not own:
            raise ScheduleErrors(
                [ScheduleError(file, None, f"no weekends of {series_id}", "check --series")]
            )
        first = own[0]
        text = header(first.series_id, first.series_name, first.season) + "\n".join(
            w.block for w in own
        )
        load_text(text, file)
        return text
    doc = tomlkit.parse(file_text)
    events = doc.get("events")
    if events is None:
        events = tomlkit.aot()
        doc.append("events", events)
    assert isinstance(events, AoT)
    for weekend in own:
        table = tomlkit.parse(weekend.block)["events"][0]
        assert isinstance(table, Table)
        index = next((i for i, e in enumerate(events) if e.get("round") == weekend.round), None)
        if index is None:
            index = next((i for i, e in enumerate(events) if e.get("id") == weekend.event_id), None)
        if index is None:
            events.append(table)
        else:
            events[index] = table
    out = tomlkit.dumps(doc)
    load_text(out, file)
    return out
