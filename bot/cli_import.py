"""`racebot import-timetable` and `racebot import-calendar`: press releases to schedule files.

Every refusal is a ScheduleErrors/UserError the CLI prints as file:line and a hint; a
file is only written whole (temporary file, then rename), never half.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.authoring.links import resolve_links
from bot.authoring.merge import merge_event, read_series_file
from bot.authoring.schedule_file import EventIds, event_ids, to_toml
from bot.authoring.season import calendar_toml, merge_calendar, parse_calendar
from bot.authoring.timetable import ImportedTimetable, parse_release
from bot.core.errors import ScheduleErrors, UserError
from bot.core.export import sessions_json
from bot.core.model import Event, Series
from bot.core.schedule import load_text
from bot.core.timeutil import LocalTimeError, zone


def add_import_parsers(sub: Any, config_arg: Any) -> None:
    imp = sub.add_parser("import-timetable", help="read a press release's timetable")
    imp.add_argument("file", help="press release text file, or - for standard input")
    imp.add_argument("--year", type=int, required=True, help="the year of the weekend")
    imp.add_argument("--series", help="series id (a new id starts a new series)")
    imp.add_argument("--event", help="event id, e.g. r6")
    imp.add_argument("--tz", default=None, help="zone the release's times are in (checked)")
    out = imp.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print sessions as JSON")
    out.add_argument("--out", type=Path, help="write a new schedule file racebot check accepts")
    out.add_argument("--into", type=Path, help="add/replace the event in this schedule file")
    config_arg(imp)
    imp.set_defaults(func=import_timetable)

    cal = sub.add_parser("import-calendar", help="read a press release's season calendar")
    cal.add_argument("file", help="press release text file, or - for standard input")
    cal.add_argument("--year", type=int, required=True, help="the season")
    cal.add_argument("--series", help="series id, e.g. wtcr-2021")
    cal_out = cal.add_mutually_exclusive_group()
    cal_out.add_argument("--out", type=Path, help="write a new schedule file")
    cal_out.add_argument("--into", type=Path, help="add the weekends this file lacks")
    config_arg(cal)
    cal.set_defaults(func=import_calendar)


def _read(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    try:
        return Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(
            f"cannot read {name}: {exc}", "give a UTF-8 text file or - for stdin"
        ) from exc


def write_whole(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` all or nothing: a temporary file renamed over it."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise UserError(f"cannot write {path}: {exc}", "check the folder and free space") from exc


def _series_from(args: argparse.Namespace) -> tuple[Series | None, str | None]:
    """The series the import belongs to: the --into file's, or a known --series."""
    from bot.cli import load_catalog_for

    if args.into is not None:
        text = read_series_file(args.into)
        series = load_text(text, str(args.into))
        if args.series and args.series != series.id:
            raise UserError(
                f"--series {args.series} but {args.into} is series {series.id}",
                "leave out --series or give the matching file",
            )
        return series, text
    if args.series:
        return load_catalog_for(args).get(args.series), None
    return None, None


def _parse_or_suggest(
    text: str, year: int, source: str, default_tz: ZoneInfo | None, track: ZoneInfo | None
) -> tuple[ImportedTimetable, ...]:
    """The release's timetables; a release with only a season calendar says so."""
    try:
        return parse_release(text, year=year, source=source, default_tz=default_tz, track_tz=track)
    except ScheduleErrors as exc:
        if [e.message for e in exc.errors] != ["no timetable found"]:
            raise
        try:
            calendar = parse_calendar(text, year=year, source=source)
        except ScheduleErrors:
            raise exc from None
        raise UserError(
            f"{source}: no timetable found, but a season calendar (line {calendar.heading})",
            f"import it with: racebot import-calendar {source} --year {year} --out FILE",
        ) from exc


def _parse_for_series(
    text: str, year: int, source: str, default_tz: ZoneInfo | None, series: Series
) -> tuple[tuple[ImportedTimetable, ...], Event | None]:
    """Parse a release for a known series without --event: the weekend is the one its dates
    fall in, and its track zone serves a release in local time that names no place.

    Each weekend's zone is only accepted when the dates then fall in that very weekend.
    """
    try:
        tables = _parse_or_suggest(text, year, source, default_tz, None)
    except ScheduleErrors as first:
        for event in series.events:
            try:
                tables = parse_release(
                    text, year=year, source=source, default_tz=default_tz, track_tz=event.track_tz
                )
            except ScheduleErrors:
                continue
            if _matching_event(series, tables) == event:
                return tables, event
        raise first from None
    known = _matching_event(series, tables)
    if known is not None:
        tables = parse_release(
            text, year=year, source=source, default_tz=default_tz, track_tz=known.track_tz
        )
    return tables, known


def _matching_event(series: Series, tables: tuple[ImportedTimetable, ...]) -> Event | None:
    days = [d for t in tables for d in t.days()]
    if not days:
        return None
    first, last = min(days), max(days)
    found = [
        e
        for e in series.events
        if e.first_day.toordinal() - 1 <= first.toordinal() and last <= e.last_day
    ]
    return found[0] if len(found) == 1 else None


