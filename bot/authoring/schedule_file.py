"""Writing imported weekends as schedule files, in the shipped files' layout.

`to_toml` writes a whole new series file; `merge_event` adds or replaces one event in an
existing file with tomlkit, so its comments and layout stay as staff wrote them. Both
take their ids from `event_ids`, the one place `--json` and `--out` agree on them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.authoring.names import slug
from bot.authoring.places import PlaceError, country_zone, track_zone
from bot.authoring.timetable import ImportedTimetable, PendingLine
from bot.authoring.venue import event_name as circuit_name
from bot.core.model import Driver, Link, Series, Session, SessionStatus
from bot.core.timeutil import parse_duration, zone

_ROUND = re.compile(
    r"[\s,:–—-]*\b(?:deltävling|omgång|round|rd\.?)\s*(?P<n>\d{1,2})\b", re.IGNORECASE
)


def q(text: str) -> str:
    """A TOML basic string (JSON's escapes are valid TOML)."""
    return json.dumps(text, ensure_ascii=False)


def series_name_from(title: str | None) -> str | None:
    if not title:
        return None
    name = _ROUND.sub("", title).strip(" ,:–—-")
    return name or None


def round_from(title: str | None) -> int | None:
    match = _ROUND.search(title or "")
    return int(match["n"]) if match else None


@dataclass(frozen=True, slots=True)
class EventIds:
    """Which series and event an import becomes; shared by --json, --out and --into."""

    series_id: str
    series_name: str
    season: int
    event_id: str
    event_round: int
    guessed: tuple[str, ...]


def event_ids(
    imported: ImportedTimetable,
    *,
    year: int,
    series_id: str | None = None,
    series_name: str | None = None,
    event_id: str | None = None,
    event_round: int | None = None,
    several: bool = False,
) -> EventIds:
    guessed: list[str] = []
    title = imported.title if not several else (imported.title or imported.label)
    if series_name is None:
        series_name = series_name_from(title) or series_id
        if series_name is None:
            series_name = "Imported series"
            guessed.append("series name")
    series_id = series_id or f"{slug(series_name)}-{year}"
    if event_round is None:
        event_round = round_from(imported.title) or round_from(imported.label) or 1
        if round_from(imported.title) is None and round_from(imported.label) is None:
            guessed.append("round")
    base = event_id or f"r{event_round}"
    if several and imported.label:
        base = f"{base}-{slug(series_name_from(imported.label) or imported.label)}"
    return EventIds(series_id, series_name, year, base, event_round, tuple(guessed))


def guess_track_zone(country: str | None, place: str) -> str | None:
    if country is None:
        return None
    try:
        found = country_zone(country, place)
    except PlaceError:
        found = track_zone(place)
    return found.key if found is not None else None


def event_lines(
    imported: ImportedTimetable,
    ids: EventIds,
    *,
    event_name: str | None = None,
    circuit: str | None = None,
    country: str | None = None,
    track_timezone: str | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
    known_links: dict[Link, str] | None = None,
    guessed: list[str] | None = None,
) -> list[str]:
    """The [[events]] block of one imported weekend, sessions in the release's own zone."""
    guessed = guessed if guessed is not None else []
    venue = imported.venue
    known_links = known_links or {}
    circuit = circuit or venue.circuit
    if circuit is None:
        circuit = event_name or "Unknown circuit"
        guessed.append("circuit")
    event_name = event_name or circuit_name(circuit)
    country = country or venue.country
    if country is None:
        country = "SE"
        guessed.append("country")
    if track_timezone is None:
        place = f"{venue.city or ''} {circuit}"
        track_timezone = ("country" not in guessed and guess_track_zone(country, place)) or None
        if track_timezone is None:
            track_timezone = imported.tz.key
            guessed.append("track_timezone")
    track_tz = zone(track_timezone)
    days = [s.start.astimezone(track_tz).date() for s in imported.sessions]
    days += [p.day for p in imported.pending]
    first_day = first_day or min(days, default=date(ids.season, 1, 1))
    last_day = last_day or max(days, default=first_day)
    out = [
        "[[events]]",
        f"id = {q(ids.event_id)}",
        f"round = {ids.event_round}",
        f"name = {q(event_name)}",
        f"circuit = {q(circuit)}",
    ]
    if venue.city:
        out.append(f"city = {q(venue.city)}")
    out += [f"country = {q(country)}", f"track_timezone = {q(track_timezone)}"]
    out.append(f"timezone = {q(imported.tz.key)}")
    out += [f"first_day = {first_day.isoformat()}", f"last_day = {last_day.isoformat()}"]
    if venue.length_km is not None:
        out.append(f"length_km = {venue.length_km:.3f}")
    if venue.turns is not None:
        out.append(f"turns = {venue.turns}")
    sessions = imported.sessions
    link_ids = dict(known_links)
    own = _link_ids([s for s in sessions], set(link_ids.values()), known_links)
    for link, ident in own.items():
        out += ["", "  [[events.links]]", f"  id = {q(ident)}", f"  label = {q(link.label)}"]
        if link.url is not None:
            out.append(f"  url = {q(link.url)}")
        out.append(f"  kind = {q(link.kind.value)}")
        if link.language is not None:
            out.append(f"  language = {q(link.language)}")
        if link.every_session:
            out.append("  every_session = true")
    link_ids.update(own)
    always = list(dict.fromkeys(lk for s in sessions for lk in s.links if lk.every_session))
    durations = {e.session.id: e.duration_text for e in imported.entries}
    for session in sorted(sessions, key=lambda s: s.start):
        out += _session_toml(session, imported.tz, durations.get(session.id), link_ids, always)
    for pending in imported.pending:
        out += _pending_toml(pending)
    return out


def _pending_toml(pending: PendingLine) -> list[str]:
    """A session the release lists without a time: fans see it as 'tid kommer'."""
    return [
        "",
        f"  # line {pending.line} of the release: {pending.text!r}; once the time is",
        "  # published, move it to [[events.sessions]] with its start.",
        "  [[events.pending]]",
        f"  id = {q(pending.id)}",
        f"  name = {q(pending.name.sv)}",
        f"  name_en = {q(pending.name.en)}",
        f"  kind = {q(pending.kind.value)}",
        f"  day = {pending.day.isoformat()}",
    ]


def to_toml(
    imported: ImportedTimetable | Sequence[ImportedTimetable],
    *,
    series_id: str | None = None,
    series_name: str | None = None,
    season: int | None = None,
    event_id: str | None = None,
    event_round: int | None = None,
    event_name: str | None = None,
    circuit: str | None = None,
    country: str | None = None,
    track_timezone: str | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
    series: Series | None = None,
) -> str:
    """A complete schedule file for the imported weekend(s), in the shipped files' layout.

    Anything not given comes from the release (heading, "Om banan") or a marked guess;
    the header lists the guesses to check. ``series`` (a known series file) gives the
    drivers and links, so `/result` and the links work on the new file too.
    """
    tables = [imported] if isinstance(imported, ImportedTimetable) else list(imported)
    first = tables[0]
    starts = [s.start.astimezone(t.tz) for t in tables for s in t.sessions]
    season = season or min(starts, default=datetime.now(UTC)).year
    several = len(tables) > 1
    head = event_ids(
        first,
        year=season,
        series_id=series_id,
        series_name=series_name,
        event_id=event_id,
        event_round=event_round,
        several=several,
    )
    guessed = list(head.guessed)
    out = [f"# {head.series_name} {season} — imported from the press release timetable"]
    source_note = ", ".join(f"lines {t.section[0]}–{t.section[1]}" for t in tables)
    out.append(f"# ({source_note} of {first.source}).")
    if first.zone_note:
        out.append(
            f"# Times are written as the release writes them: wall-clock time in {first.tz.key}"
        )
        out.append(f'# ("{first.zone_note}").')
    else:
        out.append(f"# Times are wall-clock time in {first.tz.key}; the release named no zone.")
    body: list[str] = []
    known: dict[Link, str] = {}
    if series is not None:
        for driver in series.drivers:
            body += ["", *driver_lines(driver)]
        for link in series.links:
            ident = slug(link.label)
            known[link] = ident
            body += ["", *series_link_lines(link, ident)]
    for table in tables:
        ids = event_ids(
            table,
            year=season,
            series_id=head.series_id,
            series_name=head.series_name,
            event_id=event_id,
            event_round=event_round if not several else None,
            several=several,
        )
        body += [""]
        body += event_lines(
            table,
            ids,
            event_name=event_name,
            circuit=circuit,
            country=country,
            track_timezone=track_timezone,
            first_day=first_day,
            last_day=last_day,
            known_links=known,
            guessed=guessed,
        )
    if guessed:
        out.append(f"# Check before use, these were guessed: {', '.join(dict.fromkeys(guessed))}.")
    if series is None or not series.drivers:
        out.append("# No [[drivers]] yet: add the team's drivers so /result can credit them.")
    out += [
        "",
        "[series]",
        f"id = {q(head.series_id)}",
        f"name = {q(head.series_name)}",
        f"season = {season}",
        f"timezone = {q(first.tz.key)}",
    ]
    return "\n".join([*out, *body]) + "\n"


def driver_lines(driver: Driver) -> list[str]:
    out = ["[[drivers]]", f"id = {q(driver.id)}", f"name = {q(driver.full_name)}"]
    if driver.country:
        out.append(f"country = {q(driver.country)}")
    if driver.number is not None:
        out.append(f"number = {driver.number}")
    return out


def series_link_lines(link: Link, ident: str) -> list[str]:
    out = ["[[links]]", f"id = {q(ident)}", f"label = {q(link.label)}"]
    if link.url is not None:
        out.append(f"url = {q(link.url)}")
    out.append(f"kind = {q(link.kind.value)}")
    if link.language is not None:
        out.append(f"language = {q(link.language)}")
    if link.every_session:
        out.append("every_session = true")
    return out


def _link_ids(
    sessions: Sequence[Session], taken: set[str], known: dict[Link, str]
) -> dict[Link, str]:
    ids: dict[Link, str] = {}
    for session in sessions:
        for link in session.links:
            if link in ids or link in known:
                continue
            base = slug(link.label)
            ident, n = base, 1
            while ident in ids.values() or ident in taken:
                n += 1
                ident = f"{base}-{n}"
            ids[link] = ident
    return ids


def _session_toml(
    session: Session,
    tz: ZoneInfo,
    duration_text: str | None,
    link_ids: dict[Link, str],
    always: list[Link],
) -> list[str]:
    local = session.start.astimezone(tz)
    weekday = format_date(local.date(), "EEEE", locale="sv_SE").lower()
    out = [
        "",
        "  [[events.sessions]]",
        f"  id = {q(session.id)}",
        f"  name = {q(session.name.sv)}",
        f"  name_en = {q(session.name.en)}",
        f"  kind = {q(session.kind.value)}",
        f"  day = {q(weekday)}",
        f"  start = {local.replace(tzinfo=None).isoformat(timespec='seconds')}",
    ]
    if local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset():
        out.append(f"  fold = {local.fold}")  # a repeated hour: which of the two, also the first
    if session.duration is not None:
        text = duration_text
        if text is None or _duration_or_none(text) != session.duration:
            text = f"{int(session.duration.total_seconds() // 60)} min"
        out.append(f"  duration = {q(text)}")
    if session.note is not None:
        out.append(f"  note = {q(session.note.sv)}")
        if session.note.en != session.note.sv:
            out.append(f"  note_en = {q(session.note.en)}")
    if session.status is not SessionStatus.SCHEDULED:
        out.append(f"  status = {q(session.status.value)}")
    if session.tentative:
        out.append("  tentative = true")
    explicit = [lk for lk in session.links if not lk.every_session]
    refs = explicit
    if tuple(dict.fromkeys([*explicit, *always])) != session.links:
        refs = list(session.links)
    if refs:
        out.append(f"  links = [{', '.join(q(link_ids[lk]) for lk in refs)}]")
    return out


def _duration_or_none(text: str) -> timedelta | None:
    try:
        return parse_duration(text)
    except ValueError:
        return None
