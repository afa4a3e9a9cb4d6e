"""Discord adapter (discord.py 2.x): slash commands into the shared core, posts as embeds.

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
from typing import Any, Literal
from zoneinfo import ZoneInfo

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
from bot.core.markup import Bold, Href, Instant, Line, Plain, Post, format_instant
from bot.core.timeutil import SWEDISH_TIME
from bot.platforms.base import (
    DeliveryError,
    Limits,
    RetryLater,
    TargetGone,
    TransientFailure,
)

log = logging.getLogger(__name__)

PLATFORM = "discord"
CONFIRM_PREFIX = "rb:ok:"
ABORT_PREFIX = "rb:no:"
DESCRIPTION_MAX = 4096
CONTENT_MAX = 2000
TITLE_MAX = 256
LABELS = {
    "sv": {"publish": "Publicera", "cancel": "Avbryt"},
    "en": {"publish": "Publish", "cancel": "Cancel"},
}


def _lang(language: str) -> str:
    return "en" if language == "en" else "sv"


def render_span(span: Plain | Bold | Href | Instant, tz: ZoneInfo, language: str) -> str:
    """One span as Discord markdown; user text is always escaped."""
    if isinstance(span, Instant):
        text = discord.utils.escape_markdown(format_instant(span, tz, language))
        if span.relative:
            text += f" <t:{int(span.at.timestamp())}:R>"
        return text
    if isinstance(span, Bold):
        return f"**{discord.utils.escape_markdown(span.text)}**"
    if isinstance(span, Href):
        label = discord.utils.escape_markdown(span.text).replace("]", "\\]")
        url = span.url.replace(")", "%29").replace(" ", "%20")
        return f"[{label}]({url})"
    return discord.utils.escape_markdown(span.text)


def render_lines(lines: tuple[Line, ...], tz: ZoneInfo, language: str) -> str:
    return "\n".join("".join(render_span(s, tz, language) for s in ln) for ln in lines)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_embed(post: Post, tz: ZoneInfo = SWEDISH_TIME) -> discord.Embed:
    embed = discord.Embed(
        title=_clip(post.title, TITLE_MAX) or None,
        description=_clip(render_lines(post.lines, tz, post.language), DESCRIPTION_MAX) or None,
        colour=post.color,
    )
    if post.footer:
        embed.set_footer(text=_clip(post.footer, 2048))
    return embed


def link_view(post: Post) -> discord.ui.View | None:
    """Link buttons (at most 25, Discord's limit); None when the post has none."""
    if not post.buttons:
        return None
    view = discord.ui.View(timeout=None)
    for button in post.buttons[:25]:
        view.add_item(
            discord.ui.Button(
                style=discord.ButtonStyle.link, label=_clip(button.label, 80), url=button.url
            )
        )
    return view


def confirm_view(token: str, language: str, post: Post) -> discord.ui.View:
    labels = LABELS[_lang(language)]
    view = link_view(post) or discord.ui.View(timeout=None)
    view.add_item(
        discord.ui.Button(
            style=discord.ButtonStyle.success,
            label=labels["publish"],
            custom_id=f"{CONFIRM_PREFIX}{token}",
        )
    )
    view.add_item(
        discord.ui.Button(
            style=discord.ButtonStyle.secondary,
            label=labels["cancel"],
            custom_id=f"{ABORT_PREFIX}{token}",
        )
    )
    return view


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
        self._register_commands()
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
            await self.tree.sync()
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
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
        async with _delivery_errors():
            if view is not None:
                message = await channel.send(**args, view=view)
            else:
                message = await channel.send(**args)
        return [str(message.id)]

    async def edit(self, target: Target, message_ids: list[str], post: Post) -> list[str]:
        channel = self.client.get_partial_messageable(int(target.chat_id))
        args = self._message_args(target, post)
        async with _delivery_errors():
            message = channel.get_partial_message(int(message_ids[0]))
            await message.edit(**args, view=link_view(post))
        return message_ids[:1]

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

    async def _run(self, interaction: discord.Interaction, name: str, args: str = "") -> None:
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
            kwargs["content"] = _clip(render_lines(post.lines, SWEDISH_TIME, post.language), 2000)
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
        await interaction.response.edit_message(content=_clip(text, CONTENT_MAX), view=None)

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
            title=f"#{channel.name}",
        )
        await self.commands.engine.rebuild()
        mention = f", {role.mention}" if role else ""
        text = f"{say(language, 'saved')} #{channel.name}{mention}, {language}"
        await self.respond(interaction, text_reply(text, language, private=True), caller)

    def _register_commands(self) -> None:
        tree = self.tree
        run = self._run

        @tree.command(name="next", description="Next session with countdown")
        async def next_(interaction: discord.Interaction) -> None:
            await run(interaction, "next")

        @tree.command(name="schedule", description="This weekend's timetable")
        @app_commands.describe(event="An event key (optional)")
        async def schedule(interaction: discord.Interaction, event: str | None = None) -> None:
            await run(interaction, "schedule", event or "")

        @tree.command(name="result", description="Staff: enter results for a session")
        @app_commands.describe(
            session="e.g. race1, fp1, q", places="e.g. andreas 15 jessica dnf (class: trophy 2)"
        )
        async def result(interaction: discord.Interaction, session: str, places: str) -> None:
            await run(interaction, "result", f"{session} {places}")

        @tree.command(name="calendar", description="Calendar file and subscribe link")
        @app_commands.describe(series="A series id (optional), e.g. wtcr-2021")
        async def calendar(interaction: discord.Interaction, series: str | None = None) -> None:
            await run(interaction, "calendar", series or "")

        @tree.command(name="results", description="Latest results")
        async def results(interaction: discord.Interaction) -> None:
            await run(interaction, "results")

        @tree.command(name="standings", description="Latest standings (staff: paste tables)")
        @app_commands.describe(tables="Staff: the standings block as the release prints it")
        async def standings(interaction: discord.Interaction, tables: str | None = None) -> None:
            await run(interaction, "standings", tables or "")

        @tree.command(name="help", description="All commands")
        async def help_(interaction: discord.Interaction) -> None:
            await run(interaction, "help")

        @tree.command(name="subscribe", description="Pick series or sessions for this channel")
        @app_commands.describe(choices="e.g. race qualifying")
        async def subscribe(interaction: discord.Interaction, choices: str = "") -> None:
            await run(interaction, "subscribe", choices)

        @tree.command(name="unsubscribe", description="Remove a series or session kind")
        @app_commands.describe(choices="e.g. practice; empty stops everything")
        async def unsubscribe(interaction: discord.Interaction, choices: str = "") -> None:
            await run(interaction, "unsubscribe", choices)

        @tree.command(name="setup", description="Post reminders in a channel")
        @app_commands.describe(
            channel="Where reminders go", role="Role to ping", language="Post language"
        )
        @app_commands.default_permissions(manage_guild=True)
        @app_commands.guild_only()
        async def setup(
            interaction: discord.Interaction,
            channel: discord.TextChannel,
            role: discord.Role | None = None,
            language: Literal["sv", "en"] = "sv",
        ) -> None:
            await self.setup_channel(interaction, channel, role, language)

        @tree.command(name="delay", description="Staff: move a session")
        @app_commands.describe(session="e.g. race1", minutes="minutes later (negative: earlier)")
        async def delay(interaction: discord.Interaction, session: str, minutes: int) -> None:
            await run(interaction, "delay", f"{session} {minutes}")

        @tree.command(name="cancel", description="Staff: cancel a session")
        @app_commands.describe(session="e.g. race2")
        async def cancel(interaction: discord.Interaction, session: str) -> None:
            await run(interaction, "cancel", session)

        @tree.command(name="announce", description="Staff: message every subscriber")
        @app_commands.describe(text="The announcement")
        async def announce(interaction: discord.Interaction, text: str) -> None:
            await run(interaction, "announce", text)