def import_timetable(args: argparse.Namespace) -> int:
    text = _read(args.file)
    source = "<stdin>" if args.file == "-" else args.file
    default_tz = None
    if args.tz:
        try:
            default_tz = zone(args.tz)
        except LocalTimeError as exc:
            raise UserError(str(exc), exc.hint) from exc
    series, file_text = _series_from(args)
    known = series.event(args.event) if series is not None and args.event else None
    track = known.track_tz if known is not None else None
    if series is not None and known is None and args.event is None:
        tables, known = _parse_for_series(text, args.year, source, default_tz, series)
    else:
        tables = _parse_or_suggest(text, args.year, source, default_tz, track)
    if series is not None:
        tables = tuple(resolve_links(t, series, known.id if known else None) for t in tables)
    several = len(tables) > 1
    ids = [
        event_ids(
            t,
            year=series.season if series is not None else args.year,
            series_id=series.id if series is not None else args.series,
            series_name=series.name if series is not None else None,
            event_id=args.event or (known.id if known is not None else None),
            event_round=known.round if known is not None and not several else None,
            several=several,
        )
        for t in tables
    ]
    _warn_unresolved(tables)
    if args.into is not None:
        assert series is not None
        assert file_text is not None
        merged, done = merge_event(
            file_text, str(args.into), series, list(zip(tables, ids, strict=True))
        )
        write_whole(args.into, merged)
        for line in done:
            print(f"{args.into}: {line}", file=sys.stderr)
        return 0
    if args.out is not None:
        details: dict[str, Any] = {}
        if known is not None and not several:
            details.update(
                event_name=known.name,
                circuit=known.circuit,
                country=known.country,
                track_timezone=known.track_tz.key,
                first_day=known.first_day,
                last_day=known.last_day,
            )
        toml_text = to_toml(
            tables,
            series_id=ids[0].series_id,
            series_name=ids[0].series_name,
            season=ids[0].season,
            event_id=args.event or (known.id if known else None),
            event_round=ids[0].event_round if not several else None,
            series=series,
            **details,
        )
        load_text(toml_text, str(args.out))
        write_whole(args.out, toml_text)
        print(f"wrote {args.out}", file=sys.stderr)
        return 0
    rows = _rows(tables, ids)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            start = row["start"] or "TBA".ljust(25)
            mark = " (preliminär tid)" if row.get("tentative") else ""
            print(f"{start}  {row['event']}/{row['id']:8} {row['name']}{mark}")
    return 0


def _rows(tables: tuple[ImportedTimetable, ...], ids: list[EventIds]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for table, ident in zip(tables, ids, strict=True):
        rows += sessions_json(ident.series_id, ident.event_id, table.sessions, table.tz)
        for pending in table.pending:
            rows.append(
                {
                    "series": ident.series_id,
                    "event": ident.event_id,
                    "id": pending.id,
                    "name": pending.name.sv,
                    "name_en": pending.name.en,
                    "kind": pending.kind.value,
                    "day": pending.day.isoformat(),
                    "start": None,
                    "end": None,
                    "tentative": True,
                    "line": pending.line,
                }
            )
    return rows


def _warn_unresolved(tables: tuple[ImportedTimetable, ...]) -> None:
    for table in tables:
        for entry in table.entries:
            for link in entry.session.links:
                if link.url is None:
                    print(
                        f"racebot: warning: {table.source}:{entry.line}: link {link.label!r} "
                        "has no address; add its url to the schedule file",
                        file=sys.stderr,
                    )


def import_calendar(args: argparse.Namespace) -> int:
    text = _read(args.file)
    source = "<stdin>" if args.file == "-" else args.file
    calendar = parse_calendar(text, year=args.year, source=source)
    if args.into is not None:
        file_text = read_series_file(args.into)
        series = load_text(file_text, str(args.into))
        merged, done = merge_calendar(file_text, str(args.into), series, calendar)
        write_whole(args.into, merged)
        for line in done:
            print(f"{args.into}: {line}", file=sys.stderr)
        return 0
    name = calendar.name or args.series or "Imported series"
    from bot.authoring.names import slug

    series_id = args.series or f"{slug(name)}-{args.year}"
    toml_text = calendar_toml(calendar, series_id, name)
    if args.out is not None:
        load_text(toml_text, str(args.out))
        write_whole(args.out, toml_text)
        print(f"wrote {args.out}", file=sys.stderr)
        return 0
    for entry in calendar.entries:
        print(
            f"r{entry.round:<3} {entry.first_day}–{entry.last_day}  {entry.circuit}, "
            f"{entry.country} ({entry.track_timezone})"
        )
    return 0


__all__ = ["ScheduleErrors", "add_import_parsers", "import_calendar", "import_timetable"]
