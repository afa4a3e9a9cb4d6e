"""Adding an imported weekend to an existing schedule file, keeping what staff wrote.

tomlkit keeps the file's comments, order and layout; only the one [[events]] table is
added or replaced. The result is loaded back before it is written, so a merge that
would make the file invalid is refused with the loader's file:line errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Table

from bot.authoring.schedule_file import EventIds, event_lines
from bot.authoring.timetable import ImportedTimetable
from bot.core.errors import ScheduleError, ScheduleErrors
from bot.core.model import Link, Series
from bot.core.schedule import load_text


def _known_links(doc: Any, series: Series) -> dict[Link, str]:
    """Series links by the ids the file gives them, so sessions can refer to them."""
    ids: dict[Link, str] = {}
    raw_links = doc.get("links", [])
    for link in series.links:
        for raw in raw_links:
            if raw.get("label") == link.label and raw.get("url") == link.url and raw.get("id"):
                ids[link] = str(raw["id"])
    return ids


def merge_event(
    text: str,
    file: str,
    series: Series,
    imported: Sequence[tuple[ImportedTimetable, EventIds]],
) -> tuple[str, list[str]]:
    """The file's text with each imported event added or replaced; and what was done."""
    try:
        doc = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise ScheduleErrors(
            [ScheduleError(file, None, f"not valid TOML: {exc}", "fix it")]
        ) from exc
    known = _known_links(doc, series)
    events = doc.get("events")
    if events is None:
        events = tomlkit.aot()
        doc.append("events", events)
    if not isinstance(events, AoT):
        raise ScheduleErrors(
            [ScheduleError(file, None, "[[events]] is not an array of tables", "fix the file")]
        )
    done: list[str] = []
    for table, ids in imported:
        existing = series.event(ids.event_id)
        block = event_lines(
            table,
            ids,
            event_name=existing.name if existing else None,
            circuit=existing.circuit if existing else None,
            country=existing.country if existing else None,
            track_timezone=existing.track_tz.key if existing else None,
            first_day=existing.first_day if existing else None,
            last_day=existing.last_day if existing else None,
            known_links=known,
        )
        new_table = tomlkit.parse("\n".join(block) + "\n")["events"][0]
        assert isinstance(new_table, Table)
        index = next((i for i, ev in enumerate(events) if ev.get("id") == ids.event_id), None)
        if index is None:
            events.append(new_table)
            done.append(f"added event {ids.event_id}")
        else:
            events[index] = new_table
            done.append(f"replaced event {ids.event_id}")
    out = tomlkit.dumps(doc)
    load_text(out, file)  # refuse a merge the loader would not accept
    return out, done


def read_series_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScheduleErrors(
            [
                ScheduleError(
                    str(path),
                    None,
                    f"cannot read the file: {exc}",
                    "give a schedule file in schedules/",
                )
            ]
        ) from exc
