"""Guild scheduled events: create, list, get, modify, delete."""

from __future__ import annotations

import copy

from aiohttp import web

from tests.fakes.fake_discord.errors import FormErrors, error, unknown
from tests.fakes.fake_discord.events import (
    MAX_SCHEDULED_EVENTS,
    active_events,
    check_event_permissions,
    delete_by_hand,
    new_event,
    normalise_event_times,
    run_automation,
    store_event,
)
from tests.fakes.fake_discord.gateway import Intent
from tests.fakes.fake_discord.model import JSON, Guild
from tests.fakes.fake_discord.routing import (
    AddRoute,
    Call,
    Routes,
    guild_for_bot,
    json_response,
    read_object,
)
from tests.fakes.fake_discord.validation import validate_event


class EventRoutes(Routes):
    """Guild scheduled events: create, list, get, modify, delete."""

    def register(self, add: AddRoute) -> None:
        add("GET", "/guilds/{guild_id}/scheduled-events", self._list)
        add("POST", "/guilds/{guild_id}/scheduled-events", self._create)
        add("GET", "/guilds/{guild_id}/scheduled-events/{event_id}", self._get)
        add("PATCH", "/guilds/{guild_id}/scheduled-events/{event_id}", self._modify)
        add("DELETE", "/guilds/{guild_id}/scheduled-events/{event_id}", self._delete)

    def _guild(self, call: Call) -> Guild:
        guild = guild_for_bot(self.world, call)
        run_automation(self.world, guild)  # statuses as of now, before answering
        return guild

    def _event_for(self, call: Call) -> tuple[Guild, JSON]:
        guild = self._guild(call)
        event = self.world.scheduled_events[guild.id].get(call.snowflake("event_id"))
        if event is None:
            raise unknown("Guild Scheduled Event", 10070)
        return guild, event

    async def _create(self, call: Call) -> web.Response:
        guild = self._guild(call)
        check_event_permissions(self.world, guild)
        payload, _ = await read_object(call.request)
        event = new_event(self.world, guild, self.world.bot_user_id, payload)
        errors = FormErrors()
        validate_event(guild, event, set(payload), errors, self.world.now)
        errors.raise_if_any()
        if active_events(self.world, guild) >= MAX_SCHEDULED_EVENTS:
            raise error(
                400, 30038, "Maximum number of uncompleted guild scheduled events reached (100)"
            )
        store_event(self.world, guild, event)
        self.world.scheduled_event_changes.append(("create", guild.id, copy.deepcopy(event)))
        return json_response(copy.deepcopy(event))

    async def _list(self, call: Call) -> web.Response:
        guild = self._guild(call)
        events = [copy.deepcopy(e) for e in self.world.scheduled_events[guild.id].values()]
        if call.flag("with_user_count"):
            for event in events:
                event["user_count"] = 0
        for event_id in self.world.hand_deletions.pop(guild.id, []):
            delete_by_hand(self.world, guild, event_id)  # after the bot read the list
        return json_response(events)

    async def _get(self, call: Call) -> web.Response:
        _, event = self._event_for(call)
        data = copy.deepcopy(event)
        if call.flag("with_user_count"):
            data["user_count"] = 0
        return json_response(data)

    async def _modify(self, call: Call) -> web.Response:
        guild, event = self._event_for(call)
        check_event_permissions(self.world, guild, event)
        payload, _ = await read_object(call.request)
        if event["status"] in (3, 4):
            raise error(400, 180000, "Cannot modify a finished event")
        new_status = payload.get("status", event["status"])
        transitions = {1: {1, 2, 4}, 2: {2, 3}}
        if new_status not in transitions[event["status"]]:
            errors = FormErrors()
            errors.add(
                ("status",),
                "GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION",
                "Invalid status transition.",
            )
            errors.raise_if_any()
        updated = copy.deepcopy(event)
        editable = (
            "channel_id",
            "entity_metadata",
            "name",
            "privacy_level",
            "scheduled_start_time",
            "scheduled_end_time",
            "description",
            "entity_type",
            "status",
            "image",
            "recurrence_rule",
        )
        for key in editable:
            if key in payload:
                updated[key] = payload[key]
        if updated.get("entity_type") == 3 and "channel_id" not in payload:
            updated["channel_id"] = None
        errors = FormErrors()
        changed = {k for k in payload if payload[k] != event.get(k)}
        validate_event(guild, updated, changed, errors, self.world.now)
        errors.raise_if_any()
        normalise_event_times(updated)
        event.clear()
        event.update(updated)
        self.world.scheduled_event_changes.append(("modify", guild.id, copy.deepcopy(event)))
        self.world.gateway.emit_guild(
            guild.id, "GUILD_SCHEDULED_EVENT_UPDATE", event, intent=Intent.GUILD_SCHEDULED_EVENTS
        )
        self.world.notify()
        return json_response(copy.deepcopy(event))

    async def _delete(self, call: Call) -> web.Response:
        guild, event = self._event_for(call)
        check_event_permissions(self.world, guild, event)
        del self.world.scheduled_events[guild.id][int(event["id"])]
        self.world.scheduled_event_changes.append(("delete", guild.id, copy.deepcopy(event)))
        self.world.gateway.emit_guild(
            guild.id, "GUILD_SCHEDULED_EVENT_DELETE", event, intent=Intent.GUILD_SCHEDULED_EVENTS
        )
        self.world.notify()
        return web.Response(status=204)
