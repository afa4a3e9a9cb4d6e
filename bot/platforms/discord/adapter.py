"""The Discord adapter: lifecycle, outbound posts, and the interactions it answers.

Outbound posts go through ``client.get_partial_messageable`` so sending needs no cache;
discord.py's own failures are mapped onto the four delivery outcomes in ``base``.

One send path: every REST call the bot makes on its own behalf takes a turn from the
adapter's ``budget`` (50/s global): outbox posts (the DeliveryWorker), welcome and admin
DMs and role changes first (``turn()``, a person is waiting), scheduled-event sync last.
discord.py itself keeps the per-route buckets and retries a 429 after ``retry_after``.
Interaction responses (the reply or defer due within 3 s, its edits and followups) do not
take a turn: Discord does not count interaction endpoints against the bot's global limit,
and making them wait behind a fan-out would break the 3 s deadline.
Publish/Cancel buttons carry the draft token in their custom_id and are handled in
``on_interaction``, so they keep working across restarts (no view state to lose).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import io
import logging
from collections.abc import Awaitable
from typing import Any

import aiohttp
import discord
import discord.gateway
import discord.http
from discord import app_commands

from bot.config import Config
from bot.core.audience import Target
from bot.core.clock import Clock
from bot.core.errors import PlatformError, PlatformUnreachable
from bot.core.markup import Post
from bot.core.texts import texts
from bot.platforms.base import Background, TargetGone
from bot.platforms.discord.access import missing_in, only_embeds_refused
from bot.platforms.discord.endpoints import nonce_for, patched_endpoints
from bot.platforms.discord.errors import UNKNOWN_MESSAGE, delivery_errors
from bot.platforms.discord.events import ScheduledEvents
from bot.platforms.discord.photos import with_photo
from bot.platforms.discord.pins import pin_preview
from bot.platforms.discord.render import (
    ABORT_PREFIX,
    CONFIRM_PREFIX,
    CONTENT_MAX,
    clip,
    confirm_view,
    link_view,
    message_args,
    render_embed,
    render_lines,
)
from bot.platforms.discord.servers import Servers
from bot.platforms.discord.slash import MENU, PUBLIC_ANSWERS, SwedishTranslator, register_commands
from bot.platforms.discord.texts import COMMAND_IDS
from bot.platforms.registry import platform
from bot.sendpath import ANSWER, ANSWER_USEFUL_FOR, RateBudget
from bot.service.commands import Commands
from bot.service.followups import answering
from bot.service.types import Caller, Reply, text_reply

log = logging.getLogger(__name__)

PLATFORM = "discord"


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
        self.limits = platform(PLATFORM).limits(config)
        self.budget = RateBudget(PLATFORM, self.limits.global_per_second)
        self.ready_timeout = ready_timeout
        self.client = discord.Client(
            intents=discord.Intents.default(),
            guild_ready_timeout=guild_ready_timeout,
            max_ratelimit_timeout=30.0,
        )
        self.tree: app_commands.CommandTree[discord.Client] = app_commands.CommandTree(self.client)
        self.tree.error(self.on_command_error)
        self.commands: Commands | None = None
        self.servers = Servers(self)
        self.background = Background()
        self.scheduled_events = ScheduledEvents(self.client, clock, PLATFORM, self.budget)
        self._task: asyncio.Task[None] | None = None
        self._patch: contextlib.ExitStack | None = None
        register_commands(self)
        for listener in (
            self.on_interaction,
            self.servers.on_guild_remove,
            self.servers.on_guild_channel_delete,
            self.servers.on_guild_role_delete,
        ):
            self.client.event(listener)

    # -- lifecycle ---------------------------------------------------------------------

    async def start(self, commands: Commands) -> None:
        self.commands = commands
        token = self.config.discord.token
        if not token:
            raise RuntimeError("discord: no token configured")
        if self.client.is_closed():  # a retry after a failed start: re-open the client
            self.client.clear()
            self.client.http.connector = discord.utils.MISSING  # closed with its session
        self._patch = contextlib.ExitStack()
        if self.config.discord.api_base:
            self._patch.enter_context(patched_endpoints(self.config.discord.api_base))
        try:
            await self._connect(token)
            await self.tree.set_translator(SwedishTranslator())
            synced = await self.tree.sync()
            COMMAND_IDS.clear()
            COMMAND_IDS.update({command.name: command.id for command in synced})
            commands.menus[PLATFORM] = MENU
            await self.servers.reconcile()
        except BaseException:
            await self.stop()
            raise
        self.scheduled_events.start(commands)

    async def _connect(self, token: str) -> None:
        """Log in and wait for READY; a refused token or no connection says so plainly."""
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
                raise PlatformUnreachable(
                    f"discord: the gateway was not ready within {self.ready_timeout:.0f} s",
                    "check the network and Discord's status; the bot may also be rate limited",
                )
        except discord.LoginFailure as exc:
            raise PlatformError(
                "discord: the token was refused",
                "check RACEBOT_DISCORD_TOKEN or [discord] token (Developer Portal → Bot)",
            ) from exc
        except (aiohttp.ClientError, OSError, discord.GatewayNotFound) as exc:
            raise PlatformUnreachable(
                f"discord: cannot reach Discord ({exc})",
                "check the network, or [discord] api_base",
            ) from exc

    async def stop(self) -> None:
        await self.scheduled_events.stop()
        await self.background.stop()
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

    async def send(self, target: Target, post: Post, *, key: str = "") -> list[str]:
        """Post as an embed; the delivery's key becomes an enforced nonce, so a retry
        after a lost answer gets the message already made instead of a second one."""
        channel = self.client.get_partial_messageable(int(target.chat_id))
        view = link_view(post)

        async def attempt(plain: bool) -> list[str]:
            args = await with_photo(self.commands, post, message_args(target, post, plain))
            if key:
                args["nonce"] = nonce_for(key)
            if post.silent:  # quiet hours: flag 4096, SUPPRESS_NOTIFICATIONS
                args["silent"] = True
            if view is not None:
                args["view"] = view
            return [str((await channel.send(**args)).id)]

        ids = await self._deliver(target, attempt)
        if post.pin:  # after the fan-out's turns, without holding up this delivery
            self.background.spawn(pin_preview(self, target, int(ids[0])), "discord-pin")
        return ids

    async def edit(self, target: Target, message_ids: list[str], post: Post) -> list[str]:
        """Edit the post in place; one a moderator deleted is posted again instead."""
        channel = self.client.get_partial_messageable(int(target.chat_id))

        async def attempt(plain: bool) -> list[str]:
            message = channel.get_partial_message(int(message_ids[0]))
            args = message_args(target, post, plain)
            if plain:
                args["embed"] = None  # drop the embed the first version had
            args = await with_photo(self.commands, post, args, edit=True)
            try:
                await message.edit(**args, view=link_view(post))
            except discord.NotFound as exc:
                if exc.code != UNKNOWN_MESSAGE:
                    raise
                return await self.send(target, post, key=f"{message_ids[0]}:again")
            return message_ids[:1]

        return await self._deliver(target, attempt)

    async def _deliver(self, target: Target, attempt: Any) -> list[str]:
        """One post or edit; a channel that refuses only embeds gets it as text instead
        (checked in the cache first, and again after a 403, when the cache has caught up)."""
        plain = only_embeds_refused(self.client, target.chat_id)
        try:
            try:
                async with delivery_errors():
                    done: list[str] = await attempt(plain)
            except TargetGone as exc:
                if plain or not isinstance(exc.__cause__, discord.Forbidden):
                    raise
                if not only_embeds_refused(self.client, target.chat_id):
                    raise
                plain = True
                async with delivery_errors():
                    done = await attempt(plain)
        except TargetGone as exc:
            await self._after_gone(target, exc)
            raise
        if plain:
            await self.servers.tell_admin(target, "no_embed_links")
        return done

    #: A DM or role change a person asked for that gets no slot within this long is
    #: dropped, never done stale: the answer lane's rule (``bot.sendpath``).
    useful_for = ANSWER_USEFUL_FOR

    async def turn(self, priority: int = ANSWER) -> None:
        """Wait for a slot of the bot's global budget (answers before broadcasts); an
        answer's wait ends after ``useful_for`` with TimeoutError (an OSError)."""
        async with asyncio.timeout(self.useful_for if priority == ANSWER else None):
            await self.budget.acquire(priority=priority)

    async def _after_gone(self, target: Target, exc: TargetGone) -> None:
        """A server channel refused us (403): the worker stops it; tell its admin once
        which permission is gone, as the cached overwrites say (Send Messages if unknown)."""
        if isinstance(exc.__cause__, discord.Forbidden):
            missing = missing_in(self.client, target.chat_id) or ["send_messages"]
            await self.servers.tell_admin(target, "no_permission", missing=missing[0])

    # -- inbound -----------------------------------------------------------------------

    def _is_staff(self, interaction: discord.Interaction) -> bool:
        if interaction.permissions.manage_guild:
            return True
        if self.commands is not None and self.commands.is_staff(PLATFORM, str(interaction.user.id)):
            return True  # added in chat with /staff add
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
            language=self.commands.language_for(locale) if self.commands else "sv",
            is_chat_admin=bool(interaction.permissions.manage_guild) or not in_guild,
            is_staff=self._is_staff(interaction),
            guild_id=str(interaction.guild_id) if in_guild else None,
        )

    async def run(self, interaction: discord.Interaction, name: str, args: str = "") -> None:
        """A shared command from its text (a free-text option or none)."""
        assert self.commands is not None
        caller = self.caller(interaction)
        await self.answer(interaction, name, await self.commands.handle(caller, name, args), caller)

    async def answered(self, handling: Awaitable[None]) -> None:
        """Handle one interaction; what it left for after its answer (a late preview) runs
        once that answer is given or failed (``bot.service.followups``)."""
        async with answering(wait=True):
            await handling

    def service(self) -> Commands:
        assert self.commands is not None, "the adapter has not started"
        return self.commands

    async def answer(
        self, interaction: discord.Interaction, name: str, reply: Reply, caller: Caller
    ) -> None:
        """Show a command's reply; in a server only race information is shown to everyone."""
        if name not in PUBLIC_ANSWERS:
            reply = dataclasses.replace(reply, private=True)
        await self.respond(interaction, reply, caller)

    def suggest(
        self, interaction: discord.Interaction, name: str, option: str, typed: str
    ) -> list[app_commands.Choice[str]]:
        if self.commands is None:
            return []
        choices = self.commands.complete(self.caller(interaction), name, option, typed)
        return [app_commands.Choice(name=c.label, value=c.value) for c in choices]

    async def respond(self, interaction: discord.Interaction, reply: Reply, caller: Caller) -> None:
        post = reply.post
        kwargs: dict[str, Any] = {
            "ephemeral": reply.private,
            "allowed_mentions": discord.AllowedMentions.none(),
        }
        if post.title or post.color is not None:
            kwargs["embed"] = render_embed(post, self.service().home)
        else:
            kwargs["content"] = clip(
                render_lines(post.lines, self.service().home, post.language), CONTENT_MAX
            )
        view = (
            confirm_view(reply.confirm, caller.language, post) if reply.confirm else link_view(post)
        )
        if view is not None:
            kwargs["view"] = view
        if reply.attachment is not None:
            filename, data, _mime = reply.attachment
            kwargs["file"] = discord.File(io.BytesIO(data), filename)
        if interaction.response.is_done():
            # Deferred: the answer replaces "thinking…" by editing the original response
            # (Discord calls the old way, the first followup, deprecated). Its visibility
            # was chosen by the deferral.
            del kwargs["ephemeral"]
            if "file" in kwargs:
                kwargs["attachments"] = [kwargs.pop("file")]
            await interaction.edit_original_response(**kwargs)
        else:
            await interaction.response.send_message(**kwargs)

    async def think(self, interaction: discord.Interaction) -> None:
        """Acknowledge now, answer later: Discord drops answers after 3 s, and role or DM
        requests may wait on rate limits first."""
        if not interaction.response.is_done():
            await interaction.response.defer(ephemeral=True, thinking=True)

    async def on_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """The one error handler: the user gets a sentence, the log gets the traceback."""
        caller = self.caller(interaction)
        if isinstance(error, app_commands.TransformerError):
            body = texts(caller.language).bad_option.format(value=str(error.value))
        else:
            log.error(
                "discord: /%s failed",
                interaction.command and interaction.command.name,
                exc_info=error,
            )
            body = texts(caller.language).failed
        with contextlib.suppress(discord.HTTPException):
            reply = text_reply(body, caller.language, private=True)
            await self.respond(interaction, reply, caller)

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
            reply = await self.commands.confirm(caller, token)
        else:
            reply = await self.commands.abort(caller, token)
        body = render_lines(reply.post.lines, self.commands.home, reply.post.language)
        await interaction.response.edit_message(content=clip(body, CONTENT_MAX), view=None)
