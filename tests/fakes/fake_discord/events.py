"""Scheduled events as guild state: creating, counting and permission to change them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.fakes.fake_discord.errors import missing_permissions
from tests.fakes.fake_discord.gateway import Intent
from tests.fakes.fake_discord.model import JSON, Guild
from tests.fakes.fake_discord.permissions import Permission, base_permissions
from tests.fakes.fake_discord.validation import parse_time

if TYPE_CHECKING:
    from tests.fakes.fake_discord.world import World


ACTIVE_EVENT_STATUSES = (1, 2)
MAX_SCHEDULED_EVENTS = 100


def check_event_permissions(world: World, guild: Guild, event: JSON | None = None) -> None:
    """Create Events covers creating and the bot's own events; Manage Events all."""
    perms = base_permissions(guild, world.bot_user_id)
    needed = Permission.MANAGE_EVENTS
    if event is None or event.get("creator_id") == str(world.bot_user_id):
        needed |= Permission.CREATE_EVENTS
    if not perms & needed:
        raise missing_permissions()


def active_events(world: World, guild: Guild) -> int:
    """Scheduled and active events: what counts toward the 100 per guild."""
    events = world.scheduled_events[guild.id].values()
    return sum(1 for e in events if e.get("status") in ACTIVE_EVENT_STATUSES)


def new_event(world: World, guild: Guild, creator_id: int, payload: JSON) -> JSON:
    """An event record as Discord returns it, before validation and storing."""
    return {
        "id": str(world.next_id()),
        "guild_id": str(guild.id),
        "channel_id": payload.get("channel_id"),
        "creator_id": str(creator_id),
        "creator": world.user(creator_id),
        "name": payload.get("name"),
        "description": payload.get("description"),
        "scheduled_start_time": payload.get("scheduled_start_time"),
        "scheduled_end_time": payload.get("scheduled_end_time"),
        "privacy_level": payload.get("privacy_level"),
        "status": 1,
        "entity_type": payload.get("entity_type"),
        "entity_id": None,
        "entity_metadata": payload.get("entity_metadata"),
        "image": None,
        "recurrence_rule": payload.get("recurrence_rule"),
    }


def store_event(world: World, guild: Guild, event: JSON) -> None:
    """Keep a new event and dispatch GUILD_SCHEDULED_EVENT_CREATE."""
    normalise_event_times(event)
    world.scheduled_events[guild.id][int(event["id"])] = event
    world.gateway.emit_guild(
        guild.id, "GUILD_SCHEDULED_EVENT_CREATE", event, intent=Intent.GUILD_SCHEDULED_EVENTS
    )
    world.notify()


def normalise_event_times(event: JSON) -> None:
    """Store times as Discord echoes them: ISO 8601 in UTC."""
    for key in ("scheduled_start_time", "scheduled_end_time"):
        parsed = parse_time(event.get(key))
        if parsed is not None:
            event[key] = parsed.isoformat()


def run_automation(world: World, guild: Guild) -> None:
    """Discord's "Guild Scheduled Event Status Update Automation" for external events: at
    its ``scheduled_start_time`` one becomes ACTIVE (2), at its ``scheduled_end_time``
    COMPLETED (3), each with GUILD_SCHEDULED_EVENT_UPDATE. Run before every events
    request and by ``FakeDiscord.run_event_automation`` (time is ``world.now``)."""
    now = world.now()
    for event in world.scheduled_events[guild.id].values():
        if event.get("entity_type") != 3 or event.get("status") not in ACTIVE_EVENT_STATUSES:
            continue
        start = parse_time(event.get("scheduled_start_time"))
        end = parse_time(event.get("scheduled_end_time"))
        status = event["status"]
        if end is not None and end <= now:
            status = 3
        elif start is not None and start <= now:
            status = 2
        if status != event["status"]:
            event["status"] = status
            world.gateway.emit_guild(
                guild.id,
                "GUILD_SCHEDULED_EVENT_UPDATE",
                event,
                intent=Intent.GUILD_SCHEDULED_EVENTS,
            )
            world.notify()


def delete_by_hand(world: World, guild: Guild, event_id: int) -> None:
    """An admin deletes an event in the client: gone, GUILD_SCHEDULED_EVENT_DELETE
    dispatched, and the bot's later requests for it answer 404 (10070)."""
    event = world.scheduled_events[guild.id].pop(event_id)
    world.gateway.emit_guild(
        guild.id, "GUILD_SCHEDULED_EVENT_DELETE", event, intent=Intent.GUILD_SCHEDULED_EVENTS
    )
    world.notify()
