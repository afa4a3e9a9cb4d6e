"""The Discord adapter: lifecycle, outbound posts, roles, /setup and scheduled events.

Outbound posts go through ``client.get_partial_messageable`` so sending needs no cache;
discord.py's own failures are mapped onto the four delivery outcomes in ``base``.
Publish/Cancel buttons carry the draft token in their custom_id and are handled in
``on_interaction``, so they keep working across restarts (no view state to lose).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
from datetime import datetime
from typing import Any

import aiohttp
import discord
import discord.gateway
import discord.http
import yarl
from discord import app_commands

from bot.config import Config
from bot.core.audience import Target
from bot.core.clock import Clock
from bot.core.commands import Caller, Commands, Reply, confirm, say, text_reply
from bot.core.markup import Post
from bot.core.model import SessionRef
from bot.core.timeutil import SWEDISH_TIME
from bot.platforms.base import Limits, TargetGone
from bot.platforms.discord.errors import delivery_errors
from bot.platforms.discord.events import (
    MAX_GUILD_EVENTS,
    event_call,
    event_changes,
    event_marker,
    event_payload,
    weekend_sessions,
)
from bot.platforms.discord.render import (
    ABORT_PREFIX,
    CONFIRM_PREFIX,
    CONTENT_MAX,
    clip,
    confirm_view,
    link_view,
    render_embed,
    render_lines,
)
from bot.platforms.discord.slash import SwedishTranslator, register_commands
from bot.platforms.discord.texts import NO_PERMISSION, ROLE_TEXTS, lang

log = logging.getLogger(__name__)

PLATFORM = "discord"
ADMIN_MARK = "admin:"


def setup_title(channel_name: str, admin_id: int) -> str:
    """The subscription title /setup stores: the channel's name and who set it up."""
    return f"#{channel_name} · {ADMIN_MARK}{admin_id}"


def parse_setup_title(title: str | None) -> tuple[str | None, int | None]:
    """(``#channel``, admin user id) from a title ``setup_title`` wrote; None where absent."""
    if not title:
        return None, None
    name, _, rest = title.partition(" · ")
    admin = rest.removeprefix(ADMIN_MARK) if rest.startswith(ADMIN_MARK) else ""
    return (name if name.startswith("#") else None), (int(admin) if admin.isdigit() else None)


def _gateway_for(api_base: str) -> yarl.URL:
    """The gateway next to a custom REST base (a local fake or proxy): ws(s)://host/gateway."""
    url = yarl.URL(api_base)
    scheme = "wss" if url.scheme == "https" else "ws"
    return url.with_scheme(scheme).with_path("/gateway").with_query(None)


@contextlib.contextmanager
def _patched_endpoints(api_base: str) -> Any:
    """Point discord.py's REST base and default gateway elsewhere, restoring on exit."""
    route_cls = discord.http.Route
    ws_cls = discord.gateway.DiscordWebSocket
    old_base, old_gateway = route_cls.BASE, ws_cls.DEFAULT_GATEWAY
    route_cls.BASE = api_base.rstrip("/")
    ws_cls.DEFAULT_GATEWAY = _gateway_for(api_base)
    try:
        yield
    finally:
        route_cls.BASE = old_base
        ws_cls.DEFAULT_GATEWAY = old_gateway


