"""User actions: the interactions a user's Discord client would send."""

from __future__ import annotations

import copy
import secrets
from collections.abc import Mapping
from typing import Any

from tests.fakes.fake_discord.interaction import Interaction
from tests.fakes.fake_discord.messages import find_component, message_json
from tests.fakes.fake_discord.model import JSON, Channel, Guild
from tests.fakes.fake_discord.options import build_options
from tests.fakes.fake_discord.permissions import (
    DM_APP_PERMISSIONS,
    Permission,
    base_permissions,
    channel_permissions,
)
from tests.fakes.fake_discord.world import World


class UserActions(World):
    """What a Discord user does to the bot: slash commands, autocomplete, clicks, picks.

    Each builds the INTERACTION_CREATE Discord would send, refusing what the Discord
    client would not offer, and dispatches it on the right gateway session.
    """

    def _new_interaction(
        self, type_: int, guild_id: int, channel_id: int, user_id: int, data: JSON, *, locale: str
    ) -> tuple[Interaction, JSON]:
        guild = self.guild(guild_id)
        if not guild.bot_present:
            raise ValueError(f"the bot is not in guild {guild_id}")
        channel = self.guild_channel(guild, channel_id)
        member = guild.members.get(user_id)
        if member is None:
            raise KeyError(f"user {user_id} is not a member of guild {guild_id}")
        channel_json = channel.to_json()
        user_perms = channel_permissions(guild, channel, user_id)
        channel_json["permissions"] = str(user_perms)
        member_json = self.member_json(guild, member)
        member_json["permissions"] = str(user_perms)
        payload: JSON = {
            "type": type_,
            "data": data,
            "guild_id": str(guild_id),
            "guild": {"id": str(guild_id), "locale": guild.preferred_locale, "features": []},
            "channel_id": str(channel_id),
            "channel": channel_json,
            "member": member_json,
            "app_permissions": str(channel_permissions(guild, channel, self.bot_user_id)),
            "locale": locale,
            "guild_locale": guild.preferred_locale,
            "authorizing_integration_owners": {"0": str(guild_id)},
            "context": 0,
        }
        return self._wrap_interaction(payload, guild_id, channel_id, user_id)

    def _new_dm_interaction(
        self, type_: int, user_id: int, data: JSON, *, locale: str
    ) -> tuple[Interaction, JSON]:
        """A BOT_DM interaction: ``user`` instead of ``member``, no guild fields at all."""
        channel = self.dm_channel(user_id)
        payload: JSON = {
            "type": type_,
            "data": data,
            "channel_id": str(channel.id),
            "channel": self.dm_channel_json(channel),
            "user": self.user(user_id),
            "app_permissions": str(DM_APP_PERMISSIONS),
            "locale": locale,
            # A guild install used in the bot's DM is owned by guild "0".
            "authorizing_integration_owners": {"0": "0"},
            "context": 1,
        }
        return self._wrap_interaction(payload, None, channel.id, user_id)

    def _wrap_interaction(
        self, fields: JSON, guild_id: int | None, channel_id: int, user_id: int
    ) -> tuple[Interaction, JSON]:
        interaction_id = self.next_id()
        token = "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48)
        payload: JSON = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            **fields,
            "token": token,
            "version": 1,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        interaction = Interaction(
            id=interaction_id,
            token=token,
            type=int(fields["type"]),
            guild_id=guild_id,
            channel_id=channel_id,
            user_id=user_id,
            payload=payload,
            created_at=self.clock(),
            _wait=self.wait_for,
        )
        return interaction, payload

    async def _send_interaction(self, interaction: Interaction) -> Interaction:
        session = await self.gateway.session_for(interaction.guild_id)
        self.interactions[interaction.id] = interaction
        interaction.created_at = self.clock()
        self.gateway.dispatch(session, "INTERACTION_CREATE", copy.deepcopy(interaction.payload))
        await self.gateway.flush()
        return interaction

    def _find_command(
        self, guild_id: int | None, name: str, type_: int = 1
    ) -> tuple[JSON | None, bool]:
        scopes = (None,) if guild_id is None else (guild_id, None)
        for scope in scopes:
            for command in self.commands.get(scope, []):
                if command["name"] == name and command.get("type", 1) == type_:
                    return command, scope is not None
        return None, False

    def _command_data(
        self,
        guild: Guild | None,
        channel: Channel,
        user_id: int,
        name: str,
        options: Mapping[str, Any] | None,
        subcommand: str | None,
        focused: str | None,
    ) -> JSON:
        """``guild`` is None for a DM with the bot: only global commands exist there."""
        command, is_guild = self._find_command(None if guild is None else guild.id, name)
        if command is None and self.strict_commands:
            if guild is None:
                in_guilds = sorted(
                    str(s)
                    for s, cs in self.commands.items()
                    if s is not None and any(c["name"] == name for c in cs)
                )
                hint = f"; it is a guild command in {in_guilds}" if in_guilds else ""
                synced = sorted({c["name"] for c in self.commands.get(None, [])})
                raise LookupError(
                    f"/{name} is not synced globally, so DMs do not offer it{hint} "
                    f"(global: {synced}); call tree.sync() or set fake.strict_commands = False"
                )
            scopes = (guild.id, None)
            synced = sorted({c["name"] for s in scopes for c in self.commands.get(s, [])})
            raise LookupError(
                f"/{name} is not synced for guild {guild.id} (synced: {synced}); "
                "call tree.sync() or set fake.strict_commands = False"
            )
        if command is not None:
            self._check_context(command, guild is None)
            if guild is not None and focused is None:
                self._check_default_permissions(guild, user_id, command)
        resolved: JSON = {}
        defs: list[JSON] | None = None if command is None else list(command.get("options") or [])
        path = name
        leaf = build_options(
            self,
            guild,
            channel,
            user_id,
            defs,
            dict(options or {}),
            resolved,
            focused,
            path,
            subcommand,
        )
        data: JSON = {
            "id": command["id"] if command is not None else str(self.next_id()),
            "name": name,
            "type": 1,
        }
        if leaf:
            data["options"] = leaf
        if resolved:
            data["resolved"] = resolved
        if is_guild and guild is not None:
            data["guild_id"] = str(guild.id)
        return data

    def _check_context(self, command: JSON, in_dm: bool) -> None:
        """Refuse what the Discord client would not offer in this place."""
        if "guild_id" in command:
            return  # guild commands exist only in their guild; the lookup saw to that
        name = command["name"]
        contexts = command.get("contexts")
        if in_dm:
            if command.get("dm_permission") is False or (
                contexts is not None and 1 not in contexts
            ):
                raise PermissionError(
                    f"/{name} is not available in DMs (contexts={contexts}, "
                    f"dm_permission={command.get('dm_permission')}); Discord would not offer it"
                )
            installs = command.get("integration_types")
            if installs is not None and 0 not in installs:
                raise PermissionError(
                    f"/{name} is not guild-installable (integration_types={installs}); "
                    "the fake only models a guild install"
                )
        elif contexts is not None and 0 not in contexts:
            raise PermissionError(
                f"/{name} is not available in guilds (contexts={contexts}); "
                "Discord would not offer it"
            )

    def can_see(self, guild: Guild, user_id: int, command: JSON) -> bool:
        """What the client shows a member: ``default_member_permissions`` met, or a role
        an admin allowed for this command under Server Settings → Integrations."""
        required = command.get("default_member_permissions")
        if required is None:
            return True
        member = guild.members.get(user_id)
        allowed = guild.command_access.get(command["name"], set())
        if member is not None and allowed & {user_id, *member.roles}:
            return True
        perms = base_permissions(guild, user_id)
        needed = int(required)
        return perms == Permission.ALL or (needed != 0 and perms & needed == needed)

    def visible_commands(self, guild_id: int, user_id: int) -> list[str]:
        """The slash commands the member's client lists in this server, by name."""
        guild = self.guild(guild_id)
        scopes = (guild_id, None)
        return [
            c["name"]
            for s in scopes
            for c in self.commands.get(s, [])
            if c.get("type", 1) == 1 and self.can_see(guild, user_id, c)
        ]

    def allow_command(self, guild_id: int, name: str, role_or_user_id: int) -> None:
        """An admin lets a role or a member use /name (Server Settings → Integrations)."""
        self.guild(guild_id).command_access.setdefault(name, set()).add(role_or_user_id)

    def _check_default_permissions(self, guild: Guild, user_id: int, command: JSON) -> None:
        if not self.can_see(guild, user_id, command):
            raise PermissionError(
                f"user {user_id} cannot see /{command['name']} "
                f"(default_member_permissions={command.get('default_member_permissions')}); "
                "Discord would hide it"
            )

    async def invoke_command(
        self,
        guild_id: int,
        channel_id: int,
        user_id: int,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        subcommand: str | None = None,
        locale: str = "sv-SE",
    ) -> Interaction:
        """Dispatch a slash-command INTERACTION_CREATE exactly as a user invoking it would.

        Options are typed from the synced command definition; channel/role/user options
        take ids (or objects with ``.id``) and get ``resolved`` entries; attachment
        options take ``(filename, bytes)``.  ``subcommand`` may be ``"group sub"``.
        """
        guild = self.guild(guild_id)
        channel = self.guild_channel(guild, channel_id)
        data = self._command_data(guild, channel, user_id, name, options, subcommand, None)
        interaction, _ = self._new_interaction(
            2, guild_id, channel_id, user_id, data, locale=locale
        )
        return await self._send_interaction(interaction)

    async def autocomplete(
        self,
        guild_id: int,
        channel_id: int,
        user_id: int,
        name: str,
        options: dict[str, Any],
        focused: str,
        *,
        subcommand: str | None = None,
        locale: str = "sv-SE",
    ) -> Interaction:
        """Dispatch an autocomplete interaction; the focused value is sent as typed text."""
        guild = self.guild(guild_id)
        channel = self.guild_channel(guild, channel_id)
        data = self._command_data(guild, channel, user_id, name, options, subcommand, focused)
        interaction, _ = self._new_interaction(
            4, guild_id, channel_id, user_id, data, locale=locale
        )
        return await self._send_interaction(interaction)

    async def invoke_dm_command(
        self,
        user_id: int,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        subcommand: str | None = None,
        locale: str = "sv-SE",
    ) -> Interaction:
        """Dispatch a slash command a user runs in their DM with the bot (context 1).

        The channel is the user's DM channel (the id ``POST /users/@me/channels`` gives),
        created if needed.  Only global commands are found; one whose ``contexts`` lack 1
        or with ``dm_permission: false`` raises PermissionError, since the Discord client
        would not offer it.  Channel and role options cannot be filled in a DM.
        """
        channel = self.dm_channel(user_id)
        data = self._command_data(None, channel, user_id, name, options, subcommand, None)
        interaction, _ = self._new_dm_interaction(2, user_id, data, locale=locale)
        return await self._send_interaction(interaction)

    async def autocomplete_dm(
        self,
        user_id: int,
        name: str,
        options: dict[str, Any],
        focused: str,
        *,
        subcommand: str | None = None,
        locale: str = "sv-SE",
    ) -> Interaction:
        """Autocomplete for a command typed in the user's DM with the bot."""
        channel = self.dm_channel(user_id)
        data = self._command_data(None, channel, user_id, name, options, subcommand, focused)
        interaction, _ = self._new_dm_interaction(4, user_id, data, locale=locale)
        return await self._send_interaction(interaction)

    async def click_button(
        self,
        guild_id: int,
        channel_id: int,
        user_id: int,
        message_id: int,
        custom_id: str,
        *,
        locale: str = "sv-SE",
    ) -> Interaction:
        """Click a button on a message the bot sent (it must carry that custom_id)."""
        return await self._component(
            guild_id, channel_id, user_id, message_id, custom_id, None, locale
        )

    async def select_menu(
        self,
        guild_id: int,
        channel_id: int,
        user_id: int,
        message_id: int,
        custom_id: str,
        values: list[str],
        *,
        locale: str = "sv-SE",
    ) -> Interaction:
        """Pick values in a select menu on a message the bot sent."""
        return await self._component(
            guild_id, channel_id, user_id, message_id, custom_id, values, locale
        )

    async def _component(
        self,
        guild_id: int,
        channel_id: int,
        user_id: int,
        message_id: int,
        custom_id: str,
        values: list[str] | None,
        locale: str,
    ) -> Interaction:
        record = self.messages_by_id.get(message_id)
        if record is None or record.get("deleted"):
            raise KeyError(f"unknown message {message_id}")
        if record["channel_id"] != channel_id:
            raise ValueError(
                f"message {message_id} is in channel {record['channel_id']}, not {channel_id}"
            )
        component = find_component(record.get("components") or [], custom_id)
        if component is None:
            raise LookupError(f"message {message_id} has no component with custom_id {custom_id!r}")
        if component.get("disabled"):
            raise ValueError(f"component {custom_id!r} is disabled; users cannot click it")
        data: JSON = {"custom_id": custom_id, "component_type": int(component["type"])}
        if "id" in component:
            data["id"] = component["id"]
        if values is not None:
            data["values"] = list(values)
        interaction, payload = self._new_interaction(
            3, guild_id, channel_id, user_id, data, locale=locale
        )
        payload["message"] = message_json(self, record)
        interaction.component_message_id = message_id
        return await self._send_interaction(interaction)
