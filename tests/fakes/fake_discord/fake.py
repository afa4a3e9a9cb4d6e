"""FakeDiscord: the fake's public face, composed of its parts."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Self

import discord.gateway
import discord.http
import yarl

from tests.fakes.fake_discord.actions import UserActions
from tests.fakes.fake_discord.building import WorldBuilding
from tests.fakes.fake_discord.events import run_automation
from tests.fakes.fake_discord.faults import FailStatus, Faults
from tests.fakes.fake_discord.model import JSON
from tests.fakes.fake_discord.routes.commands import CommandRoutes
from tests.fakes.fake_discord.routes.dms import DmRoutes
from tests.fakes.fake_discord.routes.events import EventRoutes
from tests.fakes.fake_discord.routes.guilds import GuildRoutes
from tests.fakes.fake_discord.routes.identity import IdentityRoutes
from tests.fakes.fake_discord.routes.interactions import InteractionRoutes
from tests.fakes.fake_discord.routes.messages import MessageRoutes
from tests.fakes.fake_discord.server import Server


class FakeDiscord(UserActions, WorldBuilding):
    """A fake Discord: REST API v10 + gateway on 127.0.0.1 with an ephemeral port.

    World building (``add_*``) works before and after a client connected; after
    connecting the matching gateway events are dispatched.  What the bot did ends up
    in ``messages``, ``dms``, ``role_changes``, ``scheduled_events``, ``commands``,
    ``interactions`` and ``stats``.

    Composed of a :class:`World` (the state, with world building and user actions on
    top), a :class:`Gateway`, and a :class:`Server` whose route groups and rate limits
    work on that world.
    """

    def __init__(
        self,
        *,
        token: str = "TEST.TOKEN",
        application_id: int = 900000000000000001,
        global_rate: float | None = 50.0,
        channel_bucket: tuple[int, float] | None = (5, 5.0),
        port: int = 0,
    ) -> None:
        #: 0: an ephemeral port; a fixed one lets a test start the fake after the bot.
        self.port = port
        super().__init__(
            token=token,
            application_id=application_id,
            global_rate=global_rate,
            channel_bucket=channel_bucket,
        )
        self.faults = Faults()
        groups = (
            IdentityRoutes(self),
            DmRoutes(self),
            CommandRoutes(self),
            InteractionRoutes(self),
            MessageRoutes(self),
            GuildRoutes(self),
            EventRoutes(self),
        )
        self.server = Server(self, self.faults, groups)

    async def start(self) -> None:
        """Listen on an ephemeral loopback port so parallel tests never collide."""
        self.start_waiting()
        self.url = await self.server.start(self.port)

    async def close(self) -> None:
        """Close gateway connections first so aiohttp shuts down without warnings."""
        await self.gateway.close_connections()
        await self.server.stop()
        await self.gateway.cancel_tasks()

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

    async def flush_gateway(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until every queued gateway event was written to the sockets."""
        await self.gateway.flush(timeout)

    async def disconnect_gateway(self, code: int = 4000) -> None:
        """Drop every gateway connection with a resumable close code (reconnect tests)."""
        await self.gateway.disconnect(code)

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

    async def run_event_automation(self, guild_id: int) -> None:
        """What Discord does by itself as time passes: external events become ACTIVE at
        their start and COMPLETED at their end (GUILD_SCHEDULED_EVENT_UPDATE each)."""
        run_automation(self, self.guild(guild_id))
        await self.gateway.flush()

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
        await self.wait_for(self.gateway.connected, timeout, "a gateway session")

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
