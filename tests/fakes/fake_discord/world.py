"""The shared state of the fake: settings, guilds, users, records, ids and waiting."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tests.fakes.fake_discord.gateway import Gateway, Intent
from tests.fakes.fake_discord.interaction import Interaction
from tests.fakes.fake_discord.model import JSON, Channel, Guild, Member, Role

DISCORD_EPOCH_MS = 1420070400000


@dataclass
class FakeStats:
    """Request accounting, e.g. to assert that the bot never tripped a rate limit."""

    requests: Counter[str] = field(default_factory=Counter)
    status: Counter[int] = field(default_factory=Counter)
    invalid_requests: int = 0
    unknown_routes: list[str] = field(default_factory=list)
    #: (method, path) of every routed request, in the order they came.
    calls: list[tuple[str, str]] = field(default_factory=list)


class World:
    """Everything the fake knows: its settings, the guilds and users, what the bot did.

    Why one object: every part of the fake (gateway, REST routes, rate limits) reads
    and changes the same world, and tests set its knobs (``now``, ``global_rate``...)
    on the FakeDiscord, which is this world.  The gateway lives here because every
    change to the world is also a gateway event.
    """

    def __init__(
        self,
        *,
        token: str,
        application_id: int,
        global_rate: float | None,
        channel_bucket: tuple[int, float] | None,
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
        #: Events an admin deletes right after the bot's next list of a guild's events.
        self.hand_deletions: dict[int, list[int]] = defaultdict(list)
        self.commands: dict[int | None, list[JSON]] = {}
        self.command_syncs: list[tuple[int | None, list[str]]] = []
        self.interactions: dict[int, Interaction] = {}
        self.stats = FakeStats()
        self.gateway_queries: list[dict[str, str]] = []

        self.guilds: dict[int, Guild] = {}
        self.users: dict[int, JSON] = {}
        self.channels: dict[int, Channel] = {}
        self.deleted_channels: set[int] = set()
        #: (channel, nonce) -> (when, message id) for ``enforce_nonce`` sends.
        self.nonces: dict[tuple[int, str], tuple[float, int]] = {}
        self.lose_response: Counter[int] = Counter()
        self.nonce_window = 300.0
        self.dm_channels: dict[int, int] = {}
        self.dm_blocked: set[int] = set()
        self.messages_by_id: dict[int, JSON] = {}
        #: Pinned message ids per channel, oldest first.
        self.pins: dict[int, list[int]] = defaultdict(list)
        self.attachments: dict[int, bytes] = {}
        self.command_ids: dict[tuple[int | None, int, str], int] = {}
        self._last_id = 0
        self.gateway = Gateway(self)
        self._changed: asyncio.Event | None = None
        self.users[self.bot_user_id] = self.make_user(self.bot_user_id, self.bot_name, bot=True)

    @property
    def gateway_url(self) -> str:
        """The websocket URL handed out by ``/gateway`` and READY."""
        return self.url.replace("http://", "ws://", 1) + "/gateway"

    def next_id(self) -> int:
        """Real-looking snowflakes so ``created_at`` on discord.py objects is sane."""
        candidate = ((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) | (1 << 17)
        self._last_id = max(candidate, self._last_id + 1)
        return self._last_id

    def notify(self) -> None:
        """Wake everything waiting for a change in the world."""
        if self._changed is not None:
            self._changed.set()
            self._changed = asyncio.Event()

    async def wait_for(self, predicate: Callable[[], bool], timeout: float, what: str) -> None:  # noqa: ASYNC109
        # Real loop time, not self.clock: tests may freeze the server clock.
        """Wait until ``predicate`` holds, or raise TimeoutError naming ``what``."""
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

    def make_user(self, user_id: int, name: str, *, bot: bool = False) -> JSON:
        """A user object as Discord renders it."""
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

    def user(self, user_id: int) -> JSON:
        """A copy of a known user's object, safe to hand out."""
        return copy.deepcopy(self.users[user_id])

    def guild(self, guild_id: int) -> Guild:
        """A guild the test created; a clear KeyError otherwise."""
        try:
            return self.guilds[guild_id]
        except KeyError:
            raise KeyError(f"unknown guild {guild_id}; call add_guild() first") from None

    def bot_role(self, guild: Guild) -> Role:
        """The bot's managed role in a guild."""
        member = guild.members[self.bot_user_id]
        return guild.roles[member.roles[0]]

    def member_json(self, guild: Guild, member: Member, *, with_user: bool = True) -> JSON:
        """A guild member as Discord renders it."""
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
            data["user"] = self.user(member.user_id)
        return data

    def guild_json(self, guild: Guild, *, full: bool) -> JSON:
        """A guild object; ``full`` adds what GUILD_CREATE carries."""
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
                    "members": [self.member_json(guild, m) for m in guild.members.values()],
                    "channels": [c.to_json() for c in guild.channels.values()],
                    "threads": [],
                    "presences": [],
                    "stage_instances": [],
                    "guild_scheduled_events": list(self.scheduled_events[guild.id].values()),
                    "soundboard_sounds": [],
                }
            )
        return data

    def application_flags(self) -> int:
        """The application flags matching the privileged intents allowed."""
        flags = 1 << 23  # APPLICATION_COMMAND_BADGE
        if self.allowed_privileged_intents & Intent.GUILD_PRESENCES:
            flags |= 1 << 13
        if self.allowed_privileged_intents & Intent.GUILD_MEMBERS:
            flags |= 1 << 15
        if self.allowed_privileged_intents & Intent.MESSAGE_CONTENT:
            flags |= 1 << 19
        return flags

    def guild_channel(self, guild: Guild, channel_id: int) -> Channel:
        """A channel of a guild; a clear KeyError otherwise."""
        channel = guild.channels.get(channel_id)
        if channel is None:
            raise KeyError(f"unknown channel {channel_id} in guild {guild.id}")
        return channel

    def dm_channel(self, user_id: int) -> Channel:
        """The one DM channel between the bot and a user; the same id every time."""
        if user_id not in self.users or user_id == self.bot_user_id:
            raise KeyError(f"unknown user {user_id}; add_member() or add_user() first")
        channel_id = self.dm_channels.get(user_id)
        if channel_id is None:
            channel_id = self.next_id()
            self.dm_channels[user_id] = channel_id
            self.channels[channel_id] = Channel(channel_id, "", 1, recipient_id=user_id)
        return self.channels[channel_id]

    def dm_channel_json(self, channel: Channel) -> JSON:
        """A DM channel object, with its recipient."""
        assert channel.recipient_id is not None
        data = channel.to_json()
        data["recipients"] = [self.user(channel.recipient_id)]
        return data

    def start_waiting(self) -> None:
        """Create the change event inside the running loop (``start()`` does)."""
        self._changed = asyncio.Event()