class _DeliveryErrors(contextlib.AbstractAsyncContextManager[None]):
    """Translate discord.py / aiohttp failures into the worker's four outcomes."""

    async def __aexit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> bool:
        if exc is None or isinstance(exc, DeliveryError):
            return False
        if isinstance(exc, discord.Forbidden | discord.NotFound):
            raise TargetGone(f"{exc.status} {exc.text or exc}") from exc
        if isinstance(exc, discord.RateLimited):
            raise RetryLater(exc.retry_after, str(exc)) from exc
        if isinstance(exc, discord.HTTPException):
            if exc.status == 429:
                raise RetryLater(_retry_after(exc), str(exc)) from exc
            if exc.status >= 500:
                raise TransientFailure(f"{exc.status} {exc.text}") from exc
            raise DeliveryError(f"{exc.status} {exc.text}") from exc
        if isinstance(exc, aiohttp.ClientError | TimeoutError | OSError):
            raise TransientFailure(repr(exc)) from exc
        return False


def _retry_after(exc: discord.HTTPException) -> float:
    try:
        return float(exc.response.headers.get("Retry-After", 1.0))
    except (AttributeError, TypeError, ValueError):
        return 1.0


def _delivery_errors() -> _DeliveryErrors:
    return _DeliveryErrors()
