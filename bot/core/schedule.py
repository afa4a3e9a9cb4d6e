"""Load schedule files (one TOML per series-season) into the domain model.

Times are written as the press releases write them: wall-clock readings in Swedish time
unless the file, event or session names another IANA zone. Every problem is reported
with file, line, what is wrong and a hint, and all problems of a load come at once.
A session whose time is not published yet is an `[[events.pending]]` entry: no time
key at all, so nothing downstream can mistake it for one.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from babel import Locale
from pydantic import (
    BaseModel,
    ValidationError,
)

from bot.core.errors import ScheduleError, ScheduleErrors
from bot.core.model import (
    Catalog,
    Driver,
    Event,
    Link,
    PendingSession,
    Series,
    Session,
    SessionTemplate,
    Text,
)
from bot.core.schedule_shape import (
    DEFAULT_HINT,
    HINTS,
    PATTERN_HINTS,
    PENDING_TIMED_HINT,
    TIMED_KEYS,
    RawDriver,
    RawEvent,
    RawFile,
    RawLink,
    RawSession,
)
from bot.core.timeutil import LocalTimeError, parse_duration, to_utc, weekday_number, zone
from bot.core.tomlpos import TomlLocator


@dataclass
class _Ctx:
    file: str
    locator: TomlLocator
    errors: list[ScheduleError]

    def error(self, loc: Sequence[str | int], message: str, hint: str | None = None) -> None:
        self.errors.append(ScheduleError(self.file, self.locator.line(loc), message, hint))


def load_text(text: str, file: str = "<schedule>") -> Series:
    """Parse and validate one schedule file's text; raise ScheduleErrors listing every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        if line is None and (at := re.search(r"\(at line (\d+), column \d+\)", str(exc))):
            line = int(at[1])
        raise ScheduleErrors(
            [ScheduleError(file, line, f"not valid TOML: {exc}", "check quotes and brackets")]
        ) from exc
    ctx = _Ctx(file, TomlLocator(text), [])
    try:
        raw = RawFile.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            where = ".".join(str(p) for p in loc)
            hint = HINTS.get(err["type"], DEFAULT_HINT)
            message = err["msg"]
            if err["type"] == "string_pattern_mismatch" and loc and loc[-1] in PATTERN_HINTS:
                hint = PATTERN_HINTS[str(loc[-1])]
            if err["type"] == "extra_forbidden" and loc:
                message = f"unknown key {loc[-1]!r}"
                hint = _unknown_key_hint(loc)
                if len(loc) >= 3 and loc[-3] == "pending" and loc[-1] in TIMED_KEYS:
                    hint = PENDING_TIMED_HINT
            ctx.error(loc, f"{where}: {message}", hint)
        raise ScheduleErrors(ctx.errors) from exc
    series = _build_series(raw, ctx)
    if ctx.errors:
        raise ScheduleErrors(ctx.errors)
    return series


def _unknown_key_hint(loc: tuple[str | int, ...]) -> str:
    """'remove the key or check its spelling', naming the closest key of that table."""
    model: type[BaseModel] = RawFile
    for part in loc[:-1]:
        info = model.model_fields.get(part) if isinstance(part, str) else None
        if info is not None:
            inner = _model_in(info.annotation)
            model = inner or model
    close = difflib.get_close_matches(str(loc[-1]), list(model.model_fields), n=1, cutoff=0.6)
    hint = HINTS["extra_forbidden"]
    return f"{hint}; did you mean {close[0]!r}?" if close else hint


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        if found := _model_in(arg):
            return found
    return None


def load_file(path: Path) -> Series:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScheduleErrors(
            [ScheduleError(str(path), None, f"cannot read the file: {exc}", "save it as UTF-8")]
        ) from exc
    return load_text(text, str(path))


def schedule_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.toml") if p.is_file())


def load_catalog(folder: Path) -> Catalog:
    """Every schedule file in ``folder``; all errors of all files are raised together."""
    if not folder.is_dir():
        raise ScheduleErrors(
            [ScheduleError(str(folder), None, "schedule folder not found", "set [bot] schedules")]
        )
    errors: list[ScheduleError] = []
    loaded: list[Series] = []
    for path in schedule_files(folder):
        try:
            loaded.append(load_file(path))
        except ScheduleErrors as exc:
            errors.extend(exc.errors)
    return _merge(loaded, errors)


