"""What a session's Discord scheduled event shows, and how to tell it changed.

The text is for fans only: the bot finds its events by their stored id (see
``bot.service.server_events``). Events made before that carried a last line
``racebot:<session key>``; ``legacy_marker`` reads it so a sync can adopt them once.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import discord

from bot.core.markup import Instant, format_instant
from bot.core.model import SessionRef
from bot.core.texts import zone_words
from bot.platforms.discord.render import clip

#: The tag events made before #19 ended their description with.
LEGACY_MARKER = "racebot:"
EVENT_NAME_MAX = 100
EVENT_DESCRIPTION_MAX = 1000
EVENT_LOCATION_MAX = 100
#: Discord's error code for a scheduled start before its own now.
PAST_START = "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST"
#: The fields a sync compares and sends: what fans see of an event, and its times.
SHOWN = ("name", "description", "entity_metadata", "scheduled_start_time", "scheduled_end_time")


def event_location(ref: SessionRef) -> str:
    """Where the session is driven, the same kind of place for every session (the circuit);
    where to watch belongs to the posts' link buttons, not to the event's location."""
    place = ", ".join(p for p in (ref.event.circuit, ref.event.city) if p)
    return clip(place or ref.event.name, EVENT_LOCATION_MAX)


def event_payload(ref: SessionRef, language: str, home: ZoneInfo) -> dict[str, Any]:
    """A guild scheduled event (external, guild only) for one session, in fans' words."""
    session = ref.session
    name = f"{ref.series.name} · {ref.event.name} · {session.name.get(language)}"
    when = format_instant(Instant(session.start), home, language)
    zone_word = zone_words(home.key, language)
    lines = [f"{session.name.get(language)} – {ref.event.name}: {when} ({zone_word})"]
    if session.note is not None:
        lines.append(session.note.get(language))
    return {
        "name": clip(name, EVENT_NAME_MAX),
        "description": clip("\n".join(lines), EVENT_DESCRIPTION_MAX),
        "scheduled_start_time": session.start.isoformat(),
        "scheduled_end_time": session.end.isoformat(),
        "entity_type": discord.EntityType.external.value,
        "privacy_level": discord.PrivacyLevel.guild_only.value,
        "entity_metadata": {"location": event_location(ref)},
        "channel_id": None,
    }


def payload_digest(payload: dict[str, Any]) -> str:
    """A digest of what an event shows (times as instants): equal digests, nothing to send."""
    shown = {key: payload[key] for key in SHOWN}
    for key in ("scheduled_start_time", "scheduled_end_time"):
        instant = parse_time(shown[key])
        shown[key] = instant.timestamp() if instant is not None else None
    text = json.dumps(shown, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def legacy_marker(event: dict[str, Any]) -> str | None:
    """The session key an event made before #19 names in its last line, if any."""
    for text in reversed(str(event.get("description") or "").splitlines()):
        if text.startswith(LEGACY_MARKER):
            return text.removeprefix(LEGACY_MARKER).strip() or None
    return None


def parse_time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def event_changes(current: dict[str, Any], wanted: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The fields of ``wanted`` that differ from ``current`` (times compared as instants)."""
    changes: dict[str, Any] = {}
    for key in ("scheduled_start_time", "scheduled_end_time"):
        if parse_time(current.get(key)) != parse_time(wanted[key]):
            changes[key] = wanted[key]
    start = parse_time(wanted["scheduled_start_time"])
    if "scheduled_start_time" in changes and start is not None and start <= now:
        changes.pop("scheduled_start_time")  # Discord refuses a start in the past
    for key in ("name", "description", "entity_metadata"):
        if current.get(key) != wanted[key]:
            changes[key] = wanted[key]
    return changes


def start_refused_as_past(exc: discord.HTTPException) -> bool:
    """Discord's 400 for a start in the past: Invalid Form Body (50035) with
    ``errors.scheduled_start_time._errors[].code`` GUILD_SCHEDULED_EVENT_SCHEDULE_PAST."""
    if exc.status != 400 or exc.code != 50035:
        return False
    errors = getattr(exc, "_errors", None)  # discord.py keeps the raw tree here
    if not isinstance(errors, dict):
        return "In scheduled_start_time" in exc.text
    field = errors.get("scheduled_start_time")
    found = field.get("_errors", []) if isinstance(field, dict) else []
    return any(isinstance(e, dict) and e.get("code") == PAST_START for e in found)
