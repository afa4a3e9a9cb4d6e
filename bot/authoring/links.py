"""Label-only links from a release ("LIVETIMING", "LIVE på JA Bäckmans Facebook-sida")
matched to the addresses a series file knows.
"""

from __future__ import annotations

from dataclasses import replace

from bot.authoring.timetable import ImportedTimetable
from bot.core.model import Link, Series


def _label_key(label: str) -> str:
    return "".join(label.casefold().replace("-", " ").replace("_", " ").split())


def resolve_links(
    imported: ImportedTimetable, series: Series, event_id: str | None
) -> ImportedTimetable:
    """Give label-only links the series'/event's URL, and add their every-session links.

    Labels match case-insensitively (ignoring spaces and dashes, so "LIVETIMING" finds
    "Live timing"); the every-session links come last, as the schedule loader adds them.
    """
    event = series.event(event_id) if event_id else None
    known: dict[str, Link] = {}
    for link in (*series.links, *(event.links if event else ())):
        known[_label_key(link.label)] = link
    always = [
        link for link in (*series.links, *(event.links if event else ())) if link.every_session
    ]
    entries = []
    for entry in imported.entries:
        own = [
            known.get(_label_key(link.label), link) if link.url is None else link
            for link in entry.session.links
        ]
        links = tuple(dict.fromkeys([*own, *always]))
        entries.append(replace(entry, session=replace(entry.session, links=links)))
    return replace(imported, entries=tuple(entries))