def catalog_of(series: Iterable[Series]) -> Catalog:
    return _merge(list(series), [])


def _merge(loaded: list[Series], errors: list[ScheduleError]) -> Catalog:
    seen: dict[str, str] = {}
    for series in loaded:
        source = series.source or "<schedule>"
        if series.id in seen:
            errors.append(
                ScheduleError(
                    source,
                    _series_id_line(source),
                    f"series id {series.id!r} is also used by {seen[series.id]}",
                    "give each series-season file its own id, e.g. wtcr-2022",
                )
            )
        seen[series.id] = source
    if errors:
        raise ScheduleErrors(errors)
    return Catalog(tuple(sorted(loaded, key=lambda s: (s.season, s.id))))


def _series_id_line(source: str) -> int | None:
    try:
        return TomlLocator(Path(source).read_text(encoding="utf-8")).line(("series", "id"))
    except (OSError, UnicodeDecodeError):
        return None


def _zone(ctx: _Ctx, loc: Sequence[str | int], name: str) -> Any:
    try:
        return zone(name)
    except LocalTimeError as exc:
        ctx.error(loc, str(exc), exc.hint)
        return None


def _duplicates(ctx: _Ctx, what: str, items: Iterable[tuple[Sequence[str | int], str]]) -> None:
    seen: set[str] = set()
    for loc, ident in items:
        if ident in seen:
            ctx.error(loc, f"duplicate {what} id {ident!r}", f"each {what} needs its own id")
        seen.add(ident)


def _duplicate_links(ctx: _Ctx, loc: tuple[str | int, ...], links: list[RawLink]) -> None:
    ids = (((*loc, "links", i, "id"), lk.id) for i, lk in enumerate(links) if lk.id)
    _duplicates(ctx, "link", ids)


def _link(raw: RawLink) -> Link:
    url = str(raw.url) if raw.url is not None else None
    return Link(
        label=raw.label,
        url=url,
        kind=raw.kind,
        language=raw.language,
        every_session=raw.every_session,
    )


def _build_series(raw: RawFile, ctx: _Ctx) -> Series:
    file_tz = _zone(ctx, ("series", "timezone"), raw.series.timezone)
    _duplicates(ctx, "driver", ((("drivers", i, "id"), d.id) for i, d in enumerate(raw.drivers)))
    _duplicates(ctx, "event", ((("events", i, "id"), e.id) for i, e in enumerate(raw.events)))
    _duplicates(
        ctx,
        "format session",
        ((("series", "format", i, "id"), t.id) for i, t in enumerate(raw.series.format)),
    )
    series_links = {link.id: _link(link) for link in raw.links if link.id}
    series_always = [_link(link) for link in raw.links if link.every_session]
    _duplicate_links(ctx, (), raw.links)
    events = tuple(
        _build_event(raw_event, ("events", i), file_tz, series_links, series_always, ctx)
        for i, raw_event in enumerate(raw.events)
    )
    if raw.series.rounds is not None:
        for i, raw_event in enumerate(raw.events):
            if raw_event.round > raw.series.rounds:
                ctx.error(
                    ("events", i, "round"),
                    f"round {raw_event.round} but the season has {raw.series.rounds} rounds",
                    "fix the round or [series] rounds",
                )
    drivers = tuple(_driver(d) for d in raw.drivers)
    return Series(
        id=raw.series.id,
        name=raw.series.name,
        season=raw.series.season,
        color=int(raw.series.color[1:], 16),
        rounds=raw.series.rounds,
        drivers=drivers,
        events=tuple(sorted(events, key=lambda e: (e.first_day, e.round))),
        links=tuple(_link(lk) for lk in raw.links),
        format=tuple(
            SessionTemplate(t.id, Text(t.name, t.name_en or t.name), t.kind)
            for t in raw.series.format
        ),
        source=ctx.file,
        grid=raw.series.grid,
    )


def _driver(raw: RawDriver) -> Driver:
    first, _, last = raw.name.partition(" ")
    return Driver(raw.id, first, last or first, raw.country, raw.number)


