"""Weekends published from press releases, on the command line: `racebot schedule` shows
them with the files, `racebot export-schedule` writes them as a schedule file."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from bot.authoring.weekends import MERGE_RULE, export_text, overlay
from bot.config import Config, load_config
from bot.core.errors import StartupError, UserError
from bot.core.model import Catalog
from bot.core.schedule import load_catalog
from bot.store.weekends import StoredWeekend


def add_export_parser(sub: Any, config_arg: Any) -> None:
    export = sub.add_parser(
        "export-schedule", help="write the weekends published from releases as a schedule file"
    )
    export.add_argument("--series", help="series id (needed when releases touched several)")
    export.add_argument("-o", "--output", type=Path, required=True, help="file to write")
    config_arg(export)
    export.set_defaults(func=export_schedule)


async def _read(url: str) -> list[StoredWeekend]:
    from bot.startup import open_store

    store = await open_store(url)
    try:
        return await store.weekends.current()
    finally:
        await store.close()


def stored_weekends(config: Config) -> list[StoredWeekend]:
    """The database's weekends; none when no database file exists yet. A database that
    cannot be read is said on stderr and the files alone are shown."""
    parsed = make_url(config.storage.url)
    if parsed.drivername.startswith("sqlite") and (
        not parsed.database or not Path(parsed.database).expanduser().exists()
    ):
        return []
    try:
        return asyncio.run(_read(config.storage.url))
    except StartupError as exc:
        print(f"racebot: warning: weekends from releases left out: {exc}", file=sys.stderr)
        return []


def catalog_with_weekends(config: Config) -> Catalog:
    return overlay(load_catalog(config.bot.schedules), stored_weekends(config))


def export_schedule(args: argparse.Namespace) -> int:
    from bot.cli_import import write_whole

    config = load_config(args.config)
    weekends = stored_weekends(config)
    series_ids = sorted({w.series_id for w in weekends})
    if not series_ids:
        raise UserError("no weekends were published from releases", "nothing to export")
    series_id = args.series
    if series_id is None:
        if len(series_ids) > 1:
            raise UserError("releases touched several series", f"give --series: {series_ids}")
        series_id = series_ids[0]
    elif series_id not in series_ids:
        raise UserError(f"no published weekends of {series_id}", f"known: {series_ids}")
    files = load_catalog(config.bot.schedules)
    shipped = files.get(series_id)
    file_text = None
    if shipped is not None and shipped.source:
        file_text = Path(shipped.source).read_text(encoding="utf-8")
    text = export_text(series_id, weekends, file_text, str(args.output))
    write_whole(args.output, text)
    print(f"wrote {args.output} ({MERGE_RULE})", file=sys.stderr)
    return 0
