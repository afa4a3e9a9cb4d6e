"""Native Guild Scheduled Events for the coming weekend's sessions, marked as ours.

They are external events with the session's end as ``scheduled_end_time``; Discord sets
such an event ACTIVE at its start and COMPLETED at its end by itself ("Guild Scheduled
Event Status Update Automation" in its documentation), so the bot never sets a status. It
edits only events still SCHEDULED, and never creates one for a session already under way
(Discord answers a start in the past with 400; that would repeat at every sync).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import discord

from bot.core.audience import Target
from bot.core.clock import Clock
from bot.core.markup import Instant, format_instant
from bot.core.model import SessionRef
from bot.core.texts import zone_words
from bot.platforms.discord.render import clip
from bot.sendpath import BACKGROUND, RateBudget

if TYPE_CHECKING:
    from bot.service.commands import Commands

log = logging.getLogger(__name__)

#: Discord allows 100 uncompleted (scheduled or active) events per guild, all creators.
DISCORD_EVENT_LIMIT = 100
#: Our own guild scheduled events, at most: half the limit, the rest is the server's.
MAX_GUILD_EVENTS = 50
#: Sessions starting this long after the next one belong to "the coming weekend".
WEEKEND_SPAN = timedelta(days=4)
#: A weekend gets its server events this long before its first session, not years ahead.
EVENT_HORIZON = timedelta(days=14)
#: How often the events are brought up to date without a change: weekends come and go.
REFRESH_SECONDS = 3600.0
EVENT_MARKER = "racebot:"
EVENT_NAME_MAX = 100
EVENT_DESCRIPTION_MAX = 1000
EVENT_LOCATION_MAX = 100


def weekend_sessions(
    upcoming: Iterable[SessionRef], now: datetime, limit: int = MAX_GUILD_EVENTS
) -> list[SessionRef]:
    """Sessions of the coming weekend(s) that have not ended yet, earliest first.

    ``upcoming`` is ``Engine.upcoming(now)``: not cancelled, end in the future. Every
    event with a session starting within ``WEEKEND_SPAN`` of the next one counts, once
    that one is at most ``EVENT_HORIZON`` away.
    """
    refs = sorted(
        (r for r in upcoming if r.session.end > now and not r.session.cancelled),
        key=lambda r: r.session.start,
    )
    if not refs or refs[0].session.start > now + EVENT_HORIZON:
        return []
    horizon = refs[0].session.start + WEEKEND_SPAN
    events = {(r.series.id, r.event.id) for r in refs if r.session.start <= horizon}
    return [r for r in refs if (r.series.id, r.event.id) in events][:limit]


def _event_location(ref: SessionRef) -> str:
    """Where the session is driven, the same kind of place for every session (the circuit);
    where to watch belongs to the posts' link buttons, not to the event's location."""
    place = ", ".join(p for p in (ref.event.circuit, ref.event.city) if p)
    return clip(place or ref.event.name, EVENT_LOCATION_MAX)


def event_payload(ref: SessionRef, language: str, home: ZoneInfo) -> dict[str, Any]:
    """A guild scheduled event (external, guild only) for one session; marked with its key."""
    session = ref.session
    name = f"{ref.series.name} · {ref.event.name} · {session.name.get(language)}"
    when = format_instant(Instant(session.start), home, language)
    zone_word = zone_words(home.key, language)
    lines = [f"{session.name.get(language)} – {ref.event.name}: {when} ({zone_word})"]
    if session.note is not None:
        lines.append(session.note.get(language))
    marker = f"{EVENT_MARKER}{ref.key}"
    body = clip("\n".join(lines), EVENT_DESCRIPTION_MAX - len(marker) - 1)
    return {
        "name": clip(name, EVENT_NAME_MAX),
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


async def event_call(call: Awaitable[Any]) -> None:
    """One scheduled-event request; a refused one is logged and the sync goes on.

    Missing permissions (403) stop the guild's sync: every further call would fail too.
    """
    try:
        await call
    except discord.Forbidden:
        raise
    except discord.HTTPException as exc:
        log.warning("discord: scheduled event request refused: %s", exc)


def guild_can_manage_events(guild: discord.Guild | None) -> bool:
    """Whether the bot may create and edit scheduled events there (unknown cache: try)."""
    if guild is None or guild.me is None:
        return True
    perms = guild.me.guild_permissions
    return perms.manage_events or perms.create_events


class ScheduledEvents:
    """Keeps every set-up server's scheduled events in step with the schedule.

    One sync runs at a time; a change arriving meanwhile runs one more round afterwards.
    Servers whose subscriptions all went inactive get their (our) events removed; servers
    where the bot lacks Manage Events are skipped instead of drawing a 403 per change.
    """

    def __init__(
        self,
        client: discord.Client,
        clock: Clock,
        platform: str,
        budget: RateBudget | None = None,
    ) -> None:
        self.client = client
        #: The platform's send budget: event requests take the last turn (housekeeping).
        self.budget = budget
        self.clock = clock
        self.platform = platform
        self.commands: Commands | None = None
        self._task: asyncio.Task[None] | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._wanted = False
        self._closing = False

    def start(self, commands: Commands) -> None:
        """Sync now, on every change the engine reports, and every hour for the calendar."""
        self.commands = commands
        commands.on_change(self.request)
        self._ticker = asyncio.create_task(self._tick(), name="discord-events-tick")
        self.request()

    async def _tick(self) -> None:
        while not self._closing:
            await self.clock.sleep(REFRESH_SECONDS)
            self.request()

    def request(self) -> None:
        """Bring every guild's events up to date, soon (safe to call from sync code)."""
        if self.commands is None or self._closing:
            return
        self._wanted = True
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._loop(), name="discord-events")

    async def stop(self) -> None:
        self._closing = True
        for task in (self._ticker, self._task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    await task
        self._task = self._ticker = None

    async def idle(self) -> None:
        """Wait for the running sync (tests and shutdown)."""
        while self._task is not None and not self._task.done():
            await asyncio.wait({self._task})

    async def _loop(self) -> None:
        while self._wanted and not self._closing:
            self._wanted = False
            try:
                await self.sync()
            except Exception:
                log.exception("discord: scheduled event sync failed")

    async def sync(self) -> None:
        assert self.commands is not None
        now = self.clock.now()
        weekend = weekend_sessions(self.commands.upcoming(now), now, MAX_GUILD_EVENTS)
        guilds: dict[str, list[Target]] = {}
        for target in await self.commands.subscriptions.targets(self.platform, active_only=False):
            if target.guild_id:
                active = guilds.setdefault(target.guild_id, [])
                if target.active:
                    active.append(target)
        for guild_id, targets in guilds.items():
            guild = self.client.get_guild(int(guild_id))
            if guild is None or not guild_can_manage_events(guild):
                continue  # the bot left (nothing to clean up there) or may not
            wanted = _wanted_for(weekend, targets)
            languages = {t.language for t in targets}  # one for the guild: else the default
            language = languages.pop() if len(languages) == 1 else self.commands.default_language
            try:
                await self._sync_guild(int(guild_id), wanted, (language, self.commands.home), now)
            except discord.HTTPException as exc:
                log.warning("discord: scheduled events in guild %s: %s", guild_id, exc)

    async def _sync_guild(
        self, guild_id: int, wanted: list[SessionRef], words: tuple[str, ZoneInfo], now: datetime
    ) -> None:
        http = self.client.http
        await self._turn()
        existing = await http.get_scheduled_events(guild_id, False)
        ours: dict[str, dict[str, Any]] = {}
        others = 0
        for raw in existing:
            event: dict[str, Any] = dict(raw)
            key = event_marker(event)
            if key is None:
                others += int(event.get("status") or 1) in (1, 2)
                continue
            if key in ours:  # a duplicate (e.g. two bot processes): keep one
                await self._turn()
                await event_call(http.delete_scheduled_event(guild_id, event["id"]))
                continue
            ours[key] = event
        # The server's own events count toward Discord's limit too: leave them room.
        wanted = wanted[: max(0, min(MAX_GUILD_EVENTS, DISCORD_EVENT_LIMIT - others))]
        keys = {ref.key for ref in wanted}
        for key, event in ours.items():
            if key not in keys:
                await self._turn()
                await event_call(http.delete_scheduled_event(guild_id, event["id"]))
        for ref in wanted:
            payload = event_payload(ref, *words)
            current = ours.get(ref.key)
            if current is None:
                if ref.session.start <= now:
                    continue  # under way: Discord refuses a start in the past (400)
                await self._turn()
                await event_call(http.create_guild_scheduled_event(guild_id, **payload))
                continue
            if int(current.get("status") or 1) != 1:
                continue  # Discord started or ended it by itself: it takes no new times
            changes = event_changes(current, payload, now)
            if changes:
                await self._turn()
                await event_call(http.edit_scheduled_event(guild_id, current["id"], **changes))

    async def _turn(self) -> None:
        """Wait for a slot of the bot's budget, behind answers and broadcasts."""
        if self.budget is not None:
            await self.budget.acquire(priority=BACKGROUND)


def _wanted_for(weekend: list[SessionRef], targets: list[Target]) -> list[SessionRef]:
    """The weekend's sessions a server's active subscriptions follow (none: no events)."""
    if not targets:
        return []
    if any(t.series is None for t in targets):
        return weekend
    series = {s for t in targets for s in t.series or ()}
    return [r for r in weekend if r.series.id in series]
