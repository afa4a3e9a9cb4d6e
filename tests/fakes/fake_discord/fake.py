"""FakeDiscord: the fake's public face over the world, the gateway and the server."""

from __future__ import annotations

import contextlib
import copy
import hashlib
import mimetypes
import re
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import TracebackType
from typing import Any, Self

import discord.gateway
import discord.http
import yarl
from aiohttp import web

from tests.fakes.fake_discord.building import WorldBuilding
from tests.fakes.fake_discord.errors import (
    FormErrors,
    error,
    missing_access,
    missing_permissions,
    unknown,
)
from tests.fakes.fake_discord.events import (
    MAX_SCHEDULED_EVENTS,
    active_events,
    check_event_permissions,
    new_event,
    normalise_event_times,
    store_event,
)
from tests.fakes.fake_discord.faults import FailStatus, Faults
from tests.fakes.fake_discord.gateway import Intent
from tests.fakes.fake_discord.interaction import Interaction
from tests.fakes.fake_discord.model import JSON, Channel, File, Guild, opt_str, utc_iso
from tests.fakes.fake_discord.permissions import (
    DM_APP_PERMISSIONS,
    Permission,
    base_permissions,
    channel_permissions,
)
from tests.fakes.fake_discord.routing import (
    AddRoute,
    Call,
    guild_for_bot,
    json_response,
    read_body,
    read_object,
)
from tests.fakes.fake_discord.server import Server
from tests.fakes.fake_discord.validation import (
    check_not_empty_after_edit,
    validate_event,
    validate_message,
)
from tests.fakes.fake_discord.validation_commands import validate_commands

ROLE_MENTION = re.compile(r"<@&(\d+)>")


