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
from collections.abc import Awaitable, Iterable
from datetime import datetime, timedelta
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
from bot.core.commands import (
    FAN_HELP,
    STAFF_HELP,
    Caller,
    Commands,
    Reply,
    confirm,
    say,
    text_reply,
)
from bot.core.markup import Bold, Href, Instant, Line, Plain, Post, format_instant
from bot.core.model import LinkKind, SessionRef
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
#: Our own guild scheduled events, at most; Discord allows 100 uncompleted events per guild.
MAX_GUILD_EVENTS = 50
#: Sessions starting this long after the next one belong to "the coming weekend".
WEEKEND_SPAN = timedelta(days=4)
EVENT_MARKER = "racebot:"
EVENT_NAME_MAX = 100
EVENT_DESCRIPTION_MAX = 1000
EVENT_LOCATION_MAX = 100
ROLE_TEXTS = {
    "sv": {
        "added": "Klart! Du har nu rollen {role} och pingas inför passen. "
        "/unsubscribe tar bort rollen.",
        "removed": "Klart! Rollen {role} är borttagen, du pingas inte längre.",
        "forbidden": "Jag får inte dela ut rollen {role}. Be en admin ge mig behörigheten "
        "Hantera roller och lägga min roll ovanför {role}.",
        "failed": "Det gick inte att ändra rollen just nu, försök igen om en stund.",
    },
    "en": {
        "added": "Done! You now have the {role} role and get pinged before sessions. "
        "/unsubscribe removes it.",
        "removed": "Done! The {role} role is removed, you will not be pinged any more.",
        "forbidden": "I may not hand out the {role} role. Ask an admin to give me the "
        "Manage Roles permission and put my role above {role}.",
        "failed": "Could not change the role right now, please try again in a while.",
    },
}
NO_PERMISSION = {
    "sv": "Jag kan inte skriva i {channel} – ge mig behörigheten Skicka meddelanden "
    "och kör /setup igen.",
    "en": "I cannot post in {channel} – give me the Send Messages permission and run /setup again.",
}
ADMIN_MARK = "admin:"
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


def weekend_sessions(
    upcoming: Iterable[SessionRef], now: datetime, limit: int = MAX_GUILD_EVENTS
) -> list[SessionRef]:
    """Sessions of the coming weekend(s) that have not ended yet, earliest first.

    ``upcoming`` is ``Engine.upcoming(now)``: not cancelled, end in the future. Every
    event with a session starting within ``WEEKEND_SPAN`` of the next one counts.
    """
    refs = sorted(
        (r for r in upcoming if r.session.end > now and not r.session.cancelled),
        key=lambda r: r.session.start,
    )
    if not refs:
        return []
    horizon = refs[0].session.start + WEEKEND_SPAN
    events = {(r.series.id, r.event.id) for r in refs if r.session.start <= horizon}
    return [r for r in refs if (r.series.id, r.event.id) in events][:limit]


def _event_location(ref: SessionRef) -> str:
    streams = [link for link in ref.links if link.kind is LinkKind.STREAM]
    for link in streams:
        if link.url and len(link.url) <= EVENT_LOCATION_MAX:
            return link.url
    if streams:
        return _clip(streams[0].label, EVENT_LOCATION_MAX)
    place = ", ".join(p for p in (ref.event.circuit, ref.event.city) if p)
    return _clip(place or ref.event.name, EVENT_LOCATION_MAX)


def event_payload(ref: SessionRef, language: str = "sv") -> dict[str, Any]:
    """A guild scheduled event (external, guild only) for one session; marked with its key."""
    session = ref.session
    name = f"{ref.series.name} · {ref.event.name} · {session.name.get(language)}"
    when = format_instant(Instant(session.start), SWEDISH_TIME, language)
    zone_word = "svensk tid" if language == "sv" else "Swedish time"
    lines = [f"{session.name.get(language)} – {ref.event.name}: {when} ({zone_word})"]
    if session.note is not None:
        lines.append(session.note.get(language))
    marker = f"{EVENT_MARKER}{ref.key}"
    body = _clip("\n".join(lines), EVENT_DESCRIPTION_MAX - len(marker) - 1)
    return {
        "name": _clip(name, EVENT_NAME_MAX),
        "description": f"{body}\n{marker}",
        "scheduled_start_time": session.start.isoformat(),
        "scheduled_end_time": session.end.isoformat(),
        "entity_type": discord.EntityType.external.value,
        "privacy_level": discord.PrivacyLevel.guild_only.value,
        "entity_metadata": {"location": _event_location(ref)},
        "channel_id": None,
    }