class DiscordAdapter:
    """Sender + slash commands for one bot token."""

    name = PLATFORM

    def __init__(
        self,
        config: Config,
        clock: Clock,
        *,
        guild_ready_timeout: float = 2.0,
        ready_timeout: float = 30.0,
    ) -> None:
        self.config = config
        self.clock = clock
        self.limits = Limits(global_per_second=config.discord.global_rate)
        self.ready_timeout = ready_timeout
        self.client = discord.Client(
            intents=discord.Intents.default(),
            guild_ready_timeout=guild_ready_timeout,
            max_ratelimit_timeout=30.0,
        )
        self.tree: app_commands.CommandTree[discord.Client] = app_commands.CommandTree(self.client)
        self.commands: Commands | None = None
        self._task: asyncio.Task[None] | None = None
        self._patch: contextlib.ExitStack | None = None
        self._events_task: asyncio.Task[None] | None = None
        self._events_wanted = False
        self._closing = False
        #: Channels whose admin already heard that the bot may not post there.
        self._warned: set[str] = set()
        register_commands(self)
        self.client.event(self.on_interaction)

    # -- lifecycle ---------------------------------------------------------------------

    async def start(self, commands: Commands) -> None:
        self.commands = commands
        token = self.config.discord.token
        if not token:
            raise RuntimeError("discord: no token configured")
        self._patch = contextlib.ExitStack()
        if self.config.discord.api_base:
            self._patch.enter_context(_patched_endpoints(self.config.discord.api_base))
        try:
            await self.client.login(token)
            self._task = asyncio.create_task(self.client.connect(), name="discord-gateway")
            ready = asyncio.create_task(self.client.wait_until_ready())
            done, _ = await asyncio.wait(
                {ready, self._task}, timeout=self.ready_timeout, return_when="FIRST_COMPLETED"
            )
            if ready not in done:
                ready.cancel()
                if self._task in done:
                    self._task.result()  # raises the connect error
                raise TimeoutError("discord: gateway not ready in time")
            await self.tree.set_translator(SwedishTranslator())
            await self.tree.sync()
        except BaseException:
            await self.stop()
            raise
        commands.engine.on_change(self.request_event_sync)
        self.request_event_sync()

    async def stop(self) -> None:
        self._closing = True
        if self._events_task is not None:
            self._events_task.cancel()
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await self._events_task
            self._events_task = None
        with contextlib.suppress(Exception):
            await self.client.close()
        if self._task is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(self._task, 10)
            self._task = None
        if self._patch is not None:
            self._patch.close()
            self._patch = None

    # -- outbound ----------------------------------------------------------------------

    def _message_args(self, target: Target, post: Post) -> dict[str, Any]:
        ping = post.ping and target.role_id
        return {
            "content": f"<@&{int(target.role_id)}>" if ping and target.role_id else None,
            "embed": render_embed(post, target.tz),
            "allowed_mentions": discord.AllowedMentions(
                everyone=False,
                users=False,
                roles=[discord.Object(int(target.role_id))] if ping and target.role_id else False,
            ),
        }

    async def send(self, target: Target, post: Post) -> list[str]:
        channel = self.client.get_partial_messageable(int(target.chat_id))
        args = self._message_args(target, post)
        view = link_view(post)
        try:
            async with delivery_errors():
                if view is not None:
                    message = await channel.send(**args, view=view)
                else:
                    message = await channel.send(**args)
        except TargetGone as exc:
            await self._after_gone(target, exc)
            raise
        return [str(message.id)]

    async def edit(self, target: Target, message_ids: list[str], post: Post) -> list[str]:
        channel = self.client.get_partial_messageable(int(target.chat_id))
        args = self._message_args(target, post)
        try:
            async with delivery_errors():
                message = channel.get_partial_message(int(message_ids[0]))
                await message.edit(**args, view=link_view(post))
        except TargetGone as exc:
            await self._after_gone(target, exc)
            raise
        return message_ids[:1]

    async def _after_gone(self, target: Target, exc: TargetGone) -> None:
        """A server channel refused us (403): tell its admin once, by DM, how to fix it.

        The worker deactivates the channel, so nothing is sent there until /setup runs
        again; the in-memory set also keeps deliveries already in flight from repeating it.
        """
        if not isinstance(exc.__cause__, discord.Forbidden) or not target.guild_id:
            return
        if target.chat_id in self._warned:
            return
        self._warned.add(target.chat_id)
        channel_name, admin_id = parse_setup_title(target.title)
        if admin_id is None:
            guild = self.client.get_guild(int(target.guild_id))
            admin_id = guild.owner_id if guild is not None else None
        if admin_id is None:
            log.warning("discord: no admin to tell about channel %s", target.chat_id)
            return
        text = NO_PERMISSION[lang(target.language)].format(
            channel=channel_name or f"<#{target.chat_id}>"
        )
        try:
            dm = await self.client.create_dm(discord.Object(id=admin_id))
            await dm.send(text, allowed_mentions=discord.AllowedMentions.none())
        except (discord.HTTPException, aiohttp.ClientError, OSError) as error:
            log.warning("discord: could not tell admin %s about a channel: %s", admin_id, error)

    # -- guild scheduled events ---------------------------------------------------------

    def request_event_sync(self) -> None:
        """Bring every set-up guild's scheduled events up to date, soon (sync-safe)."""
        if self.commands is None or self._closing:
            return
        self._events_wanted = True
        if self._events_task is None or self._events_task.done():
            self._events_task = asyncio.create_task(self._event_sync_loop(), name="discord-events")

    async def _event_sync_loop(self) -> None:
        # One sync at a time; a request arriving meanwhile runs one more round afterwards.
        while self._events_wanted and not self._closing:
            self._events_wanted = False
            try:
                await self.sync_scheduled_events()
            except Exception:
                log.exception("discord: scheduled event sync failed")

    async def sync_scheduled_events(self) -> None:
        assert self.commands is not None
        now = self.clock.now()
        weekend = weekend_sessions(self.commands.engine.upcoming(now), now, MAX_GUILD_EVENTS)
        guilds: dict[str, list[Target]] = {}
        for target in await self.commands.store.targets():
            if target.platform == PLATFORM and target.guild_id:
                guilds.setdefault(target.guild_id, []).append(target)
        for guild_id, targets in guilds.items():
            if any(t.series is None for t in targets):
                wanted = weekend
            else:
                series = {s for t in targets for s in t.series or ()}
                wanted = [r for r in weekend if r.series.id in series]
            language = "sv" if any(t.language != "en" for t in targets) else "en"
            try:
                await self._sync_guild_events(int(guild_id), wanted, language, now)
            except discord.HTTPException as exc:
                log.warning("discord: scheduled events in guild %s: %s", guild_id, exc)

    async def _sync_guild_events(
        self, guild_id: int, wanted: list[SessionRef], language: str, now: datetime
    ) -> None:
        http = self.client.http
        existing = await http.get_scheduled_events(guild_id, False)
        ours: dict[str, dict[str, Any]] = {}
        for raw in existing:
            event: dict[str, Any] = dict(raw)
            key = event_marker(event)
            if key is None:
                continue
            if key in ours:  # a duplicate (e.g. two bot processes): keep one
                await http.delete_scheduled_event(guild_id, event["id"])
                continue
            ours[key] = event
        keys = {ref.key for ref in wanted}
        for key, event in ours.items():
            if key not in keys:
                await event_call(http.delete_scheduled_event(guild_id, event["id"]))
        for ref in wanted:
            payload = event_payload(ref, language)
            current = ours.get(ref.key)
            if current is None:
                if ref.session.start > now:
                    await event_call(http.create_guild_scheduled_event(guild_id, **payload))
                continue
            if int(current.get("status") or 1) != 1:
                continue  # started or finished: Discord no longer takes new times
            changes = event_changes(current, payload, now)
            if changes:
                await event_call(http.edit_scheduled_event(guild_id, current["id"], **changes))

    # -- inbound -----------------------------------------------------------------------

    def _is_staff(self, interaction: discord.Interaction) -> bool:
        if interaction.permissions.manage_guild:
            return True
        wanted = self.config.discord.staff_role
        user = interaction.user
        if not wanted or not isinstance(user, discord.Member):
            return False
        return any(wanted in (str(role.id), role.name) for role in user.roles)

    def caller(self, interaction: discord.Interaction) -> Caller:
        locale = str(interaction.locale.value if interaction.locale else "")
        in_guild = interaction.guild_id is not None
        return Caller(
            platform=PLATFORM,
            chat_id=str(interaction.channel_id),
            user_id=str(interaction.user.id),
            user_name=interaction.user.display_name,
            chat_kind="channel" if in_guild else "private",
            language="en" if locale.startswith("en") else "sv",
            is_chat_admin=bool(interaction.permissions.manage_guild) or not in_guild,
            is_staff=self._is_staff(interaction),
            guild_id=str(interaction.guild_id) if in_guild else None,
        )

    async def run(self, interaction: discord.Interaction, name: str, args: str = "") -> None:
        assert self.commands is not None
        caller = self.caller(interaction)
        reply = await self.commands.handle(caller, name, args)
        await self.respond(interaction, reply, caller)

    async def respond(self, interaction: discord.Interaction, reply: Reply, caller: Caller) -> None:
        post = reply.post
        kwargs: dict[str, Any] = {
            "ephemeral": reply.private,
            "allowed_mentions": discord.AllowedMentions.none(),
        }
        if post.title or post.color is not None:
            kwargs["embed"] = render_embed(post)
        else:
            kwargs["content"] = clip(render_lines(post.lines, SWEDISH_TIME, post.language), 2000)
        view = (
            confirm_view(reply.confirm, caller.language, post) if reply.confirm else link_view(post)
        )
        if view is not None:
            kwargs["view"] = view
        if reply.attachment is not None:
            filename, data, _mime = reply.attachment
            kwargs["file"] = discord.File(io.BytesIO(data), filename)
        await interaction.response.send_message(**kwargs)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Publish/Cancel buttons on staff drafts (the tree handles slash commands)."""
        if interaction.type is not discord.InteractionType.component or self.commands is None:
            return
        data: dict[str, Any] = dict(interaction.data or {})
        custom_id = str(data.get("custom_id", ""))
        if not custom_id.startswith((CONFIRM_PREFIX, ABORT_PREFIX)):
            return
        caller = self.caller(interaction)
        token = custom_id.removeprefix(CONFIRM_PREFIX).removeprefix(ABORT_PREFIX)
        if custom_id.startswith(CONFIRM_PREFIX):
            reply = await confirm(self.commands, caller, token)
        else:
            reply = await self.commands.handle(caller, "abort", token)
        text = render_lines(reply.post.lines, SWEDISH_TIME, reply.post.language)
        await interaction.response.edit_message(content=clip(text, CONTENT_MAX), view=None)

    async def alert_role(self, guild_id: int) -> str | None:
        """The role /setup stored for this guild's reminder channel, if any."""
        assert self.commands is not None
        for target in await self.commands.store.targets():
            if target.platform == PLATFORM and target.guild_id == str(guild_id) and target.role_id:
                return target.role_id
        return None

    async def toggle_alert_role(
        self, interaction: discord.Interaction, choices: str, *, add: bool
    ) -> bool:
        """/subscribe and /unsubscribe for a fan in a server: give or take the alert role.

        False (the caller runs the channel command instead) outside servers, for admins
        naming series or sessions, and where /setup stored no role.
        """
        if interaction.guild_id is None:
            return False
        if interaction.permissions.manage_guild and choices.strip():
            return False
        role_id = await self.alert_role(interaction.guild_id)
        if role_id is None:
            return False
        caller = self.caller(interaction)
        texts = ROLE_TEXTS[lang(caller.language)]
        role = interaction.guild.get_role(int(role_id)) if interaction.guild else None
        role_name = f"@{role.name}" if role is not None else f"<@&{role_id}>"
        http = self.client.http
        change = http.add_role if add else http.remove_role
        try:
            await change(
                interaction.guild_id,
                interaction.user.id,
                int(role_id),
                reason="racebot /subscribe" if add else "racebot /unsubscribe",
            )
        except discord.Forbidden:
            text = texts["forbidden"].format(role=role_name)
        except discord.HTTPException as exc:
            log.warning("discord: role change in guild %s failed: %s", interaction.guild_id, exc)
            text = texts["failed"]
        else:
            text = texts["added" if add else "removed"].format(role=role_name)
        await self.respond(interaction, text_reply(text, caller.language, private=True), caller)
        return True

    async def setup_channel(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        role: discord.Role | None,
        language: str,
    ) -> None:
        assert self.commands is not None
        caller = self.caller(interaction)
        if interaction.guild_id is None or not interaction.permissions.manage_guild:
            reply = text_reply(say(caller.language, "admins_only"), caller.language, private=True)
            await self.respond(interaction, reply, caller)
            return
        await self.commands.store.subscribe(
            PLATFORM,
            str(channel.id),
            self.clock.now(),
            chat_kind="channel",
            role_id=str(role.id) if role else None,
            guild_id=str(interaction.guild_id),
            language=language,
            title=setup_title(channel.name, interaction.user.id),
        )
        self._warned.discard(str(channel.id))
        await self.commands.engine.rebuild()
        mention = f", {role.mention}" if role else ""
        text = f"{say(language, 'saved')} #{channel.name}{mention}, {language}"
        await self.respond(interaction, text_reply(text, language, private=True), caller)
        self.request_event_sync()
