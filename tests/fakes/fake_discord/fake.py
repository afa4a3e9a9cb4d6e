"""FakeDiscord: the fake's public face, composed of its parts."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import hashlib
import json
import logging
import math
import mimetypes
import re
import secrets
import time
import zlib
from collections import Counter, defaultdict, deque
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Literal, Self

import discord.gateway
import discord.http
import yarl
from aiohttp import BodyPartReader, WSMsgType, web

from tests.fakes.fake_discord.errors import (
    ApiError,
    FormErrors,
    error,
    missing_access,
    missing_permissions,
    unknown,
)
from tests.fakes.fake_discord.interaction import Interaction
from tests.fakes.fake_discord.model import Channel, File, Guild, Member, Role, opt_str, utc_iso
from tests.fakes.fake_discord.permissions import (
    BOT_PERMISSIONS,
    DM_APP_PERMISSIONS,
    EVERYONE_PERMISSIONS,
    Permission,
)
from tests.fakes.fake_discord.validation import (
    check_not_empty_after_edit,
    parse_time,
    validate_event,
    validate_message,
)
from tests.fakes.fake_discord.validation_commands import validate_commands

_log = logging.getLogger(__name__)

JSON = dict[str, Any]

DISCORD_EPOCH_MS = 1420070400000


class Intent:
    """Gateway intent bits the fake looks at when deciding what to dispatch."""

    GUILDS = 1 << 0
    GUILD_MEMBERS = 1 << 1
    GUILD_PRESENCES = 1 << 8
    GUILD_MESSAGES = 1 << 9
    DIRECT_MESSAGES = 1 << 12
    MESSAGE_CONTENT = 1 << 15
    GUILD_SCHEDULED_EVENTS = 1 << 16
    PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT
    ALL = (1 << 26) - 1


_ROLE_MENTION = re.compile(r"<@&(\d+)>")
_SNOWFLAKE = re.compile(r"^\d{1,20}$")
ACTIVE_EVENT_STATUSES = (1, 2)
MAX_SCHEDULED_EVENTS = 100


def _ceil3(value: float) -> float:
    """Round up to milliseconds so a client never resets before the server does."""
    return math.ceil(max(value, 0.0) * 1000) / 1000


@dataclass
class FakeStats:
    """Request accounting, e.g. to assert that the bot never tripped a rate limit."""

    requests: Counter[str] = field(default_factory=Counter)
    status: Counter[int] = field(default_factory=Counter)
    invalid_requests: int = 0
    unknown_routes: list[str] = field(default_factory=list)


FailStatus = Literal[429, 403, 404, 500, 502, 503]
_FAIL_STATUSES = (429, 403, 404, 500, 502, 503)


@dataclass
class _Bucket:
    """Fixed-window limiter; the window opens with its first request, like Discord's."""

    limit: int
    per: float
    key_hash: str
    window_start: float | None = None
    count: int = 0

    def _roll(self, now: float) -> None:
        if self.window_start is not None and now >= self.window_start + self.per:
            self.window_start = None
            self.count = 0

    def take(self, now: float) -> bool:
        self._roll(now)
        if self.count >= self.limit:
            return False
        if self.window_start is None:
            self.window_start = now
        self.count += 1
        return True

    def reset_after(self, now: float) -> float:
        if self.window_start is None:
            return self.per
        return max(self.window_start + self.per - now, 0.0)

    def headers(self, now: float) -> dict[str, str]:
        reset_after = _ceil3(self.reset_after(now))
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(self.limit - self.count, 0)),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": self.key_hash,
        }


@dataclass
class _Failure:
    status: int
    retry_after: float


