"""`racebot ics`: write a calendar feed from the schedule files, without bot or database.

For checking a schedule in a calendar app before it goes live, or for hosting a static
.ics. No store means no staff changes: every session has SEQUENCE 0.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.core.calendar import build_calendar, parse_options
from bot.core.clock import SystemClock
from bot.core.errors import ScheduleErrors, UserError
from bot.core.schedule import load_catalog


def add_ics_parser(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """Register `ics`; the handler is set as ``func`` like the other commands."""
    parser = subparsers.add_parser("ics", help="write the calendar feed (.ics) to a file or stdout")
    parser.add_argument("--series", metavar="ID", help="one series, e.g. tcr-europe-2020")
    parser.add_argument("--lang", choices=("sv", "en"), default="sv", help="language of texts")
    parser.add_argument(
        "--alarm",
        metavar="MINUTES",
        nargs="+",
        default=[],
        help="reminders before each session, e.g. --alarm 15 60",
    )
    parser.add_argument("--kinds", default="", help="only these kinds, e.g. race,qualifying")
    parser.add_argument("-o", "--output", metavar="FILE", type=Path, help="write here, not stdout")
    parser.add_argument("--schedules", metavar="DIR", type=Path, default=Path("schedules"))
    parser.add_argument("--public-url", default="", help="URL for sessions without a stream")
    parser.set_defaults(func=run_ics)
    return parser


def run_ics(args: argparse.Namespace) -> int:
    """Print or write the feed; bad options or schedules give 1 and a message on stderr."""
    try:
        text = _feed(args)
    except (UserError, ScheduleErrors) as exc:
        print(f"racebot ics: {exc}", file=sys.stderr)
        return 1
    if args.output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))  # bytes: CRLF stays CRLF everywhere
        sys.stdout.buffer.flush()
        return 0
    try:
        args.output.write_bytes(text.encode("utf-8"))
    except OSError as exc:
        print(f"racebot ics: cannot write {args.output}: {exc.strerror}", file=sys.stderr)
        return 1
    return 0


def _feed(args: argparse.Namespace) -> str:
    options = parse_options(
        {"lang": args.lang, "alarm": ",".join(args.alarm), "kinds": args.kinds or ""}
    )
    catalog = load_catalog(args.schedules)
    if args.series is not None and catalog.get(args.series) is None:
        known = ", ".join(s.id for s in catalog.series) or "none"
        raise UserError(f"Unknown series {args.series!r}.", f"Known series: {known}.")
    return build_calendar(
        catalog,
        {},
        series_id=args.series,
        language=options.language,
        alarms=options.alarms,
        kinds=options.kinds,
        now=SystemClock().now(),
        public_url=args.public_url,
    )
