"""Native Guild Scheduled Events for the coming weekend's sessions, marked as ours."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Iterable
from datetime import datetime, timedelta
from typing import Any

import discord

from bot.core.markup import Instant, format_instant
from bot.core.model import LinkKind, SessionRef
from bot.core.timeutil import SWEDISH_TIME
from bot.platforms.discord.render import clip

log = logging.getLogger(__name__)

#: Our own guild scheduled events, at most; Discord allows 100 uncompleted events per guild.
MAX_GUILD_EVENTS = 50
#: Sessions starting this long after the next one belong to "the coming weekend".
WEEKEND_SPAN = timedelta(days=4)
EVENT_MARKER = "racebot:"
EVENT_NAME_MAX = 100
EVENT_DESCRIPTION_MAX = 1000
EVENT_LOCATION_MAX = 100


def weekend_sessions(
    upcoming: Iterable[SessionRef], now: datetime, limit: int = MAX_GUILD_EVENTS
) -> list[SessionRef]:
    """Sessions of the coming weekend(s) that have not ended yet, earliest first.

    ``upcoming`` is ``Engine.upcoming(now)``: not cancelled, end in the future. Every
    event with a session starting within ``WEEKEND_SPAN`` of the next one counts.
    """
    refs = sorted(
        (r for r in upcoming if r.session.end > now and not r.session.cancelled),
        key=lambda r: r.session.start,
    )
    if not refs:
        return []
    horizon = refs[0].session.start + WEEKEND_SPAN
    events = {(r.series.id, r.event.id) for r in refs if r.session.start <= horizon}
    return [r for r in refs if (r.series.id, r.event.id) in events][:limit]


def _event_location(ref: SessionRef) -> str:
    streams = [link for link in ref.links if link.kind is LinkKind.STREAM]
    for link in streams:
        if link.url and len(link.url) <= EVENT_LOCATION_MAX:
            return link.url
    if streams:
        return clip(streams[0].label, EVENT_LOCATION_MAX)
    place = ", ".join(p for p in (ref.event.circuit, ref.event.city) if p)
    return clip(place or ref.event.name, EVENT_LOCATION_MAX)


def event_payload(ref: SessionRef, language: str = "sv") -> dict[str, Any]:
    """A guild scheduled event (external, guild only) for one session; marked with its key."""
    session = ref.session
    name = f"{ref.series.name} · {ref.event.name} · {session.name.get(language)}"
    when = format_instant(Instant(session.start), SWEDISH_TIME, language)
    zone_word = "svensk tid" if language == "sv" else "Swedish time"
    lines = [f"{session.name.get(language)} – {ref.event.name}: {when} ({zone_word})"]
    if session.note is not None:
        lines.append(session.note.get(language))
    marker = f"{EVENT_MARKER}{ref.key}"
    body = clip("\n".join(lines), EVENT_DESCRIPTION_MAX - len(marker) - 1)
    return {
        "name": clip(name, EVENT_NAME_MAX),
        "description": f"{body}\n{marker}",
        "scheduled_start_time": session.start.isoformat(),
        "scheduled_end_time": session.end.isoformat(),
        "entity_type": discord.EntityType.external.value,
        "privacy_level": discord.PrivacyLevel.guild_only.value,
        "entity_metadata": {"location": _event_location(ref)},
        "channel_id": None,
    }


def event_marker(event: dict[str, Any]) -> str | None:
    """The session key a scheduled event was made for, or None when it is not ours."""
    for text in reversed(str(event.get("description") or "").splitlines()):
        if text.startswith(EVENT_MARKER):
            return text.removeprefix(EVENT_MARKER).strip()
    return None


def _parse_time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def event_changes(current: dict[str, Any], wanted: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The fields of ``wanted`` that differ from ``current`` (times compared as instants)."""
    changes: dict[str, Any] = {}
    for key in ("scheduled_start_time", "scheduled_end_time"):
        if _parse_time(current.get(key)) != _parse_time(wanted[key]):
            changes[key] = wanted[key]
    start = _parse_time(wanted["scheduled_start_time"])
    if "scheduled_start_time" in changes and start is not None and start <= now:
        changes.pop("scheduled_start_time")  # Discord refuses a start in the past
    for key in ("name", "description", "entity_metadata"):
        if current.get(key) != wanted[key]:
            changes[key] = wanted[key]
    return changes


async def event_call(call: Awaitable[Any]) -> None:
    """One scheduled-event request; a refused one is logged and the sync goes on.

    Missing permissions (403) stop the guild's sync: every further call would fail too.
    """
    try:
        await call
    except discord.Forbidden:
        raise
    except discord.HTTPException as exc:
        log.warning("discord: scheduled event request refused: %s", exc)
