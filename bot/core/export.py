"""The JSON shape of sessions, shared by `racebot schedule --json` and the timetable import.

One function so scripts reading either command's output see the same keys and formats.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.model import PendingSession, Session

JsonSession = dict[str, Any]


def sessions_json(
    series_id: str, event_id: str, sessions: Iterable[Session], tz: ZoneInfo
) -> list[JsonSession]:
    """Sessions as plain JSON objects; times carry the offset of ``tz`` so readers need no zone."""
    return [_row(series_id, event_id, session, tz) for session in sessions]


def _row(series_id: str, event_id: str, session: Session, tz: ZoneInfo) -> JsonSession:
    row: JsonSession = {
        "series": series_id,
        "event": event_id,
        "id": session.id,
        "name": session.name.sv,
        "name_en": session.name.en,
        "kind": session.kind.value,
        "start": session.start.astimezone(tz).isoformat(timespec="seconds"),
        "end": session.end.astimezone(tz).isoformat(timespec="seconds"),
        "streams": [{"label": link.label, "url": link.url} for link in session.links],
    }
    if session.tentative:
        row["tentative"] = True  # "TBC" in the release: not a time to rely on yet
    return row


def pending_json(
    series_id: str, event_id: str, pending: Iterable[PendingSession]
) -> list[JsonSession]:
    """Sessions without a time yet, in the same shape: start and end null, never a guess."""
    return [
        {
            "series": series_id,
            "event": event_id,
            "id": item.id,
            "name": item.name.sv,
            "name_en": item.name.en,
            "kind": item.kind.value,
            "day": item.day.isoformat() if item.day else None,
            "start": None,
            "end": None,
            "streams": [],
            "tentative": True,
        }
        for item in pending
    ]
