"""`racebot` command line: run, check, schedule, import-timetable, ics, invite, demo, shell.

Every failure a person can cause ends with a message and exit code 1, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.config import Config, load_config
from bot.core.errors import ConfigError, PlatformError, ScheduleErrors, UserError
from bot.core.export import sessions_json
from bot.core.markup import plain_text
from bot.core.model import Catalog
from bot.core.render import render_preview
from bot.core.schedule import load_catalog, schedule_files
from bot.core.timeutil import LocalTimeError, zone


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if getattr(args, "verbose", False) else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("apscheduler", "httpx", "discord", "aiosqlite", "telegram", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        result: int = args.func(args)
        return result
    except (ConfigError, ScheduleErrors, UserError, PlatformError) as exc:
        print(f"racebot: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="racebot", description="Race-weekend reminders for fans on Discord and Telegram."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    parser.add_argument("--version", action="version", version=f"racebot {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run the bot (console output when no tokens are set)")
    _config_arg(run)
    run.set_defaults(func=_run)

    check = sub.add_parser("check", help="validate the config and every schedule file")
    _config_arg(check)
    check.set_defaults(func=_check)

    schedule = sub.add_parser("schedule", help="print the timetable, by default in Swedish time")
    _config_arg(schedule)
    schedule.add_argument("--series", help="series id, e.g. tcr-europe-2020")
    schedule.add_argument("--event", help="event id, e.g. r6")
    schedule.add_argument("--tz", default=None, help="display zone (default Europe/Stockholm)")
    schedule.add_argument("--lang", choices=("sv", "en"), default=None)
    schedule.add_argument("--json", action="store_true", help="machine-readable list of sessions")
    schedule.set_defaults(func=_schedule)

    imp = sub.add_parser("import-timetable", help="read a press release's timetable")
    imp.add_argument("file", help="press release text file, or - for standard input")
    imp.add_argument("--year", type=int, required=True, help="the year of the weekend")
    imp.add_argument("--series", help="series id (links resolve against its schedule file)")
    imp.add_argument("--event", help="event id, e.g. r6")
    imp.add_argument("--tz", default=None, help="zone the release's times are in")
    out = imp.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print sessions as JSON")
    out.add_argument("--out", type=Path, help="write a schedule file racebot check accepts")
    _config_arg(imp)
    imp.set_defaults(func=_import_timetable)

    try:
        from bot.cli_ics import add_ics_parser

        add_ics_parser(sub)
    except ImportError:  # pragma: no cover - calendar module not installed
        pass

    from bot.cli_invite import add_invite_parser

    add_invite_parser(sub)

    demo = sub.add_parser("demo", help="replay the Jarama 2020 weekend on a fast virtual clock")
    demo.add_argument("--speed", type=float, default=0.15, help="real seconds per post")
    demo.set_defaults(func=_demo)

    shell = sub.add_parser("shell", help="chat with the bot on the terminal (fan and staff)")
    _config_arg(shell)
    shell.add_argument("--at", help="virtual start time, ISO 8601 with offset")
    shell.set_defaults(func=_shell)
    return parser


def _version() -> str:
    """The installed package's version (pyproject.toml), or "unknown" from a bare checkout."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("racebot")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _config_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, default=None, help="config file (config/bot.toml)")


def _catalog(config: Config) -> Catalog:
    return load_catalog(config.bot.schedules)


def _run(args: argparse.Namespace) -> int:
    from bot.app import App, run_forever

    config = load_config(args.config)
    print(f"racebot: config from {config.source}; storage {config.storage.url}", file=sys.stderr)
    asyncio.run(run_forever(App(config)))
    return 0


def _check(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    files = schedule_files(config.bot.schedules)
    catalog = _catalog(config)
    sessions = sum(1 for _ in catalog.sessions())
    print(f"config OK ({config.source})")
    print(f"{len(files)} schedule files OK: {len(catalog.series)} series, {sessions} sessions")
    return 0


def _schedule(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    catalog = _catalog(config)
    try:
        tz = zone(args.tz or config.bot.timezone)
    except LocalTimeError as exc:
        raise UserError(str(exc), exc.hint) from exc
    language = args.lang or config.bot.language
    chosen = [
        (series, event)
        for series, event in catalog.events()
        if (args.series is None or series.id == args.series)
        and (args.event is None or event.id == args.event)
    ]
    if not chosen:
        known = ", ".join(f"{s.id}/{e.id}" for s, e in catalog.events())
        raise UserError("no weekend matches --series/--event", f"known weekends: {known}")
    if args.json:
        rows = [row for s, e in chosen for row in sessions_json(s.id, e.id, e.sessions, tz)]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for series, event in chosen:
        print(plain_text(render_preview(series, event, language, tz), tz))
        print()
    return 0


def _read_release(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    try:
        return Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(
            f"cannot read {name}: {exc}", "give a UTF-8 text file or - for stdin"
        ) from exc


def _import_timetable(args: argparse.Namespace) -> int:
    from bot.core import timetable

    config = load_config(args.config)
    text = _read_release(args.file)
    source = "<stdin>" if args.file == "-" else args.file
    kwargs = {}
    if args.tz:
        try:
            kwargs["default_tz"] = zone(args.tz)
        except LocalTimeError as exc:
            raise UserError(str(exc), exc.hint) from exc
    imported = timetable.parse_timetable(text, year=args.year, source=source, **kwargs)
    series = _catalog(config).get(args.series) if args.series else None
    if args.series and series is None:
        raise UserError(f"unknown series {args.series!r}", "see racebot schedule for the ids")
    if series is not None:
        imported = timetable.resolve_links(imported, series, args.event)
    series_id = args.series or "imported"
    event_id = args.event or "r1"
    if args.out:
        known = series.event(event_id) if series is not None else None
        details: dict[str, Any] = {}
        if series is not None:
            details.update(series_name=series.name, season=series.season)
        if known is not None:
            details.update(
                event_round=known.round,
                event_name=known.name,
                circuit=known.circuit,
                country=known.country,
                track_timezone=known.track_tz.key,
                first_day=known.first_day,
                last_day=known.last_day,
            )
        toml_text = timetable.to_toml(
            imported,
            series_id=args.series,
            event_id=args.event,
            **details,
        )
        args.out.write_text(toml_text, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
        return 0
    rows = sessions_json(series_id, event_id, imported.sessions, imported.tz)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(f"{row['start']}  {row['id']:8} {row['name']}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from bot.demo import run_demo

    asyncio.run(run_demo(speed=args.speed))
    return 0


def _shell(args: argparse.Namespace) -> int:
    from bot.shell import run_shell

    config = load_config(args.config)
    asyncio.run(run_shell(config, start=args.at))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