class FakeDiscord(WorldBuilding):
    """A fake Discord: REST API v10 + gateway on 127.0.0.1 with an ephemeral port.

    World building (``add_*``) works before and after a client connected; after
    connecting the matching gateway events are dispatched.  What the bot did ends up
    in ``messages``, ``dms``, ``role_changes``, ``scheduled_events``, ``commands``,
    ``interactions`` and ``stats``.
    """

    def __init__(
        self,
        *,
        token: str = "TEST.TOKEN",
        application_id: int = 900000000000000001,
        global_rate: float | None = 50.0,
        channel_bucket: tuple[int, float] | None = (5, 5.0),
    ) -> None:
        super().__init__(
            token=token,
            application_id=application_id,
            global_rate=global_rate,
            channel_bucket=channel_bucket,
        )
        self.faults = Faults()
        self.server = Server(self, self.faults, [self])

    async def start(self) -> None:
        """Listen on an ephemeral loopback port so parallel tests never collide."""
        self.start_waiting()
        self.url = await self.server.start()

    async def close(self) -> None:
        """Close gateway connections first so aiohttp shuts down without warnings."""
        await self.gateway.close_connections()
        await self.server.stop()
        await self.gateway.cancel_tasks()

    async def flush_gateway(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until every queued gateway event was written to the sockets."""
        await self.gateway.flush(timeout)

    async def disconnect_gateway(self, code: int = 4000) -> None:
        """Drop every gateway connection with a resumable close code (reconnect tests)."""
        await self.gateway.disconnect(code)

    def register(self, add: AddRoute) -> None:
        """The REST routes, in matching order (``/users/@me`` before ``/users/{user_id}``)."""
        add("GET", "/gateway", self._h_gateway, auth=False)
        add("GET", "/gateway/bot", self._h_gateway_bot)
        add("GET", "/users/@me", self._h_me)
        add("POST", "/users/@me/channels", self._h_create_dm)
        add("GET", "/users/{user_id}", self._h_user)
        add("GET", "/applications/@me", self._h_application)
        add("GET", "/oauth2/applications/@me", self._h_application)
        add("GET", "/applications/{application_id}/commands", self._h_get_commands)
        add("PUT", "/applications/{application_id}/commands", self._h_put_commands)
        add(
            "GET", "/applications/{application_id}/guilds/{guild_id}/commands", self._h_get_commands
        )
        add(
            "PUT", "/applications/{application_id}/guilds/{guild_id}/commands", self._h_put_commands
        )
        add(
            "POST",
            "/interactions/{interaction_id}/{interaction_token}/callback",
            self._h_callback,
            auth=False,
            global_limited=False,
        )
        add(
            "POST",
            "/webhooks/{application_id}/{interaction_token}",
            self._h_followup,
            auth=False,
            global_limited=False,
        )
        for method in ("GET", "PATCH", "DELETE"):
            add(
                method,
                "/webhooks/{application_id}/{interaction_token}/messages/{message_id}",
                self._h_webhook_message,
                auth=False,
                global_limited=False,
            )
        add("GET", "/channels/{channel_id}", self._h_get_channel)
        add("GET", "/channels/{channel_id}/messages", self._h_list_messages)
        add("POST", "/channels/{channel_id}/messages", self._h_send_message, bucket="channel")
        add("GET", "/channels/{channel_id}/messages/{message_id}", self._h_get_message)
        add(
            "PATCH",
            "/channels/{channel_id}/messages/{message_id}",
            self._h_edit_message,
            bucket="channel",
        )
        add("DELETE", "/channels/{channel_id}/messages/{message_id}", self._h_delete_message)
        add("GET", "/guilds/{guild_id}", self._h_get_guild)
        add("GET", "/guilds/{guild_id}/channels", self._h_guild_channels)
        add("GET", "/guilds/{guild_id}/roles", self._h_guild_roles)
        add("GET", "/guilds/{guild_id}/members/{user_id}", self._h_get_member)
        add("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", self._h_member_role)
        add("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", self._h_member_role)
        add("GET", "/guilds/{guild_id}/scheduled-events", self._h_list_events)
        add("POST", "/guilds/{guild_id}/scheduled-events", self._h_create_event)
        add("GET", "/guilds/{guild_id}/scheduled-events/{event_id}", self._h_get_event)
        add("PATCH", "/guilds/{guild_id}/scheduled-events/{event_id}", self._h_modify_event)
        add("DELETE", "/guilds/{guild_id}/scheduled-events/{event_id}", self._h_delete_event)

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def patch_route_base(self) -> contextlib.AbstractContextManager[None]:
        """Point discord.py's REST base and default gateway at this fake, then restore."""
        if not self.url:
            raise RuntimeError("start() the fake before patching discord.py")
        return self._patched()

    @contextlib.contextmanager
    def _patched(self) -> Iterator[None]:
        route_cls = discord.http.Route
        ws_cls = discord.gateway.DiscordWebSocket
        old_base, old_gateway = route_cls.BASE, ws_cls.DEFAULT_GATEWAY
        route_cls.BASE = f"{self.url}/api/v10"
        ws_cls.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)
        try:
            yield
        finally:
            route_cls.BASE = old_base
            ws_cls.DEFAULT_GATEWAY = old_gateway

    def lose_next_response(self, channel_id: int, *, times: int = 1) -> None:
        """Create the next message(s) in a channel, then drop the connection unanswered.

        The bot sees a network error although the post exists: the case a nonce with
        ``enforce_nonce`` (or nothing) protects against duplicates.
        """
        self.lose_response[channel_id] += times

    def fail_next(
        self,
        channel_id: int,
        status: FailStatus,
        *,
        times: int = 1,
        retry_after: float = 0.2,
    ) -> None:
        """Make the next ``times`` requests to ``/channels/{channel_id}/...`` fail.

        Bodies are Discord's: 429 with rate-limit headers, 403 Missing Permissions
        (50013), 404 Unknown Channel (10003), a JSON 500, Cloudflare's HTML 502 and the
        plain-text 503 "upstream connect error ..." (discord.py does not retry a 503).
        """
        self.faults.queue(("channel", channel_id), status, times, retry_after)

    def fail_next_guild(
        self,
        guild_id: int,
        status: FailStatus,
        *,
        times: int = 1,
        retry_after: float = 0.2,
    ) -> None:
        """Like :meth:`fail_next` for ``/guilds/{guild_id}`` and everything under it.

        That covers member roles, scheduled events, roles, channels and members; a 404
        is Unknown Guild (10004).  Command sync (``/applications/...``) is not affected.
        """
        self.faults.queue(("guild", guild_id), status, times, retry_after)

    async def wait_for_messages(
        self,
        channel_id: int,
        count: int,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[JSON]:
        """Wait until ``count`` messages were posted in a channel (deleted ones included)."""
        await self.wait_for(
            lambda: len(self.messages.get(channel_id, ())) >= count,
            timeout,
            f"{count} messages in channel {channel_id}",
        )
        return list(self.messages[channel_id])

    async def wait_for_dms(self, user_id: int, count: int, timeout: float = 5.0) -> list[JSON]:  # noqa: ASYNC109
        """Wait until ``count`` direct messages reached a user."""
        await self.wait_for(
            lambda: len(self.dms.get(user_id, ())) >= count, timeout, f"{count} DMs to {user_id}"
        )
        return list(self.dms[user_id])

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait for any condition over the recorded state."""
        await self.wait_for(predicate, timeout, "condition")

    async def wait_until_connected(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until a client identified (READY sent) and is still connected."""
        await self.wait_for(
            lambda: any(
                s.conn is not None and not s.conn.closed for s in self.gateway.sessions.values()
            ),
            timeout,
            "a gateway session",
        )

    def get_command(self, name: str, *, guild_id: int | None = None, type: int = 1) -> JSON:
        """A synced command by name, for asserting on localizations and options."""
        for command in self.commands.get(guild_id, []):
            if command["name"] == name and command.get("type", 1) == type:
                return command
        raise KeyError(f"command {name!r} not synced for guild {guild_id}")

    def member_roles(self, guild_id: int, user_id: int) -> list[int]:
        """Role ids a member holds now (what ``GET .../members/{user_id}`` would list)."""
        return list(self.guild(guild_id).members[user_id].roles)

    def message(self, message_id: int) -> JSON:
        """Any message record (channel, DM, ephemeral) by id."""
        return self.messages_by_id[message_id]

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
        leaf = self._build_options(
            guild, channel, user_id, defs, dict(options or {}), resolved, focused, path, subcommand
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

    def _check_default_permissions(self, guild: Guild, user_id: int, command: JSON) -> None:
        required = command.get("default_member_permissions")
        if required is None:
            return
        perms = base_permissions(guild, user_id)
        needed = int(required)
        if perms != Permission.ALL and (needed == 0 or perms & needed != needed):
            raise PermissionError(
                f"user {user_id} cannot see /{command['name']} "
                f"(default_member_permissions={required}); Discord would hide it"
            )

    def _build_options(
        self,
        guild: Guild | None,
        channel: Channel,
        user_id: int,
        defs: list[JSON] | None,
        values: dict[str, Any],
        resolved: JSON,
        focused: str | None,
        path: str,
        subcommand: str | None,
    ) -> list[JSON]:
        if subcommand:
            head, _, rest = subcommand.partition(" ")
            sub_def: JSON | None = None
            if defs is not None:
                sub_def = next((d for d in defs if d["name"] == head and d["type"] in (1, 2)), None)
                if sub_def is None:
                    raise LookupError(f"/{path} has no subcommand or group {head!r}")
                if sub_def["type"] == 2 and not rest:
                    raise LookupError(f"/{path} {head} is a group; name a subcommand too")
            kind = sub_def["type"] if sub_def is not None else (2 if rest else 1)
            inner_defs = None if sub_def is None else list(sub_def.get("options") or [])
            inner = self._build_options(
                guild,
                channel,
                user_id,
                inner_defs,
                values,
                resolved,
                focused,
                f"{path} {head}",
                rest or None,
            )
            node: JSON = {"name": head, "type": kind}
            if inner or kind == 1:
                node["options"] = inner
            return [node]
        if defs is not None and any(d["type"] in (1, 2) for d in defs):
            raise LookupError(f"/{path} needs a subcommand")
        by_name = {d["name"]: d for d in defs or []}
        out: list[JSON] = []
        for option_name, value in values.items():
            definition = by_name.get(option_name)
            if defs is not None and definition is None:
                raise LookupError(
                    f"/{path} has no option {option_name!r}; it has {sorted(by_name)}"
                )
            if option_name == focused:
                type_ = definition["type"] if definition else 3
                out.append(
                    {"name": option_name, "type": type_, "value": str(value), "focused": True}
                )
                continue
            type_ = definition["type"] if definition else self._infer_type(guild, value)
            converted = self._convert_option(
                guild, channel, user_id, type_, value, resolved, option_name
            )
            if definition is not None:
                self._check_option_value(definition, converted, path, guild)
            out.append({"name": option_name, "type": type_, "value": converted})
        if focused is None and defs is not None:
            missing = [d["name"] for d in defs if d.get("required") and d["name"] not in values]
            if missing:
                raise ValueError(f"/{path} is missing required options {missing}")
        if focused is not None and not any(o.get("focused") for o in out):
            raise ValueError(f"focused option {focused!r} must be among the options")
        return out

    def _infer_type(self, guild: Guild | None, value: Any) -> int:
        if isinstance(value, bool):
            return 5
        if isinstance(value, int):
            if guild is None:
                return 6 if value in self.users else 4
            if value in guild.channels:
                return 7
            if value in guild.roles:
                return 8
            if value in guild.members:
                return 6
            return 4
        if isinstance(value, float):
            return 10
        if isinstance(value, tuple):
            return 11
        return 3

    def _convert_option(
        self,
        guild: Guild | None,
        channel: Channel,
        user_id: int,
        type_: int,
        value: Any,
        resolved: JSON,
        name: str,
    ) -> Any:
        raw_id = getattr(value, "id", value)
        if type_ == 3:
            return str(value)
        if type_ == 4:
            if isinstance(value, bool) or int(value) != value:
                raise ValueError(f"option {name!r} needs an integer, got {value!r}")
            return int(value)
        if type_ == 5:
            return bool(value)
        if type_ == 10:
            return float(value)
        if type_ in (7, 8) and guild is None:
            kind = "channel" if type_ == 7 else "role"
            raise ValueError(f"option {name!r}: a DM has no {kind}s to pick from")
        if type_ == 6 or (type_ == 9 and (guild is None or int(raw_id) not in guild.roles)):
            uid = int(raw_id)
            if uid not in self.users:
                raise KeyError(f"option {name!r}: unknown user {uid}")
            resolved.setdefault("users", {})[str(uid)] = self.user(uid)
            member = None if guild is None else guild.members.get(uid)
            if guild is not None and member is not None:
                member_json = self.member_json(guild, member, with_user=False)
                member_json["permissions"] = str(channel_permissions(guild, channel, uid))
                resolved.setdefault("members", {})[str(uid)] = member_json
            return str(uid)
        if type_ == 11:
            filename, blob = value
            attachment_id = self.next_id()
            self.attachments[attachment_id] = bytes(blob)
            resolved.setdefault("attachments", {})[str(attachment_id)] = self._attachment_json(
                channel.id,
                {
                    "id": attachment_id,
                    "filename": filename,
                    "size": len(blob),
                    "content_type": guess_type(filename),
                },
            )
            return str(attachment_id)
        if type_ in (8, 9) and guild is not None:
            rid = int(raw_id)
            if rid not in guild.roles:
                raise KeyError(f"option {name!r}: unknown role {rid}")
            resolved.setdefault("roles", {})[str(rid)] = guild.roles[rid].to_json()
            return str(rid)
        if type_ == 7 and guild is not None:
            cid = int(raw_id)
            target = guild.channels.get(cid)
            if target is None:
                raise KeyError(f"option {name!r}: unknown channel {cid} in guild {guild.id}")
            resolved.setdefault("channels", {})[str(cid)] = {
                "id": str(cid),
                "name": target.name,
                "type": target.type,
                "guild_id": str(guild.id),
                "parent_id": None,
                "position": target.position,
                "topic": None,
                "nsfw": False,
                "rate_limit_per_user": 0,
                "last_message_id": opt_str(target.last_message_id),
                "flags": 0,
                "permissions": str(channel_permissions(guild, target, user_id)),
            }
            return str(cid)
        raise ValueError(f"unsupported option type {type_} for {name!r}")

    def _check_option_value(
        self, definition: JSON, value: Any, path: str, guild: Guild | None
    ) -> None:
        name = definition["name"]
        choices = definition.get("choices")
        if choices and value not in [c["value"] for c in choices]:
            raise ValueError(f"/{path} {name}: {value!r} is not one of the choices")
        low, high = definition.get("min_value"), definition.get("max_value")
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValueError(f"/{path} {name}: {value!r} is outside [{low}, {high}]")
        if isinstance(value, str) and definition["type"] == 3:
            if len(value) > int(definition.get("max_length") or 6000):
                raise ValueError(f"/{path} {name}: too long")
            if len(value) < int(definition.get("min_length") or 0):
                raise ValueError(f"/{path} {name}: too short")
        if definition["type"] == 7 and definition.get("channel_types") and guild is not None:
            target = guild.channels[int(value)]
            if target.type not in definition["channel_types"]:
                raise ValueError(f"/{path} {name}: channel type {target.type} not allowed")

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
        payload["message"] = self._message_json(record)
        interaction.component_message_id = message_id
        return await self._send_interaction(interaction)

    def _attachment_json(self, channel_id: int, att: JSON) -> JSON:
        url = f"{self.url}/attachments/{channel_id}/{att['id']}/{att['filename']}"
        data: JSON = {
            "id": str(att["id"]),
            "filename": att["filename"],
            "size": att["size"],
            "url": url,
            "proxy_url": url,
            "content_type": att.get("content_type"),
        }
        if att.get("description"):
            data["description"] = att["description"]
        return data

    def _message_json(self, record: JSON) -> JSON:
        components = copy.deepcopy(record.get("components") or [])
        number_components(components)
        embeds = [{"type": "rich", **e} for e in record.get("embeds") or []]
        data: JSON = {
            "id": str(record["id"]),
            "type": record.get("type", 0),
            "channel_id": str(record["channel_id"]),
            "author": self.user(self.bot_user_id),
            "content": record.get("content") or "",
            "timestamp": record["timestamp"],
            "edited_timestamp": record.get("edited_timestamp"),
            "tts": bool(record.get("tts")),
            "mention_everyone": bool(record.get("mention_everyone")),
            "mentions": [],
            "mention_roles": [str(r) for r in record.get("mention_roles", [])],
            "attachments": [
                self._attachment_json(record["channel_id"], a)
                for a in record.get("attachments") or []
            ],
            "embeds": embeds,
            "components": components,
            "pinned": False,
            "flags": int(record.get("flags") or 0),
        }
        if record.get("nonce") is not None:
            data["nonce"] = record["nonce"]
        if record.get("message_reference"):
            data["message_reference"] = record["message_reference"]
        if record.get("interaction_id") is not None:
            data["webhook_id"] = str(self.application_id)
            data["application_id"] = str(self.application_id)
            interaction = self.interactions.get(int(record["interaction_id"]))
            if interaction is not None:
                data["interaction_metadata"] = {
                    "id": str(interaction.id),
                    "type": interaction.type,
                    "user": self.user(interaction.user_id),
                    "authorizing_integration_owners": copy.deepcopy(
                        interaction.payload["authorizing_integration_owners"]
                    ),
                }
        return data

    def _mentions(self, channel: Channel, content: Any, allowed: Any) -> tuple[list[int], bool]:
        """Which roles/@everyone actually ping, honouring allowed_mentions like Discord."""
        if channel.guild_id is None or not isinstance(content, str):
            return [], False
        guild = self.guilds[channel.guild_id]
        if isinstance(allowed, dict):
            parse = set(allowed.get("parse") or [])
            allowed_roles = {int(r) for r in allowed.get("roles") or []}
        else:
            parse, allowed_roles = {"users", "roles", "everyone"}, set()
        can_mention_all = bool(
            channel_permissions(guild, channel, self.bot_user_id) & Permission.MENTION_EVERYONE
        )
        pinged: list[int] = []
        for match in ROLE_MENTION.finditer(content):
            role = guild.roles.get(int(match.group(1)))
            if role is None or role.id in pinged:
                continue
            if "roles" not in parse and role.id not in allowed_roles:
                continue
            if role.mentionable or can_mention_all:
                pinged.append(role.id)
        everyone = (
            ("@everyone" in content or "@here" in content)
            and "everyone" in parse
            and can_mention_all
        )
        return pinged, everyone

    def _new_attachments(self, payload: JSON, files: dict[int, File]) -> list[JSON]:
        described = {
            int(a["id"]): a
            for a in payload.get("attachments") or []
            if isinstance(a, dict) and str(a.get("id", "")).isdigit() and int(a["id"]) in files
        }
        out = []
        for index, file in sorted(files.items()):
            attachment_id = self.next_id()
            self.attachments[attachment_id] = file.data
            meta = described.get(index, {})
            filename = meta.get("filename") or file.filename
            out.append(
                {
                    "id": attachment_id,
                    "filename": filename,
                    "size": len(file.data),
                    "content_type": guess_type(filename),
                    "description": meta.get("description"),
                    "bytes": file.data,
                }
            )
        return out

    def _create_record(
        self,
        channel: Channel,
        payload: JSON,
        files: dict[int, File],
        *,
        interaction: Interaction | None = None,
        message_type: int = 0,
        store_in_channel: bool = True,
    ) -> JSON:
        record: JSON = {k: copy.deepcopy(v) for k, v in payload.items() if k != "attachments"}
        record.update(
            {
                "id": self.next_id(),
                "channel_id": channel.id,
                "guild_id": channel.guild_id,
                "type": message_type,
                "attachments": self._new_attachments(payload, files),
                "timestamp": utc_iso(self.now()),
                "edited_timestamp": None,
                "deleted": False,
                "edits": [],
            }
        )
        record.setdefault("content", None)
        record["flags"] = int(record.get("flags") or 0)
        if interaction is not None:
            record["interaction_id"] = interaction.id
        record["mention_roles"], record["mention_everyone"] = self._mentions(
            channel, record.get("content"), record.get("allowed_mentions")
        )
        self.messages_by_id[record["id"]] = record
        if store_in_channel:
            channel.last_message_id = record["id"]
            if channel.guild_id is None:
                assert channel.recipient_id is not None
                self.dms[channel.recipient_id].append(record)
                self.gateway.emit_dm("MESSAGE_CREATE", self._message_json(record))
            else:
                self.messages[channel.id].append(record)
                self._emit_message_event(channel, "MESSAGE_CREATE", record)
        self.notify()
        return record

    def _emit_message_event(self, channel: Channel, event: str, record: JSON) -> None:
        if channel.guild_id is None:
            return
        guild = self.guilds[channel.guild_id]
        data = self._message_json(record)
        data["guild_id"] = str(guild.id)
        data["member"] = self.member_json(guild, guild.members[self.bot_user_id], with_user=False)
        self.gateway.emit_guild(guild.id, event, data, intent=Intent.GUILD_MESSAGES)

    def _apply_edit(self, record: JSON, payload: JSON, files: dict[int, File]) -> None:
        snapshot = {k: copy.deepcopy(v) for k, v in record.items() if k != "edits"}
        record["edits"].append(snapshot)
        for key, value in payload.items():
            if key != "attachments":
                record[key] = copy.deepcopy(value)
        if "attachments" in payload:
            keep = {str(a.get("id")) for a in payload["attachments"] or [] if isinstance(a, dict)}
            kept = [a for a in record.get("attachments") or [] if str(a["id"]) in keep]
            record["attachments"] = kept + self._new_attachments(payload, files)
        elif files:
            record["attachments"] = list(record.get("attachments") or []) + self._new_attachments(
                payload, files
            )
        record["flags"] = int(record.get("flags") or 0)
        record["edited_timestamp"] = utc_iso(self.now())
        channel = self.channels.get(record["channel_id"])
        if channel is not None:
            record["mention_roles"], record["mention_everyone"] = self._mentions(
                channel, record.get("content"), record.get("allowed_mentions")
            )
            if not record["flags"] & 64:
                self._emit_message_event(channel, "MESSAGE_UPDATE", record)
        self.notify()

    def _channel_for_bot(self, channel_id: int) -> tuple[Guild | None, Channel]:
        channel = self.channels.get(channel_id)
        if channel is None:
            raise unknown("Channel", 10003)
        if channel.guild_id is None:
            return None, channel
        guild = self.guilds[channel.guild_id]
        if not guild.bot_present:
            raise missing_access()
        if not channel_permissions(guild, channel, self.bot_user_id) & Permission.VIEW_CHANNEL:
            raise missing_access()
        return guild, channel

    async def _h_gateway(self, call: Call) -> web.Response:
        return json_response({"url": self.gateway_url})

    async def _h_gateway_bot(self, call: Call) -> web.Response:
        return json_response(
            {
                "url": self.gateway_url,
                "shards": self.recommended_shards,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 14_400_000,
                    "max_concurrency": 1,
                },
            }
        )

    async def _h_me(self, call: Call) -> web.Response:
        me = self.user(self.bot_user_id)
        me.update({"verified": True, "mfa_enabled": False, "locale": "en-US", "email": None})
        return json_response(me)

    async def _h_user(self, call: Call) -> web.Response:
        user_id = call.snowflake("user_id")
        if user_id not in self.users:
            raise unknown("User", 10013)
        return json_response(self.user(user_id))

    async def _h_application(self, call: Call) -> web.Response:
        owner_id = next(iter(g.owner_id for g in self.guilds.values()), self.bot_user_id + 1)
        owner = self.users.get(owner_id) or self.make_user(owner_id, "owner")
        return json_response(
            {
                "id": str(self.application_id),
                "name": self.bot_name,
                "icon": None,
                "description": "",
                "summary": "",
                "type": None,
                "hook": True,
                "bot_public": True,
                "bot_require_code_grant": False,
                "verify_key": hashlib.sha256(self.token.encode()).hexdigest(),
                "flags": self.application_flags(),
                "owner": copy.deepcopy(owner),
                "team": None,
                "bot": self.user(self.bot_user_id),
                "redirect_uris": [],
                "interactions_endpoint_url": None,
                "approximate_guild_count": sum(g.bot_present for g in self.guilds.values()),
                "integration_types_config": {"0": {}},
            }
        )

    def _commands_scope(self, call: Call) -> int | None:
        if call.snowflake("application_id") != self.application_id:
            raise missing_access()
        if "guild_id" not in call.params:
            return None
        guild_id = call.snowflake("guild_id")
        guild = self.guilds.get(guild_id)
        if guild is None or not guild.bot_present:
            raise missing_access()
        return guild_id

    async def _h_get_commands(self, call: Call) -> web.Response:
        scope = self._commands_scope(call)
        return json_response(copy.deepcopy(self.commands.get(scope, [])))

    async def _h_put_commands(self, call: Call) -> web.Response:
        scope = self._commands_scope(call)
        body, _ = await read_body(call.request)
        if not isinstance(body, list):
            errors = FormErrors()
            errors.add((), "BASE_TYPE_ARRAY", "Must be an array.")
            errors.raise_if_any()
        assert isinstance(body, list)
        validate_commands(body)
        version = str(self.next_id())
        stored: list[JSON] = []
        for raw in body:
            command = copy.deepcopy(raw)
            type_ = int(command.get("type", 1))
            key = (scope, type_, command["name"])
            command_id = self.command_ids.get(key) or self.next_id()
            self.command_ids[key] = command_id
            command.update(
                {
                    "id": str(command_id),
                    "application_id": str(self.application_id),
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
        self.commands[scope] = stored
        self.command_syncs.append((scope, [c["name"] for c in stored]))
        self.notify()
        return json_response(copy.deepcopy(stored))

    def _interaction_by_token(self, call: Call) -> Interaction:
        token = call.params["interaction_token"]
        if call.params["application_id"] != str(self.application_id):
            raise unknown("Webhook", 10015)
        for interaction in self.interactions.values():
            if interaction.token == token:
                return interaction
        raise unknown("Webhook", 10015)

    async def _h_callback(self, call: Call) -> web.Response:
        interaction = self.interactions.get(call.snowflake("interaction_id"))
        if interaction is None or interaction.token != call.params["interaction_token"]:
            raise error(404, 10062, "Unknown interaction")
        if interaction.responses:
            raise error(400, 40060, "Interaction has already been acknowledged.")
        if self.clock() - interaction.created_at > self.interaction_ack_timeout:
            raise error(404, 10062, "Unknown interaction")
        payload, files = await read_object(call.request)
        cb_type = payload.get("type")
        allowed = {1: {1}, 2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}[
            interaction.type
        ]
        if cb_type not in allowed:
            errors = FormErrors()
            errors.add(
                ("type",),
                "INTERACTION_CALLBACK_TYPE_INVALID",
                f"Callback type {cb_type} is invalid here.",
            )
            errors.raise_if_any()
        data: JSON = copy.deepcopy(payload.get("data") or {})
        channel = self.channels.get(interaction.channel_id) or Channel(
            interaction.channel_id, "", 0, interaction.guild_id
        )
        message: JSON | None = None
        if cb_type == 4:
            validate_message(data, has_files=bool(files), partial=False)
            message = self._interaction_original(interaction, channel, data, files)
        elif cb_type == 5:
            flags = (int(data.get("flags") or 0) & 64) | 128
            message = self._interaction_original(
                interaction, channel, {"content": None, "flags": flags}, {}
            )
        elif cb_type == 7:
            validate_message(data, has_files=bool(files), partial=True)
            target = self.messages_by_id.get(interaction.component_message_id or 0)
            if target is None:
                raise unknown("Message", 10008)
            self._apply_edit(target, data, files)
            message = target
        elif cb_type == 8:
            choices = data.get("choices") or []
            errors = FormErrors()
            if len(choices) > 25:
                errors.add(
                    ("data", "choices"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."
                )
            for i, choice in enumerate(choices):
                errors.check_length(("data", "choices", i, "name"), choice.get("name"), 100, 1)
                if isinstance(choice.get("value"), str):
                    errors.check_length(("data", "choices", i, "value"), choice["value"], 100)
            errors.raise_if_any()
        elif cb_type == 9:
            errors = FormErrors()
            errors.check_length(("data", "custom_id"), data.get("custom_id"), 100, 1)
            errors.check_length(("data", "title"), data.get("title"), 45, 1)
            if not data.get("components"):
                errors.add(("data", "components"), "BASE_TYPE_REQUIRED", "This field is required")
            errors.raise_if_any()
        if files:
            data["attachments"] = [
                {"filename": f.filename, "bytes": f.data} for _, f in sorted(files.items())
            ]
        interaction.responses.append({"type": cb_type, "data": data})
        self.notify()
        if not call.flag("with_response"):
            return web.Response(status=204)
        body: JSON = {
            "interaction": {
                "id": str(interaction.id),
                "type": interaction.type,
                "response_message_loading": cb_type == 5,
                "response_message_ephemeral": bool(interaction.flags & 64),
            }
        }
        if message is not None:
            body["interaction"]["response_message_id"] = str(message["id"])
            body["resource"] = {"type": cb_type, "message": self._message_json(message)}
        elif cb_type == 9:
            body["resource"] = {"type": cb_type}
        return json_response(body)

    def _interaction_original(
        self, interaction: Interaction, channel: Channel, data: JSON, files: dict[int, File]
    ) -> JSON:
        ephemeral = bool(int(data.get("flags") or 0) & 64)
        record = self._create_record(
            channel,
            data,
            files,
            interaction=interaction,
            message_type=20 if interaction.type == 2 else 0,
            store_in_channel=not ephemeral,
        )
        interaction.original = record
        return record

    async def _h_followup(self, call: Call) -> web.Response:
        interaction = self._interaction_by_token(call)
        if not interaction.responses:
            raise unknown("Webhook", 10015)
        payload, files = await read_object(call.request)
        validate_message(payload, has_files=bool(files), partial=False)
        original = interaction.original
        if original is not None and int(original.get("flags") or 0) & 128:
            # The first followup after a deferral replaces the "thinking" message.
            edit = {k: v for k, v in payload.items() if k != "flags"}
            edit["flags"] = int(original["flags"]) & ~128
            self._apply_edit(original, edit, files)
            record = original
        else:
            channel = self.channels.get(interaction.channel_id) or Channel(
                interaction.channel_id, "", 0, interaction.guild_id
            )
            ephemeral = bool(int(payload.get("flags") or 0) & 64)
            record = self._create_record(
                channel, payload, files, interaction=interaction, store_in_channel=not ephemeral
            )
        interaction.followups.append(record)
        self.notify()
        if not call.flag("wait"):
            return web.Response(status=204)
        return json_response(self._message_json(record))

    async def _h_webhook_message(self, call: Call) -> web.Response:
        interaction = self._interaction_by_token(call)
        raw_id = call.params["message_id"]
        record: JSON | None
        if raw_id == "@original":
            record = interaction.original
        else:
            wanted = call.snowflake("message_id")
            candidates = [interaction.original, *interaction.followups]
            record = next((r for r in candidates if r is not None and r["id"] == wanted), None)
        if record is None or record.get("deleted"):
            raise unknown("Message", 10008)
        method = call.request.method
        if method == "GET":
            return json_response(self._message_json(record))
        if method == "DELETE":
            self._delete_record(record)
            return web.Response(status=204)
        payload, files = await read_object(call.request)
        validate_message(payload, has_files=bool(files), partial=True)
        edit = dict(payload)
        edit.pop("flags", None)
        flags = int(record.get("flags") or 0)
        if flags & 128:
            edit["flags"] = flags & ~128
        self._apply_edit(record, edit, files)
        check_not_empty_after_edit(record)
        return json_response(self._message_json(record))

    def _delete_record(self, record: JSON) -> None:
        record["deleted"] = True
        channel = self.channels.get(record["channel_id"])
        if (
            channel is not None
            and channel.guild_id is not None
            and not int(record.get("flags") or 0) & 64
        ):
            self.gateway.emit_guild(
                channel.guild_id,
                "MESSAGE_DELETE",
                {
                    "id": str(record["id"]),
                    "channel_id": str(channel.id),
                    "guild_id": str(channel.guild_id),
                },
                intent=Intent.GUILD_MESSAGES,
            )
        self.notify()

    async def _h_get_channel(self, call: Call) -> web.Response:
        _, channel = self._channel_for_bot(call.snowflake("channel_id"))
        data = channel.to_json()
        if channel.recipient_id is not None:
            data["recipients"] = [self.user(channel.recipient_id)]
        return json_response(data)

    async def _h_send_message(self, call: Call) -> web.Response:
        guild, channel = self._channel_for_bot(call.snowflake("channel_id"))
        payload, files = await read_object(call.request)
        if guild is not None:
            perms = channel_permissions(guild, channel, self.bot_user_id)
            if not perms & Permission.SEND_MESSAGES:
                raise missing_permissions()
            if files and not perms & Permission.ATTACH_FILES:
                raise missing_permissions()
        elif channel.recipient_id in self.dm_blocked:
            raise error(403, 50007, "Cannot send messages to this user")
        validate_message(payload, has_files=bool(files), partial=False)
        nonce = payload.get("nonce")
        key = (channel.id, str(nonce))
        if nonce is not None and payload.get("enforce_nonce"):
            seen = self.nonces.get(key)
            earlier = self.messages_by_id.get(seen[1]) if seen else None
            if seen and earlier and self.clock() - seen[0] < self.nonce_window:
                # Discord: the same author's message with this nonce is returned, not made.
                return json_response(self._message_json(earlier))
        message_type = 19 if payload.get("message_reference") else 0
        record = self._create_record(channel, payload, files, message_type=message_type)
        if nonce is not None:
            self.nonces[key] = (self.clock(), record["id"])
        if self.lose_response[channel.id] > 0:
            self.lose_response[channel.id] -= 1
            assert call.request.transport is not None
            call.request.transport.close()  # the post exists; its answer never arrives
        return json_response(self._message_json(record))

    def _channel_record(self, call: Call) -> tuple[Channel, JSON]:
        _, channel = self._channel_for_bot(call.snowflake("channel_id"))
        record = self.messages_by_id.get(call.snowflake("message_id"))
        if record is None or record["channel_id"] != channel.id or record.get("deleted"):
            raise unknown("Message", 10008)
        if int(record.get("flags") or 0) & 64:
            raise unknown("Message", 10008)
        return channel, record

    async def _h_get_message(self, call: Call) -> web.Response:
        _, record = self._channel_record(call)
        return json_response(self._message_json(record))

    async def _h_list_messages(self, call: Call) -> web.Response:
        _, channel = self._channel_for_bot(call.snowflake("channel_id"))
        pool = (
            self.dms[channel.recipient_id]
            if channel.recipient_id is not None
            else self.messages.get(channel.id, [])
        )
        limit = int(call.request.query.get("limit", "50"))
        visible = [r for r in reversed(pool) if not r.get("deleted")][:limit]
        return json_response([self._message_json(r) for r in visible])

    async def _h_edit_message(self, call: Call) -> web.Response:
        _, record = self._channel_record(call)
        payload, files = await read_object(call.request)
        validate_message(payload, has_files=bool(files), partial=True)
        self._apply_edit(record, payload, files)
        check_not_empty_after_edit(record)
        return json_response(self._message_json(record))

    async def _h_delete_message(self, call: Call) -> web.Response:
        _, record = self._channel_record(call)
        self._delete_record(record)
        return web.Response(status=204)

    async def _h_create_dm(self, call: Call) -> web.Response:
        payload, _ = await read_object(call.request)
        raw = payload.get("recipient_id")
        user_id = int(raw) if raw is not None and str(raw).isdigit() else None
        if user_id is None or user_id not in self.users or user_id == self.bot_user_id:
            raise error(400, 50033, "Invalid Recipient(s)")
        return json_response(self.dm_channel_json(self.dm_channel(user_id)))

    async def _h_get_guild(self, call: Call) -> web.Response:
        guild = guild_for_bot(self, call)
        data = self.guild_json(guild, full=False)
        if call.flag("with_counts"):
            data["approximate_member_count"] = len(guild.members)
            data["approximate_presence_count"] = 0
        return json_response(data)

    async def _h_guild_channels(self, call: Call) -> web.Response:
        guild = guild_for_bot(self, call)
        return json_response([c.to_json() for c in guild.channels.values()])

    async def _h_guild_roles(self, call: Call) -> web.Response:
        guild = guild_for_bot(self, call)
        return json_response([r.to_json() for r in guild.roles.values()])

    async def _h_get_member(self, call: Call) -> web.Response:
        guild = guild_for_bot(self, call)
        member = guild.members.get(call.snowflake("user_id"))
        if member is None:
            raise unknown("Member", 10007)
        return json_response(self.member_json(guild, member))

    async def _h_member_role(self, call: Call) -> web.Response:
        guild = guild_for_bot(self, call)
        user_id = call.snowflake("user_id")
        role_id = call.snowflake("role_id")
        member = guild.members.get(user_id)
        if member is None:
            raise unknown("Member", 10007)
        role = guild.roles.get(role_id)
        if role is None:
            raise unknown("Role", 10011)
        bot_perms = base_permissions(guild, self.bot_user_id)
        if not bot_perms & Permission.MANAGE_ROLES:
            raise missing_permissions()
        if role.managed or role.id == guild.id or role.position >= self.bot_role(guild).position:
            raise missing_permissions()
        action = "add" if call.request.method == "PUT" else "remove"
        if action == "add" and role_id not in member.roles:
            member.roles.append(role_id)
        elif action == "remove" and role_id in member.roles:
            member.roles.remove(role_id)
        self.role_changes.append((action, guild.id, user_id, role_id))
        data = self.member_json(guild, member)
        data["guild_id"] = str(guild.id)
        self.gateway.emit_guild(guild.id, "GUILD_MEMBER_UPDATE", data, intent=Intent.GUILD_MEMBERS)
        self.notify()
        return web.Response(status=204)

    def _event_for(self, call: Call) -> tuple[Guild, JSON]:
        guild = guild_for_bot(self, call)
        event = self.scheduled_events[guild.id].get(call.snowflake("event_id"))
        if event is None:
            raise unknown("Guild Scheduled Event", 10070)
        return guild, event

    async def _h_create_event(self, call: Call) -> web.Response:
        guild = guild_for_bot(self, call)
        check_event_permissions(self, guild)
        payload, _ = await read_object(call.request)
        event = new_event(self, guild, self.bot_user_id, payload)
        errors = FormErrors()
        validate_event(guild, event, set(payload), errors, self.now)
        errors.raise_if_any()
        if active_events(self, guild) >= MAX_SCHEDULED_EVENTS:
            raise error(
                400, 30038, "Maximum number of uncompleted guild scheduled events reached (100)"
            )
        store_event(self, guild, event)
        self.scheduled_event_changes.append(("create", guild.id, copy.deepcopy(event)))
        return json_response(copy.deepcopy(event))

    async def _h_list_events(self, call: Call) -> web.Response:
        guild = guild_for_bot(self, call)
        events = [copy.deepcopy(e) for e in self.scheduled_events[guild.id].values()]
        if call.flag("with_user_count"):
            for event in events:
                event["user_count"] = 0
        return json_response(events)

    async def _h_get_event(self, call: Call) -> web.Response:
        _, event = self._event_for(call)
        data = copy.deepcopy(event)
        if call.flag("with_user_count"):
            data["user_count"] = 0
        return json_response(data)

    async def _h_modify_event(self, call: Call) -> web.Response:
        guild, event = self._event_for(call)
        check_event_permissions(self, guild, event)
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
        validate_event(guild, updated, changed, errors, self.now)
        errors.raise_if_any()
        normalise_event_times(updated)
        event.clear()
        event.update(updated)
        self.scheduled_event_changes.append(("modify", guild.id, copy.deepcopy(event)))
        self.gateway.emit_guild(
            guild.id, "GUILD_SCHEDULED_EVENT_UPDATE", event, intent=Intent.GUILD_SCHEDULED_EVENTS
        )
        self.notify()
        return json_response(copy.deepcopy(event))

    async def _h_delete_event(self, call: Call) -> web.Response:
        guild, event = self._event_for(call)
        check_event_permissions(self, guild, event)
        del self.scheduled_events[guild.id][int(event["id"])]
        self.scheduled_event_changes.append(("delete", guild.id, copy.deepcopy(event)))
        self.gateway.emit_guild(
            guild.id, "GUILD_SCHEDULED_EVENT_DELETE", event, intent=Intent.GUILD_SCHEDULED_EVENTS
        )
        self.notify()
        return web.Response(status=204)


def guess_type(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def walk_components(components: Iterable[Any]) -> Iterator[JSON]:
    for component in components:
        if not isinstance(component, dict):
            continue
        yield component
        for key in ("components", "accessory"):
            child = component.get(key)
            if isinstance(child, list):
                yield from walk_components(child)
            elif isinstance(child, dict):
                yield from walk_components([child])


def find_component(components: list[Any], custom_id: str) -> JSON | None:
    return next((c for c in walk_components(components) if c.get("custom_id") == custom_id), None)


def number_components(components: list[Any]) -> None:
    """Discord assigns every component a numeric ``id`` in responses."""
    used = {c["id"] for c in walk_components(components) if isinstance(c.get("id"), int)}
    counter = 1
    for component in walk_components(components):
        if "id" not in component:
            while counter in used:
                counter += 1
            component["id"] = counter
            used.add(counter)