_Handler = Callable[["_Call"], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class _Route:
    method: str
    template: str
    pattern: re.Pattern[str]
    handler: _Handler
    auth: bool
    bucket: Literal["default", "channel"]
    global_limited: bool


@dataclass
class _Call:
    request: web.Request
    route: _Route
    params: dict[str, str]

    def snowflake(self, name: str) -> int:
        raw = self.params[name]
        if not _SNOWFLAKE.match(raw):
            errors = FormErrors()
            errors.add((name,), "NUMBER_TYPE_COERCE", f'Value "{raw}" is not snowflake.')
            errors.raise_if_any()
        return int(raw)

    def flag(self, name: str) -> bool:
        return self.request.query.get(name, "").lower() in ("1", "true")


@dataclass(eq=False)
class _Conn:
    ws: web.WebSocketResponse
    compressor: zlib._Compress | None
    queue: asyncio.Queue[JSON | None] = field(default_factory=asyncio.Queue)
    session: _Session | None = None
    closed: bool = False


@dataclass(eq=False)
class _Session:
    id: str
    intents: int
    shard: tuple[int, int]
    conn: _Conn | None
    seq: int = 0
    sent: deque[JSON] = field(default_factory=lambda: deque(maxlen=2000))

    def owns(self, guild_id: int) -> bool:
        return (guild_id >> 22) % self.shard[1] == self.shard[0]


# --------------------------------------------------------------------------- the fake


class FakeDiscord:
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
        self.token = token
        self.application_id = application_id
        # New applications share their id with their bot user.
        self.bot_user_id = application_id
        self.bot_name = "RaceBot"
        self.global_rate = global_rate
        self.channel_bucket = channel_bucket
        self.default_bucket: tuple[int, float] = (50, 1.0)
        self.heartbeat_interval_ms = 45_000
        self.interaction_ack_timeout = 3.0
        self.allowed_privileged_intents = Intent.PRIVILEGED
        self.recommended_shards = 1
        self.strict_commands = True
        self.clock: Callable[[], float] = time.monotonic
        self.now: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.url = ""

        self.messages: dict[int, list[JSON]] = defaultdict(list)
        self.dms: dict[int, list[JSON]] = defaultdict(list)
        self.role_changes: list[tuple[str, int, int, int]] = []
        self.scheduled_events: dict[int, dict[int, JSON]] = defaultdict(dict)
        self.scheduled_event_changes: list[tuple[str, int, JSON]] = []
        self.commands: dict[int | None, list[JSON]] = {}
        self.command_syncs: list[tuple[int | None, list[str]]] = []
        self.interactions: dict[int, Interaction] = {}
        self.stats = FakeStats()
        self.gateway_queries: list[dict[str, str]] = []

        self._guilds: dict[int, Guild] = {}
        self._users: dict[int, JSON] = {}
        self._channels: dict[int, Channel] = {}
        self._deleted_channels: set[int] = set()
        #: (channel, nonce) -> (when, message id) for ``enforce_nonce`` sends.
        self._nonces: dict[tuple[int, str], tuple[float, int]] = {}
        self._lose_response: Counter[int] = Counter()
        self.nonce_window = 300.0
        self._dm_channels: dict[int, int] = {}
        self._dm_blocked: set[int] = set()
        self._messages_by_id: dict[int, JSON] = {}
        self._attachments: dict[int, bytes] = {}
        self._command_ids: dict[tuple[int | None, int, str], int] = {}
        # ("channel" | "guild", id) -> failures still to serve on that route prefix
        self._failures: dict[tuple[str, int], deque[_Failure]] = defaultdict(deque)
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self._global_bucket: _Bucket | None = None
        self._sessions: dict[str, _Session] = {}
        self._conns: set[_Conn] = set()
        self._conn_tasks: set[asyncio.Task[None]] = set()
        self._last_id = 0
        self._changed: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self._routes: list[_Route] = []
        self._register_routes()
        self._users[self.bot_user_id] = self._make_user(self.bot_user_id, self.bot_name, bot=True)

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Listen on an ephemeral loopback port so parallel tests never collide."""
        self._changed = asyncio.Event()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._entry)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"

    async def close(self) -> None:
        """Close gateway connections first so aiohttp shuts down without warnings."""
        for conn in list(self._conns):
            with contextlib.suppress(Exception):
                await conn.ws.close(code=1001, message=b"server shutting down")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        for task in list(self._conn_tasks):
            task.cancel()
        if self._conn_tasks:
            await asyncio.gather(*self._conn_tasks, return_exceptions=True)

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

    @property
    def gateway_url(self) -> str:
        """The websocket URL handed out by ``/gateway`` and READY."""
        return self.url.replace("http://", "ws://", 1) + "/gateway"

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

    # ------------------------------------------------------------------ helpers

    def _next_id(self) -> int:
        """Real-looking snowflakes so ``created_at`` on discord.py objects is sane."""
        candidate = ((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) | (1 << 17)
        self._last_id = max(candidate, self._last_id + 1)
        return self._last_id

    def _notify(self) -> None:
        if self._changed is not None:
            self._changed.set()
            self._changed = asyncio.Event()

    async def _wait_until(self, predicate: Callable[[], bool], timeout: float, what: str) -> None:  # noqa: ASYNC109
        # Real loop time, not self.clock: tests may freeze the server clock.
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            if self._changed is None:
                raise RuntimeError("FakeDiscord is not started")
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
            # Poll as well: predicates may look at state outside the fake.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(remaining, 0.02))

    def _make_user(self, user_id: int, name: str, *, bot: bool = False) -> JSON:
        return {
            "id": str(user_id),
            "username": name.lower().replace(" ", "_")[:32] or "user",
            "global_name": name,
            "discriminator": "0",
            "avatar": None,
            "avatar_decoration_data": None,
            "banner": None,
            "accent_color": None,
            "public_flags": 0,
            "flags": 0,
            "bot": bot,
            "system": False,
        }

    def _user(self, user_id: int) -> JSON:
        return copy.deepcopy(self._users[user_id])

    def _guild(self, guild_id: int) -> Guild:
        try:
            return self._guilds[guild_id]
        except KeyError:
            raise KeyError(f"unknown guild {guild_id}; call add_guild() first") from None

    def _bot_role(self, guild: Guild) -> Role:
        member = guild.members[self.bot_user_id]
        return guild.roles[member.roles[0]]

    def _base_permissions(self, guild: Guild, user_id: int) -> int:
        if user_id == guild.owner_id:
            return Permission.ALL
        member = guild.members.get(user_id)
        if member is None:
            return 0
        perms = guild.roles[guild.id].permissions
        for role_id in member.roles:
            role = guild.roles.get(role_id)
            if role is not None:
                perms |= role.permissions
        if perms & Permission.ADMINISTRATOR:
            return Permission.ALL
        return perms

    def _channel_permissions(self, guild: Guild, channel: Channel, user_id: int) -> int:
        """Discord's documented algorithm: base, @everyone, roles, then member overwrite."""
        perms = self._base_permissions(guild, user_id)
        if perms == Permission.ALL:
            return perms
        member = guild.members.get(user_id)
        if member is None:
            return 0
        allow, deny = channel.overwrites.get((0, guild.id), (0, 0))
        perms = (perms & ~deny) | allow
        role_allow = role_deny = 0
        for role_id in member.roles:
            a, d = channel.overwrites.get((0, role_id), (0, 0))
            role_allow |= a
            role_deny |= d
        perms = (perms & ~role_deny) | role_allow
        allow, deny = channel.overwrites.get((1, user_id), (0, 0))
        perms = (perms & ~deny) | allow
        if not perms & Permission.VIEW_CHANNEL:
            return 0
        if not perms & Permission.SEND_MESSAGES:
            perms &= ~(
                Permission.SEND_TTS_MESSAGES
                | Permission.MENTION_EVERYONE
                | Permission.EMBED_LINKS
                | Permission.ATTACH_FILES
            )
        return perms

    def _member_json(self, guild: Guild, member: Member, *, with_user: bool = True) -> JSON:
        data: JSON = {
            "roles": [str(r) for r in member.roles],
            "joined_at": member.joined_at,
            "nick": None,
            "avatar": None,
            "banner": None,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self._user(member.user_id)
        return data

    def _guild_json(self, guild: Guild, *, full: bool) -> JSON:
        data: JSON = {
            "id": str(guild.id),
            "name": guild.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(guild.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 1,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "preferred_locale": guild.preferred_locale,
            "features": [],
            "roles": [role.to_json() for role in guild.roles.values()],
            "emojis": [],
            "stickers": [],
            "vanity_url_code": None,
            "application_id": None,
            "max_members": 500000,
            "max_video_channel_users": 25,
        }
        if full:
            data.update(
                {
                    "joined_at": guild.joined_at,
                    "large": len(guild.members) >= 250,
                    "unavailable": False,
                    "member_count": len(guild.members),
                    "voice_states": [],
                    "members": [self._member_json(guild, m) for m in guild.members.values()],
                    "channels": [c.to_json() for c in guild.channels.values()],
                    "threads": [],
                    "presences": [],
                    "stage_instances": [],
                    "guild_scheduled_events": list(self.scheduled_events[guild.id].values()),
                    "soundboard_sounds": [],
                }
            )
        return data

    def _guild_create(self, guild: Guild, intents: int) -> JSON:
        """GUILD_CREATE as one session sees it: the bot's own member is always in it."""
        data = self._guild_json(guild, full=True)
        if not intents & Intent.GUILD_PRESENCES:
            # Documented: without GUILD_PRESENCES, members holds only the bot (and users
            # in voice channels, which the fake has none of).
            data["members"] = [self._member_json(guild, guild.members[self.bot_user_id])]
        return data

    def _emit_guild_create(self, guild: Guild) -> None:
        if not guild.bot_present:
            return
        for session in list(self._sessions.values()):
            if session.owns(guild.id) and session.intents & Intent.GUILDS:
                self._dispatch(session, "GUILD_CREATE", self._guild_create(guild, session.intents))

    # ------------------------------------------------------------------ world building

    def add_guild(
        self, guild_id: int, name: str, *, owner_id: int, preferred_locale: str = "en-US"
    ) -> None:
        """Create a guild with the bot in it (owner becomes a member too)."""
        existing = self._guilds.get(guild_id)
        if existing is not None:
            if existing.bot_present:
                raise ValueError(f"guild {guild_id} already exists")
            existing.bot_present = True
            existing.joined_at = utc_iso(self.now())
            self._emit_guild_create(existing)
            return
        joined = utc_iso(self.now())
        guild = Guild(guild_id, name, owner_id, preferred_locale, joined)
        guild.roles[guild_id] = Role(guild_id, "@everyone", EVERYONE_PERMISSIONS, 0, False)
        bot_role_id = self._next_id()
        guild.roles[bot_role_id] = Role(
            bot_role_id,
            self.bot_name,
            BOT_PERMISSIONS,
            250,
            False,
            managed=True,
            bot_id=self.bot_user_id,
        )
        guild.members[self.bot_user_id] = Member(self.bot_user_id, [bot_role_id], joined)
        self._guilds[guild_id] = guild
        if owner_id not in self._users:
            self._users[owner_id] = self._make_user(owner_id, f"owner{owner_id}")
        guild.members.setdefault(owner_id, Member(owner_id, [], joined))
        self._emit_guild_create(guild)

    def add_text_channel(
        self, guild_id: int, channel_id: int, name: str, *, bot_can_send: bool = True
    ) -> None:
        """Add a text channel; ``bot_can_send=False`` denies the bot Send Messages there."""
        guild = self._guild(guild_id)
        if channel_id in self._channels:
            raise ValueError(f"channel {channel_id} already exists")
        channel = Channel(channel_id, name, 0, guild_id=guild_id, position=len(guild.channels))
        guild.channels[channel_id] = channel
        self._channels[channel_id] = channel
        self._set_bot_send(channel, bot_can_send)
        self._emit_guild(guild_id, "CHANNEL_CREATE", channel.to_json())

    def add_role(self, guild_id: int, role_id: int, name: str, *, mentionable: bool = True) -> None:
        """Add a plain role below the bot's role, so the bot may hand it out."""
        guild = self._guild(guild_id)
        position = 1 + max((r.position for r in guild.roles.values() if not r.managed), default=0)
        guild.roles[role_id] = Role(role_id, name, 0, position, mentionable)
        self._emit_guild(
            guild_id,
            "GUILD_ROLE_CREATE",
            {"guild_id": str(guild_id), "role": guild.roles[role_id].to_json()},
        )

    def add_member(
        self,
        guild_id: int,
        user_id: int,
        name: str,
        *,
        roles: Iterable[int] = (),
        manage_guild: bool = False,
    ) -> None:
        """Add a member; ``manage_guild`` grants it through a 'Managers' role, as admins do."""
        guild = self._guild(guild_id)
        role_ids = list(roles)
        for role_id in role_ids:
            if role_id not in guild.roles:
                raise KeyError(f"unknown role {role_id} in guild {guild_id}")
        if manage_guild:
            if guild.manager_role_id is None:
                guild.manager_role_id = self._next_id()
                self._add_manager_role(guild)
            role_ids.append(guild.manager_role_id)
        self._users[user_id] = self._make_user(user_id, name)
        member = Member(user_id, role_ids, utc_iso(self.now()))
        guild.members[user_id] = member
        data = self._member_json(guild, member)
        data["guild_id"] = str(guild_id)
        self._emit_guild(guild_id, "GUILD_MEMBER_ADD", data, intent=Intent.GUILD_MEMBERS)

    def _add_manager_role(self, guild: Guild) -> None:
        assert guild.manager_role_id is not None
        position = 1 + max((r.position for r in guild.roles.values() if not r.managed), default=0)
        role = Role(guild.manager_role_id, "Managers", Permission.MANAGE_GUILD, position, False)
        guild.roles[role.id] = role
        self._emit_guild(
            guild.id, "GUILD_ROLE_CREATE", {"guild_id": str(guild.id), "role": role.to_json()}
        )

    def set_channel_permission(self, channel_id: int, *, bot_can_send: bool) -> None:
        """Grant or revoke the bot's Send Messages in a channel (member overwrite)."""
        channel = self._channels[channel_id]
        self._set_bot_send(channel, bot_can_send)
        if channel.guild_id is not None:
            self._emit_guild(channel.guild_id, "CHANNEL_UPDATE", channel.to_json())

    def _set_bot_send(self, channel: Channel, can_send: bool) -> None:
        key = (1, self.bot_user_id)
        allow, deny = channel.overwrites.get(key, (0, 0))
        bits = Permission.SEND_MESSAGES | Permission.SEND_MESSAGES_IN_THREADS
        deny = deny & ~bits if can_send else deny | bits
        if allow or deny:
            channel.overwrites[key] = (allow, deny)
        else:
            channel.overwrites.pop(key, None)

    def block_dms(self, user_id: int, blocked: bool = True) -> None:
        """Make DMs to a user fail with 403/50007, like closed DMs do."""
        if blocked:
            self._dm_blocked.add(user_id)
        else:
            self._dm_blocked.discard(user_id)

    async def delete_channel(self, channel_id: int) -> None:
        """Delete a channel; later sends get 404/10003 and CHANNEL_DELETE is dispatched."""
        channel = self._channels.pop(channel_id)
        self._deleted_channels.add(channel_id)
        if channel.guild_id is not None:
            self._guilds[channel.guild_id].channels.pop(channel_id, None)
            self._emit_guild(channel.guild_id, "CHANNEL_DELETE", channel.to_json())
        await self.flush_gateway()

    async def remove_bot_from_guild(self, guild_id: int) -> None:
        """Kick the bot: GUILD_DELETE is dispatched and the guild answers 403 afterwards."""
        guild = self._guild(guild_id)
        self._emit_guild(guild_id, "GUILD_DELETE", {"id": str(guild_id)})
        guild.bot_present = False
        await self.flush_gateway()

    def lose_next_response(self, channel_id: int, *, times: int = 1) -> None:
        """Create the next message(s) in a channel, then drop the connection unanswered.

        The bot sees a network error although the post exists: the case a nonce with
        ``enforce_nonce`` (or nothing) protects against duplicates.
        """
        self._lose_response[channel_id] += times

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
        self._queue_failures(("channel", channel_id), status, times, retry_after)

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
        self._queue_failures(("guild", guild_id), status, times, retry_after)

    def _queue_failures(
        self, key: tuple[str, int], status: int, times: int, retry_after: float
    ) -> None:
        if status not in _FAIL_STATUSES:
            raise ValueError(f"cannot inject status {status}; choose from {_FAIL_STATUSES}")
        for _ in range(times):
            self._failures[key].append(_Failure(status, retry_after))

    def add_user(self, user_id: int, name: str) -> None:
        """Make a user known without any guild, e.g. to use commands in a DM with the bot."""
        if user_id == self.bot_user_id:
            raise ValueError("that is the bot's own user id")
        self._users[user_id] = self._make_user(user_id, name)

    async def delete_role(self, guild_id: int, role_id: int) -> None:
        """Delete a role as an admin would: GUILD_ROLE_DELETE, members lose it.

        Later PUT/DELETE member-role calls with it answer 404 Unknown Role (10011).
        """
        guild = self._guild(guild_id)
        role = guild.roles.get(role_id)
        if role is None:
            raise KeyError(f"unknown role {role_id} in guild {guild_id}")
        if role_id == guild_id or role.managed:
            raise ValueError("@everyone and managed roles cannot be deleted")
        del guild.roles[role_id]
        for member in guild.members.values():
            if role_id in member.roles:
                member.roles.remove(role_id)
        if guild.manager_role_id == role_id:
            guild.manager_role_id = None
        self._emit_guild(
            guild_id, "GUILD_ROLE_DELETE", {"guild_id": str(guild_id), "role_id": str(role_id)}
        )
        self._notify()
        await self.flush_gateway()

    def set_bot_permissions(
        self,
        guild_id: int,
        *,
        manage_roles: bool | None = None,
        manage_events: bool | None = None,
        create_events: bool | None = None,
    ) -> None:
        """Grant or revoke permissions on the bot's managed role, as an admin editing it.

        ``None`` leaves a permission as it is.  Revoking only Manage Events still lets the
        bot create events, and edit its own, through Create Events, as on Discord; revoke
        ``create_events`` too to make creating one fail with 403/50013.  GUILD_ROLE_UPDATE
        is dispatched, so discord.py's ``guild.me`` permissions follow.
        """
        guild = self._guild(guild_id)
        role = self._bot_role(guild)
        for wanted, bit in (
            (manage_roles, Permission.MANAGE_ROLES),
            (manage_events, Permission.MANAGE_EVENTS),
            (create_events, Permission.CREATE_EVENTS),
        ):
            if wanted is True:
                role.permissions |= bit
            elif wanted is False:
                role.permissions &= ~bit
        self._emit_guild(
            guild_id, "GUILD_ROLE_UPDATE", {"guild_id": str(guild_id), "role": role.to_json()}
        )
        self._notify()

    def add_external_event(
        self,
        guild_id: int,
        name: str,
        start: datetime,
        end: datetime,
        location: str,
        *,
        creator_id: int | None = None,
    ) -> int:
        """Add a scheduled event a member (the owner by default) made, not the bot.

        It counts toward the 100 uncompleted events per guild like the bot's own, and
        editing or deleting it needs Manage Events (Create Events only covers the bot's
        own).  GUILD_SCHEDULED_EVENT_CREATE is dispatched.  Returns the event id.
        """
        guild = self._guild(guild_id)
        creator = guild.owner_id if creator_id is None else creator_id
        if creator == self.bot_user_id:
            raise ValueError("the bot creates its own events through the REST API")
        if creator not in guild.members:
            raise KeyError(f"user {creator} is not a member of guild {guild_id}")
        payload: JSON = {
            "name": name,
            "scheduled_start_time": start.isoformat(),
            "scheduled_end_time": end.isoformat(),
            "privacy_level": 2,
            "entity_type": 3,
            "entity_metadata": {"location": location},
        }
        event = self._new_event(guild, creator, payload)
        errors = FormErrors()
        validate_event(guild, event, set(payload), errors, self.now)
        if errors.tree:
            raise ValueError(f"Discord would refuse this event: {errors.tree}")
        if self._active_events(guild) >= MAX_SCHEDULED_EVENTS:
            raise ValueError(f"guild {guild_id} already has {MAX_SCHEDULED_EVENTS} events")
        self._store_event(guild, event)
        return int(event["id"])

    # ------------------------------------------------------------------ observation

    async def wait_for_messages(
        self,
        channel_id: int,
        count: int,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[JSON]:
        """Wait until ``count`` messages were posted in a channel (deleted ones included)."""
        await self._wait_until(
            lambda: len(self.messages.get(channel_id, ())) >= count,
            timeout,
            f"{count} messages in channel {channel_id}",
        )
        return list(self.messages[channel_id])

    async def wait_for_dms(self, user_id: int, count: int, timeout: float = 5.0) -> list[JSON]:  # noqa: ASYNC109
        """Wait until ``count`` direct messages reached a user."""
        await self._wait_until(
            lambda: len(self.dms.get(user_id, ())) >= count, timeout, f"{count} DMs to {user_id}"
        )
        return list(self.dms[user_id])

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait for any condition over the recorded state."""
        await self._wait_until(predicate, timeout, "condition")

    async def wait_until_connected(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until a client identified (READY sent) and is still connected."""
        await self._wait_until(
            lambda: any(s.conn is not None and not s.conn.closed for s in self._sessions.values()),
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
        return list(self._guild(guild_id).members[user_id].roles)

    def message(self, message_id: int) -> JSON:
        """Any message record (channel, DM, ephemeral) by id."""
        return self._messages_by_id[message_id]

    # ------------------------------------------------------------------ gateway

    async def _ws_handler(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        self.gateway_queries.append(dict(request.query))
        compression = request.query.get("compress")
        encoding = request.query.get("encoding", "json")
        compressor = zlib.compressobj() if compression == "zlib-stream" else None
        if compression not in (None, "zlib-stream"):
            _log.debug("FakeDiscord: %s unsupported, sending plain text frames", compression)
        conn = _Conn(ws, compressor)
        self._conns.add(conn)
        writer = asyncio.create_task(self._ws_writer(conn))
        self._conn_tasks.add(writer)
        try:
            if encoding != "json":
                await ws.close(code=4002, message=b"Error while decoding payload.")
                return ws
            self._ws_send(
                conn,
                {
                    "op": 10,
                    "s": None,
                    "t": None,
                    "d": {
                        "heartbeat_interval": self.heartbeat_interval_ms,
                        "_trace": ["fake-gateway"],
                    },
                },
            )
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    await self._ws_receive(conn, msg.data)
                elif msg.type is WSMsgType.ERROR:
                    break
        finally:
            conn.closed = True
            self._conns.discard(conn)
            session = conn.session
            if session is not None and session.conn is conn:
                session.conn = None
                if ws.close_code in (1000, 1001):
                    # A clean client close ends the session for good, as on Discord.
                    self._sessions.pop(session.id, None)
            conn.queue.put_nowait(None)
            await writer
            self._conn_tasks.discard(writer)
            self._notify()
        return ws

    async def _ws_writer(self, conn: _Conn) -> None:
        while True:
            item = await conn.queue.get()
            try:
                if item is None:
                    return
                if conn.closed or conn.ws.closed:
                    continue
                text = json.dumps(item, separators=(",", ":"))
                try:
                    if conn.compressor is not None:
                        data = conn.compressor.compress(text.encode())
                        data += conn.compressor.flush(zlib.Z_SYNC_FLUSH)
                        await conn.ws.send_bytes(data)
                    else:
                        await conn.ws.send_str(text)
                except (ConnectionError, RuntimeError):
                    conn.closed = True
            finally:
                conn.queue.task_done()

    def _ws_send(self, conn: _Conn, payload: JSON) -> None:
        if not conn.closed:
            conn.queue.put_nowait(payload)

    def _dispatch(self, session: _Session, event: str, data: JSON) -> None:
        session.seq += 1
        payload = {"op": 0, "s": session.seq, "t": event, "d": data}
        session.sent.append(payload)
        if session.conn is not None:
            self._ws_send(session.conn, payload)

    def _emit_guild(
        self, guild_id: int, event: str, data: JSON, *, intent: int = Intent.GUILDS
    ) -> None:
        guild = self._guilds.get(guild_id)
        if guild is None or not guild.bot_present:
            return
        for session in list(self._sessions.values()):
            if session.owns(guild_id) and session.intents & intent:
                self._dispatch(session, event, copy.deepcopy(data))

    def _emit_dm(self, event: str, data: JSON) -> None:
        for session in list(self._sessions.values()):
            if session.shard[0] == 0 and session.intents & Intent.DIRECT_MESSAGES:
                self._dispatch(session, event, copy.deepcopy(data))

    async def flush_gateway(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until every queued gateway event was written to the sockets."""
        for conn in list(self._conns):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(conn.queue.join(), timeout)

    async def disconnect_gateway(self, code: int = 4000) -> None:
        """Drop every gateway connection with a resumable close code (reconnect tests)."""
        for conn in list(self._conns):
            conn.closed = True
            if conn.session is not None and conn.session.conn is conn:
                conn.session.conn = None
            await conn.ws.close(code=code, message=b"fake disconnect")

    async def _close_quietly(self, conn: _Conn, code: int) -> None:
        with contextlib.suppress(Exception):
            await conn.ws.close(code=code)

    async def _ws_receive(self, conn: _Conn, raw: str) -> None:
        try:
            msg = json.loads(raw)
            op = msg["op"]
        except (ValueError, KeyError, TypeError):
            await conn.ws.close(code=4002, message=b"Error while decoding payload.")
            return
        data = msg.get("d")
        if op == 1:
            self._ws_send(conn, {"op": 11, "s": None, "t": None, "d": None})
        elif op == 2:
            await self._identify(conn, data or {})
        elif op == 6:
            await self._resume(conn, data or {})
        elif op == 8:
            self._request_members(conn, data or {})
        elif op in (3, 4):
            return
        else:
            await conn.ws.close(code=4001, message=b"Unknown opcode.")

    async def _identify(self, conn: _Conn, data: JSON) -> None:
        if conn.session is not None:
            await conn.ws.close(code=4005, message=b"Already authenticated.")
            return
        if data.get("token") != self.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        intents = data.get("intents")
        if not isinstance(intents, int) or intents & ~Intent.ALL:
            await conn.ws.close(code=4013, message=b"Invalid intent(s).")
            return
        if intents & Intent.PRIVILEGED & ~self.allowed_privileged_intents:
            await conn.ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        shard_raw = data.get("shard") or [0, 1]
        shard = (int(shard_raw[0]), int(shard_raw[1]))
        if shard[1] < 1 or not 0 <= shard[0] < shard[1]:
            await conn.ws.close(code=4010, message=b"Invalid shard.")
            return
        session = _Session(secrets.token_hex(16), intents, shard, conn)
        conn.session = session
        self._sessions[session.id] = session
        guilds = [g for g in self._guilds.values() if g.bot_present and session.owns(g.id)]
        ready: JSON = {
            "v": 10,
            "user": {
                **self._user(self.bot_user_id),
                "verified": True,
                "mfa_enabled": False,
                "email": None,
            },
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.application_id), "flags": self._application_flags()},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "_trace": ["fake-gateway"],
        }
        if "shard" in data:
            ready["shard"] = list(shard)
        self._dispatch(session, "READY", ready)
        if intents & Intent.GUILDS:
            for guild in guilds:
                self._dispatch(session, "GUILD_CREATE", self._guild_create(guild, intents))
        self._notify()

    async def _resume(self, conn: _Conn, data: JSON) -> None:
        session = self._sessions.get(str(data.get("session_id")))
        if data.get("token") != self.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        seq = data.get("seq")
        if session is not None and session.conn is not None and session.conn is not conn:
            # Like Discord, a RESUME takes the session over from a dying connection.
            old = session.conn
            old.closed = True
            session.conn = None
            closer = asyncio.create_task(self._close_quietly(old, 4009))
            self._conn_tasks.add(closer)
            closer.add_done_callback(self._conn_tasks.discard)
        if session is None or not isinstance(seq, int):
            self._ws_send(conn, {"op": 9, "s": None, "t": None, "d": False})
            return
        missed = [p for p in session.sent if p["s"] > seq]
        if session.sent and missed and missed[0]["s"] != seq + 1:
            self._ws_send(conn, {"op": 9, "s": None, "t": None, "d": False})
            return
        conn.session = session
        session.conn = conn
        for payload in missed:
            self._ws_send(conn, payload)
        self._dispatch(session, "RESUMED", {"_trace": ["fake-gateway"]})
        self._notify()

    def _request_members(self, conn: _Conn, data: JSON) -> None:
        session = conn.session
        if session is None:
            return
        guild = self._guilds.get(int(data.get("guild_id", 0)))
        if guild is None:
            return
        query = str(data.get("query") or "").lower()
        user_ids = {int(u) for u in data.get("user_ids") or []}
        limit = int(data.get("limit") or 0)
        members = []
        for member in guild.members.values():
            user = self._users[member.user_id]
            if user_ids and member.user_id not in user_ids:
                continue
            if query and not str(user["username"]).startswith(query):
                continue
            members.append(self._member_json(guild, member))
        if limit:
            members = members[:limit]
        chunk: JSON = {
            "guild_id": str(guild.id),
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [str(u) for u in user_ids if u not in guild.members],
        }
        if data.get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        if data.get("presences"):
            chunk["presences"] = []
        self._dispatch(session, "GUILD_MEMBERS_CHUNK", chunk)

    def _application_flags(self) -> int:
        flags = 1 << 23  # APPLICATION_COMMAND_BADGE
        if self.allowed_privileged_intents & Intent.GUILD_PRESENCES:
            flags |= 1 << 13
        if self.allowed_privileged_intents & Intent.GUILD_MEMBERS:
            flags |= 1 << 15
        if self.allowed_privileged_intents & Intent.MESSAGE_CONTENT:
            flags |= 1 << 19
        return flags

    async def _session_for(self, guild_id: int | None) -> _Session:
        """The session Discord would use: the guild's shard, or shard 0 for DMs."""

        def live() -> list[_Session]:
            return [
                s
                for s in self._sessions.values()
                if s.conn is not None
                and not s.conn.closed
                and (s.shard[0] == 0 if guild_id is None else s.owns(guild_id))
            ]

        what = "DMs" if guild_id is None else f"guild {guild_id}"
        await self._wait_until(lambda: bool(live()), 5.0, f"a gateway session for {what}")
        return live()[-1]

    # ------------------------------------------------------------------ interactions

    def _new_interaction(
        self, type_: int, guild_id: int, channel_id: int, user_id: int, data: JSON, *, locale: str
    ) -> tuple[Interaction, JSON]:
        guild = self._guild(guild_id)
        if not guild.bot_present:
            raise ValueError(f"the bot is not in guild {guild_id}")
        channel = self._guild_channel(guild, channel_id)
        member = guild.members.get(user_id)
        if member is None:
            raise KeyError(f"user {user_id} is not a member of guild {guild_id}")
        channel_json = channel.to_json()
        user_perms = self._channel_permissions(guild, channel, user_id)
        channel_json["permissions"] = str(user_perms)
        member_json = self._member_json(guild, member)
        member_json["permissions"] = str(user_perms)
        payload: JSON = {
            "type": type_,
            "data": data,
            "guild_id": str(guild_id),
            "guild": {"id": str(guild_id), "locale": guild.preferred_locale, "features": []},
            "channel_id": str(channel_id),
            "channel": channel_json,
            "member": member_json,
            "app_permissions": str(self._channel_permissions(guild, channel, self.bot_user_id)),
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
        channel = self._dm_channel(user_id)
        payload: JSON = {
            "type": type_,
            "data": data,
            "channel_id": str(channel.id),
            "channel": self._dm_channel_json(channel),
            "user": self._user(user_id),
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
        interaction_id = self._next_id()
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
            _wait=self._wait_until,
        )
        return interaction, payload

    def _guild_channel(self, guild: Guild, channel_id: int) -> Channel:
        channel = guild.channels.get(channel_id)
        if channel is None:
            raise KeyError(f"unknown channel {channel_id} in guild {guild.id}")
        return channel

    def _dm_channel(self, user_id: int) -> Channel:
        """The one DM channel between the bot and a user; the same id every time."""
        if user_id not in self._users or user_id == self.bot_user_id:
            raise KeyError(f"unknown user {user_id}; add_member() or add_user() first")
        channel_id = self._dm_channels.get(user_id)
        if channel_id is None:
            channel_id = self._next_id()
            self._dm_channels[user_id] = channel_id
            self._channels[channel_id] = Channel(channel_id, "", 1, recipient_id=user_id)
        return self._channels[channel_id]

    def _dm_channel_json(self, channel: Channel) -> JSON:
        assert channel.recipient_id is not None
        data = channel.to_json()
        data["recipients"] = [self._user(channel.recipient_id)]
        return data

    async def _send_interaction(self, interaction: Interaction) -> Interaction:
        session = await self._session_for(interaction.guild_id)
        self.interactions[interaction.id] = interaction
        interaction.created_at = self.clock()
        self._dispatch(session, "INTERACTION_CREATE", copy.deepcopy(interaction.payload))
        await self.flush_gateway()
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
            "id": command["id"] if command is not None else str(self._next_id()),
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
        perms = self._base_permissions(guild, user_id)
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
                return 6 if value in self._users else 4
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
            if uid not in self._users:
                raise KeyError(f"option {name!r}: unknown user {uid}")
            resolved.setdefault("users", {})[str(uid)] = self._user(uid)
            member = None if guild is None else guild.members.get(uid)
            if guild is not None and member is not None:
                member_json = self._member_json(guild, member, with_user=False)
                member_json["permissions"] = str(self._channel_permissions(guild, channel, uid))
                resolved.setdefault("members", {})[str(uid)] = member_json
            return str(uid)
        if type_ == 11:
            filename, blob = value
            attachment_id = self._next_id()
            self._attachments[attachment_id] = bytes(blob)
            resolved.setdefault("attachments", {})[str(attachment_id)] = self._attachment_json(
                channel.id,
                {
                    "id": attachment_id,
                    "filename": filename,
                    "size": len(blob),
                    "content_type": _guess_type(filename),
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
                "permissions": str(self._channel_permissions(guild, target, user_id)),
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
        guild = self._guild(guild_id)
        channel = self._guild_channel(guild, channel_id)
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
        guild = self._guild(guild_id)
        channel = self._guild_channel(guild, channel_id)
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
        channel = self._dm_channel(user_id)
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
        channel = self._dm_channel(user_id)
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
        record = self._messages_by_id.get(message_id)
        if record is None or record.get("deleted"):
            raise KeyError(f"unknown message {message_id}")
        if record["channel_id"] != channel_id:
            raise ValueError(
                f"message {message_id} is in channel {record['channel_id']}, not {channel_id}"
            )
        component = _find_component(record.get("components") or [], custom_id)
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

    # ------------------------------------------------------------------ messages

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
        _number_components(components)
        embeds = [{"type": "rich", **e} for e in record.get("embeds") or []]
        data: JSON = {
            "id": str(record["id"]),
            "type": record.get("type", 0),
            "channel_id": str(record["channel_id"]),
            "author": self._user(self.bot_user_id),
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
                    "user": self._user(interaction.user_id),
                    "authorizing_integration_owners": copy.deepcopy(
                        interaction.payload["authorizing_integration_owners"]
                    ),
                }
        return data

    def _mentions(self, channel: Channel, content: Any, allowed: Any) -> tuple[list[int], bool]:
        """Which roles/@everyone actually ping, honouring allowed_mentions like Discord."""
        if channel.guild_id is None or not isinstance(content, str):
            return [], False
        guild = self._guilds[channel.guild_id]
        if isinstance(allowed, dict):
            parse = set(allowed.get("parse") or [])
            allowed_roles = {int(r) for r in allowed.get("roles") or []}
        else:
            parse, allowed_roles = {"users", "roles", "everyone"}, set()
        can_mention_all = bool(
            self._channel_permissions(guild, channel, self.bot_user_id)
            & Permission.MENTION_EVERYONE
        )
        pinged: list[int] = []
        for match in _ROLE_MENTION.finditer(content):
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
            attachment_id = self._next_id()
            self._attachments[attachment_id] = file.data
            meta = described.get(index, {})
            filename = meta.get("filename") or file.filename
            out.append(
                {
                    "id": attachment_id,
                    "filename": filename,
                    "size": len(file.data),
                    "content_type": _guess_type(filename),
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
                "id": self._next_id(),
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
        self._messages_by_id[record["id"]] = record
        if store_in_channel:
            channel.last_message_id = record["id"]
            if channel.guild_id is None:
                assert channel.recipient_id is not None
                self.dms[channel.recipient_id].append(record)
                self._emit_dm("MESSAGE_CREATE", self._message_json(record))
            else:
                self.messages[channel.id].append(record)
                self._emit_message_event(channel, "MESSAGE_CREATE", record)
        self._notify()
        return record

    def _emit_message_event(self, channel: Channel, event: str, record: JSON) -> None:
        if channel.guild_id is None:
            return
        guild = self._guilds[channel.guild_id]
        data = self._message_json(record)
        data["guild_id"] = str(guild.id)
        data["member"] = self._member_json(guild, guild.members[self.bot_user_id], with_user=False)
        self._emit_guild(guild.id, event, data, intent=Intent.GUILD_MESSAGES)

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
        channel = self._channels.get(record["channel_id"])
        if channel is not None:
            record["mention_roles"], record["mention_everyone"] = self._mentions(
                channel, record.get("content"), record.get("allowed_mentions")
            )
            if not record["flags"] & 64:
                self._emit_message_event(channel, "MESSAGE_UPDATE", record)
        self._notify()

    def _channel_for_bot(self, channel_id: int) -> tuple[Guild | None, Channel]:
        channel = self._channels.get(channel_id)
        if channel is None:
            raise unknown("Channel", 10003)
        if channel.guild_id is None:
            return None, channel
        guild = self._guilds[channel.guild_id]
        if not guild.bot_present:
            raise missing_access()
        if (
            not self._channel_permissions(guild, channel, self.bot_user_id)
            & Permission.VIEW_CHANNEL
        ):
            raise missing_access()
        return guild, channel

    async def _read_body(self, request: web.Request) -> tuple[Any, dict[int, File]]:
        files: dict[int, File] = {}
        if request.content_type.startswith("multipart/"):
            payload: Any = {}
            reader = await request.multipart()
            while True:
                part = await reader.next()
                if part is None:
                    break
                if not isinstance(part, BodyPartReader):
                    continue
                blob = bytes(await part.read())
                name = part.name or ""
                if name == "payload_json":
                    payload = _loads(blob)
                    continue
                match = re.fullmatch(r"files?\[(\d+)\]", name)
                if match:
                    files[int(match.group(1))] = File(
                        part.filename or name, blob, part.headers.get("Content-Type")
                    )
            return payload, files
        if not request.can_read_body:
            return None, files
        raw = await request.read()
        return (_loads(raw) if raw else None), files

    async def _read_object(self, request: web.Request) -> tuple[JSON, dict[int, File]]:
        body, files = await self._read_body(request)
        if body is None:
            return {}, files
        if not isinstance(body, dict):
            errors = FormErrors()
            errors.add((), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            errors.raise_if_any()
        return body, files

    # ------------------------------------------------------------------ HTTP entry

    def _register_routes(self) -> None:
        def add(
            method: str,
            template: str,
            handler: _Handler,
            *,
            auth: bool = True,
            bucket: Literal["default", "channel"] = "default",
            global_limited: bool = True,
        ) -> None:
            regex = "^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template)) + "$"
            self._routes.append(
                _Route(method, template, re.compile(regex), handler, auth, bucket, global_limited)
            )

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

    async def _entry(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if path == "/gateway":
            return await self._ws_handler(request)
        if path.startswith("/attachments/"):
            return self._serve_attachment(path)
        match = re.match(r"^/api/v(9|10)(/.*)$", path)
        sub = match.group(2) if match else path
        response = await self._route(request, sub if match else None)
        self.stats.status[response.status] += 1
        if response.status in (401, 403, 429):
            self.stats.invalid_requests += 1
        response.headers.setdefault("Via", "1.1 google")
        self._notify()
        return response

    def _serve_attachment(self, path: str) -> web.StreamResponse:
        parts = path.split("/")
        if len(parts) >= 4 and parts[3].isdigit() and int(parts[3]) in self._attachments:
            return web.Response(
                body=self._attachments[int(parts[3])], content_type="application/octet-stream"
            )
        return web.Response(status=404, text="Not Found")

    def _match(self, method: str, sub: str) -> tuple[_Route | None, dict[str, str], bool]:
        path_known = False
        for route in self._routes:
            found = route.pattern.match(sub)
            if found is None:
                continue
            path_known = True
            if route.method == method:
                return route, found.groupdict(), True
        return None, {}, path_known

    async def _route(self, request: web.Request, sub: str | None) -> web.Response:
        method = request.method
        route, params, path_known = (None, {}, False) if sub is None else self._match(method, sub)
        if route is None:
            if path_known:
                self.stats.requests[f"{method} {sub}"] += 1
                return _json_response({"message": "405: Method Not Allowed", "code": 0}, 405)
            self.stats.requests[f"{method} {request.path}"] += 1
            self.stats.unknown_routes.append(f"{method} {request.path}")
            _log.warning("FakeDiscord has no route for %s %s", method, request.path)
            return _json_response({"message": "404: Not Found", "code": 0}, 404)
        self.stats.requests[f"{method} {route.template}"] += 1
        call = _Call(request, route, params)
        now = self.clock()
        if route.auth and request.headers.get("Authorization") != f"Bot {self.token}":
            return _json_response({"message": "401: Unauthorized", "code": 0}, 401)
        if route.global_limited and self.global_rate is not None:
            limited = self._global_limit(now)
            if limited is not None:
                return limited
        injected = self._injected_failure(route, params)
        if injected is not None:
            return injected
        bucket = self._bucket_for(route, params)
        if not bucket.take(now):
            return self._rate_limited(bucket, now)
        try:
            response = await route.handler(call)
        except ApiError as exc:
            response = (
                _json_response(exc.body, exc.status)
                if isinstance(exc.body, dict)
                else web.Response(status=exc.status, text=exc.body)
            )
            response.headers.update(exc.headers)
        assert isinstance(response, web.Response)
        response.headers.update(bucket.headers(self.clock()))
        return response

    def _global_limit(self, now: float) -> web.Response | None:
        if self._global_bucket is None:
            assert self.global_rate is not None
            if self.global_rate >= 1:
                limit, per = int(self.global_rate), 1.0
            else:
                limit, per = 1, 1.0 / self.global_rate
            self._global_bucket = _Bucket(limit, per, "global")
        if self._global_bucket.take(now):
            return None
        retry_after = _ceil3(self._global_bucket.reset_after(now))
        return _json_response(
            {
                "message": "You are being rate limited.",
                "retry_after": retry_after,
                "global": True,
                "code": 0,
            },
            429,
            headers={
                "Retry-After": str(math.ceil(retry_after)),
                "X-RateLimit-Global": "true",
                "X-RateLimit-Scope": "global",
            },
        )

    def _bucket_for(self, route: _Route, params: dict[str, str]) -> _Bucket:
        major = "+".join(
            params[k]
            for k in (
                "channel_id",
                "guild_id",
                "interaction_id",
                "application_id",
                "interaction_token",
            )
            if k in params
        )
        key = (f"{route.method} {route.template}", major)
        bucket = self._buckets.get(key)
        if bucket is None:
            if route.bucket == "channel" and self.channel_bucket is not None:
                limit, per = self.channel_bucket
            elif route.bucket == "channel":
                limit, per = 10_000, 1.0
            else:
                limit, per = self.default_bucket
            key_hash = hashlib.md5(key[0].encode()).hexdigest()
            bucket = self._buckets[key] = _Bucket(limit, per, key_hash)
        return bucket

    def _rate_limited(self, bucket: _Bucket, now: float) -> web.Response:
        retry_after = _ceil3(bucket.reset_after(now))
        headers = bucket.headers(now)
        headers.update({"Retry-After": str(math.ceil(retry_after)), "X-RateLimit-Scope": "user"})
        return _json_response(
            {"message": "You are being rate limited.", "retry_after": retry_after, "global": False},
            429,
            headers=headers,
        )

    def _injected_failure(self, route: _Route, params: dict[str, str]) -> web.Response | None:
        if route.template.startswith("/channels/"):
            kind, raw = "channel", params["channel_id"]
        elif route.template.startswith("/guilds/"):
            kind, raw = "guild", params["guild_id"]
        else:
            return None
        queue = self._failures.get((kind, int(raw))) if raw.isdigit() else None
        if not queue:
            return None
        failure = queue.popleft()
        if failure.status == 429:
            retry_after = _ceil3(failure.retry_after)
            return _json_response(
                {
                    "message": "You are being rate limited.",
                    "retry_after": retry_after,
                    "global": False,
                },
                429,
                headers={
                    "Retry-After": str(math.ceil(retry_after)),
                    "X-RateLimit-Scope": "user",
                    "X-RateLimit-Limit": "5",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset-After": f"{retry_after:.3f}",
                    "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
                    "X-RateLimit-Bucket": hashlib.md5(
                        f"{route.method} {route.template}".encode()
                    ).hexdigest(),
                },
            )
        if failure.status == 403:
            return _json_response({"message": "Missing Permissions", "code": 50013}, 403)
        if failure.status == 404 and kind == "guild":
            return _json_response({"message": "Unknown Guild", "code": 10004}, 404)
        if failure.status == 404:
            return _json_response({"message": "Unknown Channel", "code": 10003}, 404)
        if failure.status == 500:
            return _json_response({"message": "500: Internal Server Error", "code": 0}, 500)
        if failure.status == 503:
            # Discord's edge proxy answers this itself: plain text, no rate-limit headers.
            return web.Response(
                status=503,
                text="upstream connect error or disconnect/reset before headers. "
                "reset reason: connection termination",
                content_type="text/plain",
            )
        return web.Response(
            status=502,
            text="<html><head><title>502 Bad Gateway</title></head>"
            "<body>502 Bad Gateway</body></html>",
            content_type="text/html",
        )

    # ------------------------------------------------------------------ REST: identity

    async def _h_gateway(self, call: _Call) -> web.Response:
        return _json_response({"url": self.gateway_url})

    async def _h_gateway_bot(self, call: _Call) -> web.Response:
        return _json_response(
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

    async def _h_me(self, call: _Call) -> web.Response:
        me = self._user(self.bot_user_id)
        me.update({"verified": True, "mfa_enabled": False, "locale": "en-US", "email": None})
        return _json_response(me)

    async def _h_user(self, call: _Call) -> web.Response:
        user_id = call.snowflake("user_id")
        if user_id not in self._users:
            raise unknown("User", 10013)
        return _json_response(self._user(user_id))

    async def _h_application(self, call: _Call) -> web.Response:
        owner_id = next(iter(g.owner_id for g in self._guilds.values()), self.bot_user_id + 1)
        owner = self._users.get(owner_id) or self._make_user(owner_id, "owner")
        return _json_response(
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
                "flags": self._application_flags(),
                "owner": copy.deepcopy(owner),
                "team": None,
                "bot": self._user(self.bot_user_id),
                "redirect_uris": [],
                "interactions_endpoint_url": None,
                "approximate_guild_count": sum(g.bot_present for g in self._guilds.values()),
                "integration_types_config": {"0": {}},
            }
        )

    # ------------------------------------------------------------------ REST: commands

    def _commands_scope(self, call: _Call) -> int | None:
        if call.snowflake("application_id") != self.application_id:
            raise missing_access()
        if "guild_id" not in call.params:
            return None
        guild_id = call.snowflake("guild_id")
        guild = self._guilds.get(guild_id)
        if guild is None or not guild.bot_present:
            raise missing_access()
        return guild_id

    async def _h_get_commands(self, call: _Call) -> web.Response:
        scope = self._commands_scope(call)
        return _json_response(copy.deepcopy(self.commands.get(scope, [])))

    async def _h_put_commands(self, call: _Call) -> web.Response:
        scope = self._commands_scope(call)
        body, _ = await self._read_body(call.request)
        if not isinstance(body, list):
            errors = FormErrors()
            errors.add((), "BASE_TYPE_ARRAY", "Must be an array.")
            errors.raise_if_any()
        assert isinstance(body, list)
        validate_commands(body)
        version = str(self._next_id())
        stored: list[JSON] = []
        for raw in body:
            command = copy.deepcopy(raw)
            type_ = int(command.get("type", 1))
            key = (scope, type_, command["name"])
            command_id = self._command_ids.get(key) or self._next_id()
            self._command_ids[key] = command_id
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
        self._notify()
        return _json_response(copy.deepcopy(stored))

    # ------------------------------------------------------------------ REST: interactions

    def _interaction_by_token(self, call: _Call) -> Interaction:
        token = call.params["interaction_token"]
        if call.params["application_id"] != str(self.application_id):
            raise unknown("Webhook", 10015)
        for interaction in self.interactions.values():
            if interaction.token == token:
                return interaction
        raise unknown("Webhook", 10015)

    async def _h_callback(self, call: _Call) -> web.Response:
        interaction = self.interactions.get(call.snowflake("interaction_id"))
        if interaction is None or interaction.token != call.params["interaction_token"]:
            raise error(404, 10062, "Unknown interaction")
        if interaction.responses:
            raise error(400, 40060, "Interaction has already been acknowledged.")
        if self.clock() - interaction.created_at > self.interaction_ack_timeout:
            raise error(404, 10062, "Unknown interaction")
        payload, files = await self._read_object(call.request)
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
        channel = self._channels.get(interaction.channel_id) or Channel(
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
            target = self._messages_by_id.get(interaction.component_message_id or 0)
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
        self._notify()
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
        return _json_response(body)

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

    async def _h_followup(self, call: _Call) -> web.Response:
        interaction = self._interaction_by_token(call)
        if not interaction.responses:
            raise unknown("Webhook", 10015)
        payload, files = await self._read_object(call.request)
        validate_message(payload, has_files=bool(files), partial=False)
        original = interaction.original
        if original is not None and int(original.get("flags") or 0) & 128:
            # The first followup after a deferral replaces the "thinking" message.
            edit = {k: v for k, v in payload.items() if k != "flags"}
            edit["flags"] = int(original["flags"]) & ~128
            self._apply_edit(original, edit, files)
            record = original
        else:
            channel = self._channels.get(interaction.channel_id) or Channel(
                interaction.channel_id, "", 0, interaction.guild_id
            )
            ephemeral = bool(int(payload.get("flags") or 0) & 64)
            record = self._create_record(
                channel, payload, files, interaction=interaction, store_in_channel=not ephemeral
            )
        interaction.followups.append(record)
        self._notify()
        if not call.flag("wait"):
            return web.Response(status=204)
        return _json_response(self._message_json(record))

    async def _h_webhook_message(self, call: _Call) -> web.Response:
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
            return _json_response(self._message_json(record))
        if method == "DELETE":
            self._delete_record(record)
            return web.Response(status=204)
        payload, files = await self._read_object(call.request)
        validate_message(payload, has_files=bool(files), partial=True)
        edit = dict(payload)
        edit.pop("flags", None)
        flags = int(record.get("flags") or 0)
        if flags & 128:
            edit["flags"] = flags & ~128
        self._apply_edit(record, edit, files)
        check_not_empty_after_edit(record)
        return _json_response(self._message_json(record))

    def _delete_record(self, record: JSON) -> None:
        record["deleted"] = True
        channel = self._channels.get(record["channel_id"])
        if (
            channel is not None
            and channel.guild_id is not None
            and not int(record.get("flags") or 0) & 64
        ):
            self._emit_guild(
                channel.guild_id,
                "MESSAGE_DELETE",
                {
                    "id": str(record["id"]),
                    "channel_id": str(channel.id),
                    "guild_id": str(channel.guild_id),
                },
                intent=Intent.GUILD_MESSAGES,
            )
        self._notify()

    # ------------------------------------------------------------------ REST: channels

    async def _h_get_channel(self, call: _Call) -> web.Response:
        _, channel = self._channel_for_bot(call.snowflake("channel_id"))
        data = channel.to_json()
        if channel.recipient_id is not None:
            data["recipients"] = [self._user(channel.recipient_id)]
        return _json_response(data)

    async def _h_send_message(self, call: _Call) -> web.Response:
        guild, channel = self._channel_for_bot(call.snowflake("channel_id"))
        payload, files = await self._read_object(call.request)
        if guild is not None:
            perms = self._channel_permissions(guild, channel, self.bot_user_id)
            if not perms & Permission.SEND_MESSAGES:
                raise missing_permissions()
            if files and not perms & Permission.ATTACH_FILES:
                raise missing_permissions()
        elif channel.recipient_id in self._dm_blocked:
            raise error(403, 50007, "Cannot send messages to this user")
        validate_message(payload, has_files=bool(files), partial=False)
        nonce = payload.get("nonce")
        key = (channel.id, str(nonce))
        if nonce is not None and payload.get("enforce_nonce"):
            seen = self._nonces.get(key)
            earlier = self._messages_by_id.get(seen[1]) if seen else None
            if seen and earlier and self.clock() - seen[0] < self.nonce_window:
                # Discord: the same author's message with this nonce is returned, not made.
                return _json_response(self._message_json(earlier))
        message_type = 19 if payload.get("message_reference") else 0
        record = self._create_record(channel, payload, files, message_type=message_type)
        if nonce is not None:
            self._nonces[key] = (self.clock(), record["id"])
        if self._lose_response[channel.id] > 0:
            self._lose_response[channel.id] -= 1
            assert call.request.transport is not None
            call.request.transport.close()  # the post exists; its answer never arrives
        return _json_response(self._message_json(record))

    def _channel_record(self, call: _Call) -> tuple[Channel, JSON]:
        _, channel = self._channel_for_bot(call.snowflake("channel_id"))
        record = self._messages_by_id.get(call.snowflake("message_id"))
        if record is None or record["channel_id"] != channel.id or record.get("deleted"):
            raise unknown("Message", 10008)
        if int(record.get("flags") or 0) & 64:
            raise unknown("Message", 10008)
        return channel, record

    async def _h_get_message(self, call: _Call) -> web.Response:
        _, record = self._channel_record(call)
        return _json_response(self._message_json(record))

    async def _h_list_messages(self, call: _Call) -> web.Response:
        _, channel = self._channel_for_bot(call.snowflake("channel_id"))
        pool = (
            self.dms[channel.recipient_id]
            if channel.recipient_id is not None
            else self.messages.get(channel.id, [])
        )
        limit = int(call.request.query.get("limit", "50"))
        visible = [r for r in reversed(pool) if not r.get("deleted")][:limit]
        return _json_response([self._message_json(r) for r in visible])

    async def _h_edit_message(self, call: _Call) -> web.Response:
        _, record = self._channel_record(call)
        payload, files = await self._read_object(call.request)
        validate_message(payload, has_files=bool(files), partial=True)
        self._apply_edit(record, payload, files)
        check_not_empty_after_edit(record)
        return _json_response(self._message_json(record))

    async def _h_delete_message(self, call: _Call) -> web.Response:
        _, record = self._channel_record(call)
        self._delete_record(record)
        return web.Response(status=204)

    async def _h_create_dm(self, call: _Call) -> web.Response:
        payload, _ = await self._read_object(call.request)
        raw = payload.get("recipient_id")
        user_id = int(raw) if raw is not None and str(raw).isdigit() else None
        if user_id is None or user_id not in self._users or user_id == self.bot_user_id:
            raise error(400, 50033, "Invalid Recipient(s)")
        return _json_response(self._dm_channel_json(self._dm_channel(user_id)))

    # ------------------------------------------------------------------ REST: guilds

    def _guild_for_bot(self, call: _Call) -> Guild:
        guild = self._guilds.get(call.snowflake("guild_id"))
        if guild is None:
            raise unknown("Guild", 10004)
        if not guild.bot_present:
            raise missing_access()
        return guild

    async def _h_get_guild(self, call: _Call) -> web.Response:
        guild = self._guild_for_bot(call)
        data = self._guild_json(guild, full=False)
        if call.flag("with_counts"):
            data["approximate_member_count"] = len(guild.members)
            data["approximate_presence_count"] = 0
        return _json_response(data)

    async def _h_guild_channels(self, call: _Call) -> web.Response:
        guild = self._guild_for_bot(call)
        return _json_response([c.to_json() for c in guild.channels.values()])

    async def _h_guild_roles(self, call: _Call) -> web.Response:
        guild = self._guild_for_bot(call)
        return _json_response([r.to_json() for r in guild.roles.values()])

    async def _h_get_member(self, call: _Call) -> web.Response:
        guild = self._guild_for_bot(call)
        member = guild.members.get(call.snowflake("user_id"))
        if member is None:
            raise unknown("Member", 10007)
        return _json_response(self._member_json(guild, member))

    async def _h_member_role(self, call: _Call) -> web.Response:
        guild = self._guild_for_bot(call)
        user_id = call.snowflake("user_id")
        role_id = call.snowflake("role_id")
        member = guild.members.get(user_id)
        if member is None:
            raise unknown("Member", 10007)
        role = guild.roles.get(role_id)
        if role is None:
            raise unknown("Role", 10011)
        bot_perms = self._base_permissions(guild, self.bot_user_id)
        if not bot_perms & Permission.MANAGE_ROLES:
            raise missing_permissions()
        if role.managed or role.id == guild.id or role.position >= self._bot_role(guild).position:
            raise missing_permissions()
        action = "add" if call.request.method == "PUT" else "remove"
        if action == "add" and role_id not in member.roles:
            member.roles.append(role_id)
        elif action == "remove" and role_id in member.roles:
            member.roles.remove(role_id)
        self.role_changes.append((action, guild.id, user_id, role_id))
        data = self._member_json(guild, member)
        data["guild_id"] = str(guild.id)
        self._emit_guild(guild.id, "GUILD_MEMBER_UPDATE", data, intent=Intent.GUILD_MEMBERS)
        self._notify()
        return web.Response(status=204)

    # ------------------------------------------------------------------ REST: scheduled events

    def _event_for(self, call: _Call) -> tuple[Guild, JSON]:
        guild = self._guild_for_bot(call)
        event = self.scheduled_events[guild.id].get(call.snowflake("event_id"))
        if event is None:
            raise unknown("Guild Scheduled Event", 10070)
        return guild, event

    def _check_event_permissions(self, guild: Guild, event: JSON | None = None) -> None:
        """Create Events covers creating and the bot's own events; Manage Events all."""
        perms = self._base_permissions(guild, self.bot_user_id)
        needed = Permission.MANAGE_EVENTS
        if event is None or event.get("creator_id") == str(self.bot_user_id):
            needed |= Permission.CREATE_EVENTS
        if not perms & needed:
            raise missing_permissions()

    def _active_events(self, guild: Guild) -> int:
        events = self.scheduled_events[guild.id].values()
        return sum(1 for e in events if e.get("status") in ACTIVE_EVENT_STATUSES)

    def _new_event(self, guild: Guild, creator_id: int, payload: JSON) -> JSON:
        return {
            "id": str(self._next_id()),
            "guild_id": str(guild.id),
            "channel_id": payload.get("channel_id"),
            "creator_id": str(creator_id),
            "creator": self._user(creator_id),
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

    def _store_event(self, guild: Guild, event: JSON) -> None:
        self._normalise_event_times(event)
        self.scheduled_events[guild.id][int(event["id"])] = event
        self._emit_guild(
            guild.id, "GUILD_SCHEDULED_EVENT_CREATE", event, intent=Intent.GUILD_SCHEDULED_EVENTS
        )
        self._notify()

    def _normalise_event_times(self, event: JSON) -> None:
        for key in ("scheduled_start_time", "scheduled_end_time"):
            parsed = parse_time(event.get(key))
            if parsed is not None:
                event[key] = parsed.isoformat()

    async def _h_create_event(self, call: _Call) -> web.Response:
        guild = self._guild_for_bot(call)
        self._check_event_permissions(guild)
        payload, _ = await self._read_object(call.request)
        event = self._new_event(guild, self.bot_user_id, payload)
        errors = FormErrors()
        validate_event(guild, event, set(payload), errors, self.now)
        errors.raise_if_any()
        if self._active_events(guild) >= MAX_SCHEDULED_EVENTS:
            raise error(
                400, 30038, "Maximum number of uncompleted guild scheduled events reached (100)"
            )
        self._store_event(guild, event)
        self.scheduled_event_changes.append(("create", guild.id, copy.deepcopy(event)))
        return _json_response(copy.deepcopy(event))

    async def _h_list_events(self, call: _Call) -> web.Response:
        guild = self._guild_for_bot(call)
        events = [copy.deepcopy(e) for e in self.scheduled_events[guild.id].values()]
        if call.flag("with_user_count"):
            for event in events:
                event["user_count"] = 0
        return _json_response(events)

    async def _h_get_event(self, call: _Call) -> web.Response:
        _, event = self._event_for(call)
        data = copy.deepcopy(event)
        if call.flag("with_user_count"):
            data["user_count"] = 0
        return _json_response(data)

    async def _h_modify_event(self, call: _Call) -> web.Response:
        guild, event = self._event_for(call)
        self._check_event_permissions(guild, event)
        payload, _ = await self._read_object(call.request)
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
        self._normalise_event_times(updated)
        event.clear()
        event.update(updated)
        self.scheduled_event_changes.append(("modify", guild.id, copy.deepcopy(event)))
        self._emit_guild(
            guild.id, "GUILD_SCHEDULED_EVENT_UPDATE", event, intent=Intent.GUILD_SCHEDULED_EVENTS
        )
        self._notify()
        return _json_response(copy.deepcopy(event))

    async def _h_delete_event(self, call: _Call) -> web.Response:
        guild, event = self._event_for(call)
        self._check_event_permissions(guild, event)
        del self.scheduled_events[guild.id][int(event["id"])]
        self.scheduled_event_changes.append(("delete", guild.id, copy.deepcopy(event)))
        self._emit_guild(
            guild.id, "GUILD_SCHEDULED_EVENT_DELETE", event, intent=Intent.GUILD_SCHEDULED_EVENTS
        )
        self._notify()
        return web.Response(status=204)


# --------------------------------------------------------------------------- module helpers


def _json_response(
    body: Any, status: int = 200, *, headers: Mapping[str, str] | None = None
) -> web.Response:
    # discord.py compares Content-Type to exactly "application/json" (no charset).
    return web.Response(
        status=status,
        body=json.dumps(body).encode(),
        content_type="application/json",
        headers=dict(headers or {}),
    )


def _loads(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        raise error(400, 50109, "The request body contains invalid JSON.") from None


def _guess_type(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def _walk_components(components: Iterable[Any]) -> Iterator[JSON]:
    for component in components:
        if not isinstance(component, dict):
            continue
        yield component
        for key in ("components", "accessory"):
            child = component.get(key)
            if isinstance(child, list):
                yield from _walk_components(child)
            elif isinstance(child, dict):
                yield from _walk_components([child])


def _find_component(components: list[Any], custom_id: str) -> JSON | None:
    return next((c for c in _walk_components(components) if c.get("custom_id") == custom_id), None)


def _number_components(components: list[Any]) -> None:
    """Discord assigns every component a numeric ``id`` in responses."""
    used = {c["id"] for c in _walk_components(components) if isinstance(c.get("id"), int)}
    counter = 1
    for component in _walk_components(components):
        if "id" not in component:
            while counter in used:
                counter += 1
            component["id"] = counter
            used.add(counter)