def _build_event(
    raw: RawEvent,
    loc: tuple[str | int, ...],
    file_tz: Any,
    series_links: dict[str, Link],
    series_always: list[Link],
    ctx: _Ctx,
) -> Event:
    track_tz = _zone(ctx, (*loc, "track_timezone"), raw.track_timezone)
    written_tz = _zone(ctx, (*loc, "timezone"), raw.timezone) if raw.timezone else file_tz
    if raw.last_day < raw.first_day:
        ctx.error((*loc, "last_day"), "last_day is before first_day", "swap or correct the dates")
    if raw.country not in Locale("en").territories:
        ctx.error(
            (*loc, "country"), f"unknown country code {raw.country!r}", PATTERN_HINTS["country"]
        )
    links = dict(series_links)
    for link in raw.links:
        if link.id:
            links[link.id] = _link(link)
    always = [*series_always, *(_link(lk) for lk in raw.links if lk.every_session)]
    _duplicate_links(ctx, loc, raw.links)
    _duplicates(
        ctx, "session", (((*loc, "sessions", i, "id"), s.id) for i, s in enumerate(raw.sessions))
    )
    sessions: list[tuple[int, Session]] = []
    for i, raw_session in enumerate(raw.sessions):
        session = _build_session(raw_session, (*loc, "sessions", i), written_tz, links, always, ctx)
        if session is None:
            continue
        sessions.append((i, session))
        if track_tz is not None and raw.first_day <= raw.last_day:
            day = session.start.astimezone(track_tz).date()
            if not raw.first_day - timedelta(days=1) <= day <= raw.last_day:
                ctx.error(
                    (*loc, "sessions", i, "start"),
                    f"session {raw_session.id!r} is on {day} (track time), outside the weekend "
                    f"{raw.first_day}–{raw.last_day}",
                    "correct the date, or first_day/last_day of the event",
                )
    pending = _build_pending(raw, loc, ctx)
    ordered = sorted(sessions, key=lambda pair: pair[1].start)
    # compare with the latest-ending session so far, not just the neighbour: a long
    # session or a cancelled one in between must not hide an overlap
    before: Session | None = None
    for i, after in ordered:
        if after.cancelled:
            continue
        if before is not None and after.start < before.end:
            ctx.error(
                (*loc, "sessions", i, "start"),
                f"session {after.id!r} starts before {before.id!r} ends ({before.end:%H:%M} UTC)",
                "check the times and durations; sessions of one weekend cannot overlap",
            )
        if before is None or after.end > before.end:
            before = after
    return Event(
        id=raw.id,
        round=raw.round,
        name=raw.name,
        circuit=raw.circuit,
        city=raw.city,
        country=raw.country,
        track_tz=track_tz or zone("UTC"),
        first_day=raw.first_day,
        last_day=raw.last_day,
        sessions=tuple(s for _, s in ordered),
        links=tuple(_link(lk) for lk in raw.links),
        length_km=raw.length_km,
        turns=raw.turns,
        pending=pending,
        grid=raw.grid,
    )


def _build_pending(
    raw: RawEvent, loc: tuple[str | int, ...], ctx: _Ctx
) -> tuple[PendingSession, ...]:
    """The weekend's sessions without a time: on a day of the weekend, never also timed."""
    timed = {s.id for s in raw.sessions}
    _duplicates(
        ctx,
        "pending session",
        (((*loc, "pending", i, "id"), p.id) for i, p in enumerate(raw.pending)),
    )
    found: list[PendingSession] = []
    for i, item in enumerate(raw.pending):
        at = (*loc, "pending", i)
        if item.id in timed:
            ctx.error(
                (*at, "id"),
                f"session {item.id!r} is both timed ([[events.sessions]]) and pending",
                "the time has arrived: remove its [[events.pending]] entry",
            )
            continue
        weekend = raw.first_day - timedelta(days=1), raw.last_day  # as for timed sessions
        if item.day is not None and not weekend[0] <= item.day <= weekend[1]:
            ctx.error(
                (*at, "day"),
                f"pending session {item.id!r} is on {item.day}, outside the weekend "
                f"{raw.first_day}–{raw.last_day}",
                "correct the day, or first_day/last_day of the event",
            )
            continue
        found.append(
            PendingSession(
                id=item.id,
                name=Text(item.name, item.name_en or item.name),
                kind=item.kind,
                day=item.day,
                note=Text(item.note, item.note_en or item.note) if item.note else None,
            )
        )
    return tuple(sorted(found, key=lambda p: (p.day is None, p.day or raw.first_day)))


