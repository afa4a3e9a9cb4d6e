"""Application commands: listing and bulk-overwriting global and guild commands."""

from __future__ import annotations

import copy

from aiohttp import web

from tests.fakes.fake_discord.errors import FormErrors, missing_access
from tests.fakes.fake_discord.model import JSON
from tests.fakes.fake_discord.routing import AddRoute, Call, Routes, json_response, read_body
from tests.fakes.fake_discord.validation_commands import validate_commands


class CommandRoutes(Routes):
    """Application commands: listing and bulk-overwriting global and guild commands."""

    def register(self, add: AddRoute) -> None:
        add("GET", "/applications/{application_id}/commands", self._get)
        add("PUT", "/applications/{application_id}/commands", self._put)
        add("GET", "/applications/{application_id}/guilds/{guild_id}/commands", self._get)
        add("PUT", "/applications/{application_id}/guilds/{guild_id}/commands", self._put)

    def _scope(self, call: Call) -> int | None:
        if call.snowflake("application_id") != self.world.application_id:
            raise missing_access()
        if "guild_id" not in call.params:
            return None
        guild_id = call.snowflake("guild_id")
        guild = self.world.guilds.get(guild_id)
        if guild is None or not guild.bot_present:
            raise missing_access()
        return guild_id

    async def _get(self, call: Call) -> web.Response:
        scope = self._scope(call)
        return json_response(copy.deepcopy(self.world.commands.get(scope, [])))

    async def _put(self, call: Call) -> web.Response:
        scope = self._scope(call)
        body, _ = await read_body(call.request)
        if not isinstance(body, list):
            errors = FormErrors()
            errors.add((), "BASE_TYPE_ARRAY", "Must be an array.")
            errors.raise_if_any()
        assert isinstance(body, list)
        validate_commands(body)
        version = str(self.world.next_id())
        stored: list[JSON] = []
        for raw in body:
            command = copy.deepcopy(raw)
            type_ = int(command.get("type", 1))
            key = (scope, type_, command["name"])
            command_id = self.world.command_ids.get(key) or self.world.next_id()
            self.world.command_ids[key] = command_id
            command.update(
                {
                    "id": str(command_id),
                    "application_id": str(self.world.application_id),
                    "version": version,
                    "type": type_,
                    "description": command.get("description", ""),
                    "default_member_permissions": command.get("default_member_permissions"),
                    "nsfw": bool(command.get("nsfw", False)),
                }
            )
            command.setdefault("name_localizations", None)
            command.setdefault("description_localizations", None)
            if scope is None:
                command.setdefault("dm_permission", True)
                command.setdefault("integration_types", [0])
            else:
                command["guild_id"] = str(scope)
            stored.append(command)
        self.world.commands[scope] = stored
        self.world.command_syncs.append((scope, [c["name"] for c in stored]))
        self.world.notify()
        return json_response(copy.deepcopy(stored))
