"""`racebot` command line: run, check, schedule, import-timetable/-calendar, export-schedule,
ics, invite, demo, shell.

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

from bot import installed_version
from bot.config import Config, load_config
from bot.core.errors import ConfigError, PlatformError, ScheduleErrors, UserError
from bot.core.export import pending_json, sessions_json
from bot.core.markup import plain_text
from bot.core.model import Catalog
from bot.core.render import render_preview
from bot.core.schedule import load_catalog, schedule_files, schedule_warnings
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
    except ScheduleErrors as exc:
        # the readers' refusals in [bot] language (Swedish unless set), as staff write
        print(f"racebot: {exc.render(_language(args))}", file=sys.stderr)
        return 1
    except (ConfigError, UserError, PlatformError) as exc:
        print(f"racebot: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="racebot", description="Race-weekend reminders for fans on Discord and Telegram."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    parser.add_argument("--version", action="version", version=f"racebot {installed_version()}")
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

    from bot.cli_import import add_import_parsers

    add_import_parsers(sub, _config_arg)

    from bot.cli_weekends import add_export_parser

    add_export_parser(sub, _config_arg)

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
    shell.add_argument(
        "--database",
        metavar="URL",
        help="act on this real database (default: a scratch one, discarded at exit)",
    )
    shell.set_defaults(func=_shell)
    return parser


def _language(args: argparse.Namespace) -> str:
    """``[bot] language`` of the command's config; Swedish when there is none to read."""
    try:
        return load_config(getattr(args, "config", None)).bot.language
    except Exception:  # no config, or a broken one: the refusal still gets said
        return "sv"


def _config_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, default=None, help="config file (config/bot.toml)")


def _catalog(config: Config) -> Catalog:
    return load_catalog(config.bot.schedules)


def _run(args: argparse.Namespace) -> int:
    from bot.app import App, run_forever
    from bot.startup import safe_url

    config = load_config(args.config)
    storage = safe_url(config.storage.url)
    print(f"racebot: config from {config.source}; storage {storage}", file=sys.stderr)
    asyncio.run(run_forever(App(config, watch_schedules=True)))
    return 0


def _check(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    files = schedule_files(config.bot.schedules)
    catalog = _catalog(config)
    sessions = sum(1 for _ in catalog.sessions())
    untimed = sum(len(event.pending) for _, event in catalog.events())
    waiting = f", {untimed} without a time yet" if untimed else ""
    print(f"config OK ({config.source})")
    print(
        f"{len(files)} schedule files OK: {len(catalog.series)} series, {sessions} sessions"
        f"{waiting}"
    )
    for path in files:
        for warning in schedule_warnings(path):
            print(f"warning: {warning}")
    for note in _capacity(config):
        print(note)
    return 0


def _capacity(config: Config) -> list[str]:
    """How long one notification to every subscriber takes on each platform."""
    from bot.core.capacity import capacity_lines
    from bot.platforms import registry
    from bot.startup import safe_url
    from bot.store.subscriptions import read_census

    try:
        census = asyncio.run(read_census(config.storage.url))
    except Exception as exc:  # no database yet, or not reachable: say so, check goes on
        return [f"capacity: unknown (database {safe_url(config.storage.url)}: {exc})"]
    rates = {p.name: p.limits(config).global_per_second for p in registry.PLATFORMS}
    return capacity_lines(
        census, rates, useful_minutes=config.reminders.grace, paid=registry.paid(config)
    )


def _schedule(args: argparse.Namespace) -> int:
    from bot.cli_weekends import catalog_with_weekends

    config = load_config(args.config)
    catalog = catalog_with_weekends(config)
    try:
        tz = zone(args.tz or config.bot.timezone)
    except LocalTimeError as exc:
        raise UserError(str(exc), exc.hint) from exc
    language = args.lang or config.bot.language
    home = zone(config.bot.timezone)
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
        rows = [
            row
            for s, e in chosen
            for row in [
                *sessions_json(s.id, e.id, e.sessions, tz),
                *pending_json(s.id, e.id, e.pending),
            ]
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for series, event in chosen:
        print(plain_text(render_preview(series, event, language, tz, home), tz))
        print()
    return 0


def load_catalog_for(args: argparse.Namespace) -> Catalog:
    """The catalog of the config given on the command line (for the import commands)."""
    return _catalog(load_config(args.config))


def _demo(args: argparse.Namespace) -> int:
    from bot.demo import run_demo

    asyncio.run(run_demo(speed=args.speed))
    return 0


def _shell(args: argparse.Namespace) -> int:
    from bot.shell import run_shell

    config = load_config(args.config)
    asyncio.run(run_shell(config, start=args.at, database=args.database))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