def _build_session(
    raw: RawSession,
    loc: tuple[str | int, ...],
    written_tz: Any,
    links: dict[str, Link],
    always: list[Link],
    ctx: _Ctx,
) -> Session | None:
    tz = _zone(ctx, (*loc, "timezone"), raw.timezone) if raw.timezone else written_tz
    if tz is None:
        return None
    ok = True
    if raw.start.tzinfo is None and raw.day is not None:
        weekday = weekday_number(raw.day)
        if weekday is None:
            ctx.error((*loc, "day"), f"{raw.day!r} is not a weekday", "write e.g. fredag or Friday")
            ok = False
        elif weekday != raw.start.weekday():
            actual = raw.start.strftime("%A")
            ctx.error(
                (*loc, "day"),
                f"day says {raw.day!r} but {raw.start:%Y-%m-%d} is a {actual}",
                "correct the date or the weekday",
            )
            ok = False
    try:
        start = to_utc(raw.start, tz, raw.fold)
    except LocalTimeError as exc:
        ctx.error((*loc, "start"), f"session {raw.id!r}: {exc}", exc.hint)
        return None
    duration: timedelta | None = None
    if raw.duration is not None and raw.end is not None:
        ctx.error((*loc, "end"), "give either duration or end, not both", "remove one of them")
        ok = False
    elif raw.duration is not None:
        try:
            duration = parse_duration(raw.duration)
        except ValueError as exc:
            ctx.error((*loc, "duration"), str(exc), 'write e.g. duration = "60 min"')
            ok = False
    elif raw.end is not None:
        try:
            end = to_utc(raw.end, tz, raw.fold)
        except LocalTimeError as exc:
            ctx.error((*loc, "end"), f"session {raw.id!r}: {exc}", exc.hint)
            return None
        if end <= start:
            ctx.error(
                (*loc, "end"),
                f"session {raw.id!r} ends before it starts",
                "the end must be after the start",
            )
            ok = False
        duration = end - start
    session_links: list[Link] = []
    for i, ref in enumerate(raw.links):
        if ref not in links:
            known = ", ".join(sorted(links)) or "none defined"
            ctx.error(
                (*loc, "links", i),
                f"unknown link {ref!r}",
                f"define it under [[links]] or [[events.links]]; known: {known}",
            )
            ok = False
        else:
            session_links.append(links[ref])
    if not ok:
        return None
    return Session(
        id=raw.id,
        name=Text(raw.name, raw.name_en or raw.name),
        kind=raw.kind,
        start=start,
        duration=duration,
        links=tuple(dict.fromkeys([*session_links, *always])),
        note=Text(raw.note, raw.note_en or raw.note) if raw.note else None,
        status=raw.status,
        tentative=raw.tentative,
    )


def schedule_warnings(path: Path) -> list[ScheduleError]:
    """What a valid file still lacks: links without an address, no drivers for /result.

    A release often says "live-timing HÄR" where the link was; an import keeps the label
    without a URL, and `racebot check` must say so instead of fans getting a dead label.
    """
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return []  # load_file reports these as errors
    locator = TomlLocator(text)
    file = str(path)
    found: list[ScheduleError] = []
    places: list[tuple[tuple[str | int, ...], Any]] = [
        (("links", j), lk) for j, lk in enumerate(data.get("links", []))
    ]
    for i, event in enumerate(data.get("events", [])):
        places += [(("events", i, "links", j), lk) for j, lk in enumerate(event.get("links", []))]
    for loc, link in places:
        if isinstance(link, dict) and not link.get("url"):
            label = link.get("label", "?")
            found.append(
                ScheduleError(
                    file,
                    locator.line((*loc, "label")),
                    f"link {label!r} has no url: fans would see the label without a link",
                    'add url = "https://…" (the release said where the link was, not the address)',
                )
            )
    if not data.get("drivers"):
        found.append(
            ScheduleError(
                file,
                None,
                "no [[drivers]]: /result cannot credit the team's drivers",
                'add [[drivers]] with id = "andreas" and name = "Andreas Bäckman" for each',
            )
        )
    return found