def event_marker(event: dict[str, Any]) -> str | None:
    """The session key a scheduled event was made for, or None when it is not ours."""
    for text in reversed(str(event.get("description") or "").splitlines()):
        if text.startswith(EVENT_MARKER):
            return text.removeprefix(EVENT_MARKER).strip()
    return None


def _parse_time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def event_changes(current: dict[str, Any], wanted: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The fields of ``wanted`` that differ from ``current`` (times compared as instants)."""
    changes: dict[str, Any] = {}
    for key in ("scheduled_start_time", "scheduled_end_time"):
        if _parse_time(current.get(key)) != _parse_time(wanted[key]):
            changes[key] = wanted[key]
    start = _parse_time(wanted["scheduled_start_time"])
    if "scheduled_start_time" in changes and start is not None and start <= now:
        changes.pop("scheduled_start_time")  # Discord refuses a start in the past
    for key in ("name", "description", "entity_metadata"):
        if current.get(key) != wanted[key]:
            changes[key] = wanted[key]
    return changes


async def _event_call(call: Awaitable[Any]) -> None:
    """One scheduled-event request; a refused one is logged and the sync goes on.

    Missing permissions (403) stop the guild's sync: every further call would fail too.
    """
    try:
        await call
    except discord.Forbidden:
        raise
    except discord.HTTPException as exc:
        log.warning("discord: scheduled event request refused: %s", exc)


#: Swedish command descriptions: the fan help wins where a command is in both tables.
SV_DESCRIPTIONS = {
    **{name: texts[0] for name, texts in STAFF_HELP.items()},
    **{name: texts[0] for name, texts in FAN_HELP.items()},
    "setup": "skicka påminnelser i en kanal (admin)",
}
COMMAND_DESCRIPTION_MAX = 100


def _sv(english: str, swedish: str) -> app_commands.locale_str:
    """An English text with its Swedish translation riding along for the translator."""
    return app_commands.locale_str(english, sv=swedish)


def _described(name: str, english: str) -> app_commands.locale_str:
    return _sv(english, SV_DESCRIPTIONS[name])


class SwedishTranslator(app_commands.Translator):
    """Swedish (sv-SE) command and option descriptions; English is the default."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        if locale is not discord.Locale.swedish:
            return None
        swedish = string.extras.get("sv")
        if not swedish:
            return None
        return _clip(str(swedish), COMMAND_DESCRIPTION_MAX)


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
            async with _delivery_errors():
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
            async with _delivery_errors():
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
        text = NO_PERMISSION[_lang(target.language)].format(
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
                await _event_call(http.delete_scheduled_event(guild_id, event["id"]))
        for ref in wanted:
            payload = event_payload(ref, language)
            current = ours.get(ref.key)
            if current is None:
                if ref.session.start > now:
                    await _event_call(http.create_guild_scheduled_event(guild_id, **payload))
                continue
            if int(current.get("status") or 1) != 1:
                continue  # started or finished: Discord no longer takes new times
            changes = event_changes(current, payload, now)
            if changes:
                await _event_call(http.edit_scheduled_event(guild_id, current["id"], **changes))

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
        texts = ROLE_TEXTS[_lang(caller.language)]
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

    def _register_commands(self) -> None:
        tree = self.tree
        run = self._run

        @tree.command(name="next", description=_described("next", "Next session with countdown"))
        async def next_(interaction: discord.Interaction) -> None:
            await run(interaction, "next")

        @tree.command(
            name="schedule", description=_described("schedule", "This weekend's timetable")
        )
        @app_commands.describe(event=_sv("An event key (optional)", "ett event (valfritt)"))
        async def schedule(interaction: discord.Interaction, event: str | None = None) -> None:
            await run(interaction, "schedule", event or "")

        @tree.command(
            name="result", description=_described("result", "Staff: enter results for a session")
        )
        @app_commands.describe(
            session=_sv("e.g. race1, fp1, q", "t.ex. race1, fp1, q"),
            places=_sv(
                "e.g. andreas 15 jessica dnf (class: trophy 2)",
                "t.ex. andreas 15 jessica dnf (klass: trophy 2)",
            ),
        )
        async def result(interaction: discord.Interaction, session: str, places: str) -> None:
            await run(interaction, "result", f"{session} {places}")

        @tree.command(
            name="calendar", description=_described("calendar", "Calendar file and subscribe link")
        )
        @app_commands.describe(
            series=_sv(
                "A series id (optional), e.g. wtcr-2021", "en serie (valfritt), t.ex. wtcr-2021"
            )
        )
        async def calendar(interaction: discord.Interaction, series: str | None = None) -> None:
            await run(interaction, "calendar", series or "")

        @tree.command(name="results", description=_described("results", "Latest results"))
        async def results(interaction: discord.Interaction) -> None:
            await run(interaction, "results")

        @tree.command(
            name="standings",
            description=_described("standings", "Latest standings (staff: paste tables)"),
        )
        @app_commands.describe(
            tables=_sv(
                "Staff: the standings block as the release prints it",
                "Personal: tabellerna som pressmeddelandet skriver dem",
            )
        )
        async def standings(interaction: discord.Interaction, tables: str | None = None) -> None:
            await run(interaction, "standings", tables or "")

        @tree.command(name="help", description=_described("help", "All commands"))
        async def help_(interaction: discord.Interaction) -> None:
            await run(interaction, "help")

        @tree.command(
            name="subscribe",
            description=_described("subscribe", "Pick series or sessions for this channel"),
        )
        @app_commands.describe(choices=_sv("e.g. race qualifying", "t.ex. race qualifying"))
        async def subscribe(interaction: discord.Interaction, choices: str = "") -> None:
            if not await self.toggle_alert_role(interaction, choices, add=True):
                await run(interaction, "subscribe", choices)

        @tree.command(
            name="unsubscribe",
            description=_described("unsubscribe", "Remove a series or session kind"),
        )
        @app_commands.describe(
            choices=_sv(
                "e.g. practice; empty stops everything", "t.ex. practice; tomt stoppar allt"
            )
        )
        async def unsubscribe(interaction: discord.Interaction, choices: str = "") -> None:
            if not await self.toggle_alert_role(interaction, choices, add=False):
                await run(interaction, "unsubscribe", choices)

        @tree.command(name="setup", description=_described("setup", "Post reminders in a channel"))
        @app_commands.describe(
            channel=_sv("Where reminders go", "kanalen för påminnelserna"),
            role=_sv("Role to ping", "rollen som pingas"),
            language=_sv("Post language", "språk för utskicken"),
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

        @tree.command(name="delay", description=_described("delay", "Staff: move a session"))
        @app_commands.describe(
            session=_sv("e.g. race1", "t.ex. race1"),
            minutes=_sv("minutes later (negative: earlier)", "minuter senare (negativt: tidigare)"),
        )
        async def delay(interaction: discord.Interaction, session: str, minutes: int) -> None:
            await run(interaction, "delay", f"{session} {minutes}")

        @tree.command(name="cancel", description=_described("cancel", "Staff: cancel a session"))
        @app_commands.describe(session=_sv("e.g. race2", "t.ex. race2"))
        async def cancel(interaction: discord.Interaction, session: str) -> None:
            await run(interaction, "cancel", session)

        @tree.command(
            name="announce", description=_described("announce", "Staff: message every subscriber")
        )
        @app_commands.describe(text=_sv("The announcement", "meddelandet"))
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
