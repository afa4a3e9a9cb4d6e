"""Native Guild Scheduled Events for the coming weekend's sessions.

They are external events with the session's end as ``scheduled_end_time``; Discord sets
such an event ACTIVE at its start and COMPLETED at its end by itself ("Guild Scheduled
Event Status Update Automation" in its documentation), so the bot never sets a status. It
edits only events still SCHEDULED, and never creates one for a session already under way
(Discord answers a start in the past with 400); a 400 for a past start is final.

The bot knows its events by the id Discord gave them, stored per server and session
(``bot.service.server_events``) with a digest of what it sent: a sync sends a request
only for an event whose text or time changed, so an identical sync changes nothing. An
event an admin deleted by hand stays deleted while its session is in the coming weekend
(the bot does not fight the server's admins). Events made before the ids were stored
carry a ``racebot:<key>`` line: the first sync adopts them and rewrites their text once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import discord

from bot.core.audience import Target
from bot.core.clock import Clock
from bot.core.model import SessionRef
from bot.platforms.discord.event_payload import (
    event_changes,
    event_payload,
    legacy_marker,
    parse_time,
    payload_digest,
    start_refused_as_past,
)
from bot.sendpath import BACKGROUND, RateBudget
from bot.service.server_events import StoredEvent

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
#: A session this close to its start gets no new event: Discord's clock may run ahead.
CREATE_MARGIN = timedelta(minutes=1)


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


class Refused(Exception):
    """Discord refused a scheduled-event request for good: a start in the past."""


#: What ``event_call`` answers for a request Discord refused (and that was logged).
REFUSED: Any = object()


async def event_call(call: Awaitable[Any]) -> Any:
    """One scheduled-event request; its answer, or ``REFUSED`` (logged).

    Missing permissions (403) stop the guild's sync: every further call would fail too. A
    start in the past raises ``Refused``: retrying cannot help. 404 (the event is gone) is
    the caller's to judge.
    """
    try:
        return await call
    except (discord.Forbidden, discord.NotFound):
        raise
    except discord.HTTPException as exc:
        if start_refused_as_past(exc):
            raise Refused(str(exc)) from exc
        log.warning("discord: scheduled event request refused: %s", exc)
        return REFUSED


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
        #: Per guild, session key → event id as last stored (what a sync left behind).
        self.event_ids: dict[int, dict[str, str]] = {}
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
            words = (language, self.commands.home)
            try:
                await GuildSync(self, int(guild_id), now).run(wanted, words)
            except discord.HTTPException as exc:
                log.warning("discord: scheduled events in guild %s: %s", guild_id, exc)

    async def turn(self) -> None:
        """Wait for a slot of the bot's budget, behind answers and broadcasts."""
        if self.budget is not None:
            await self.budget.acquire(priority=BACKGROUND)


class GuildSync:
    """One server's sync: its events matched to sessions, then the requests still needed."""

    def __init__(self, owner: ScheduledEvents, guild_id: int, now: datetime) -> None:
        assert owner.commands is not None
        self.owner = owner
        self.http = owner.client.http
        self.service = owner.commands.server_events
        self.platform = owner.platform
        self.guild_id = guild_id
        self.guild = str(guild_id)
        self.now = now
        self.ids = owner.event_ids.setdefault(guild_id, {})

    async def _call(self, make: Callable[[], Awaitable[Any]]) -> Any:
        """The request is made only once the budget grants a turn: a sync cancelled while
        it waits (shutdown) leaves no request coroutine behind that was never awaited."""
        await self.owner.turn()
        return await event_call(make())

    async def _delete(self, event: dict[str, Any]) -> bool:
        """Delete one of the bot's events; False when Discord refused (it stays)."""
        try:
            gone = await self._call(
                lambda: self.http.delete_scheduled_event(self.guild_id, event["id"])
            )
            return gone is not REFUSED
        except discord.NotFound:
            return True  # gone already

    async def _remember(self, key: str, event_id: str, digest: str | None) -> None:
        await self.service.remember(self.platform, self.guild, key, event_id, digest)
        self.ids[key] = event_id

    async def _drop(self, key: str) -> None:
        await self.service.drop(self.platform, self.guild, key)
        self.ids.pop(key, None)

    async def run(self, wanted: list[SessionRef], words: tuple[str, ZoneInfo]) -> None:
        known = await self.service.known(self.platform, self.guild)
        await self.owner.turn()
        listed = await self.http.get_scheduled_events(self.guild_id, False)
        existing: list[dict[str, Any]] = [dict(e) for e in listed]
        by_id = {str(e["id"]): e for e in existing}
        ours = {k: by_id[s.event_id] for k, s in known.items() if s.event_id in by_id}
        claimed = {str(e["id"]) for e in ours.values()}
        others = 0
        unclaimed: list[dict[str, Any]] = []
        for event in existing:
            if str(event["id"]) in claimed:
                continue
            key = legacy_marker(event)
            if key is None:
                unclaimed.append(event)
            elif key in ours:  # a duplicate (e.g. two bot processes): keep one
                await self._delete(event)
            else:
                ours[key] = event  # made before ids were stored: adopted, rewritten once
        for event in unclaimed:
            key = self._lost(event, wanted, ours, words)
            if key is not None:
                ours[key] = event
            else:
                others += int(event.get("status") or 1) in (1, 2)
        # The server's own events count toward Discord's limit too: leave them room.
        wanted = wanted[: max(0, min(MAX_GUILD_EVENTS, DISCORD_EVENT_LIMIT - others))]
        keys = {ref.key for ref in wanted}
        kept = set()
        for key, event in ours.items():
            if key not in keys and not await self._delete(event):
                kept.add(key)  # still there: deleted at the next sync
        gone = (set(known) | set(ours)) - keys - kept
        await self.service.forget(self.platform, self.guild, gone)
        for key in gone:
            self.ids.pop(key, None)
        for ref in wanted:
            await self._session(ref, ours.get(ref.key), known.get(ref.key), words)

    def _lost(
        self,
        event: dict[str, Any],
        wanted: list[SessionRef],
        ours: dict[str, dict[str, Any]],
        words: tuple[str, ZoneInfo],
    ) -> str | None:
        """The session an event of the bot's whose id was never stored (the process
        stopped, or the database failed, right after Discord made it) is for: same name
        and start as that session's event would have. None: not one of those."""
        me = self.owner.client.user
        if me is None or str(event.get("creator_id")) != str(me.id):
            return None
        start = parse_time(event.get("scheduled_start_time"))
        for ref in wanted:
            if ref.key in ours or ref.session.start != start:
                continue
            if event_payload(ref, *words)["name"] == event.get("name"):
                return ref.key
        return None

    async def _session(
        self,
        ref: SessionRef,
        current: dict[str, Any] | None,
        stored: StoredEvent | None,
        words: tuple[str, ZoneInfo],
    ) -> None:
        payload = event_payload(ref, *words)
        digest = payload_digest(payload)
        if current is None:
            if stored is not None:
                if stored.event_id is not None:  # deleted in the server, not by the bot
                    log.info("discord: event for %s deleted in guild %s", ref.key, self.guild)
                    await self._drop(ref.key)
                return
            if ref.session.start <= self.now + CREATE_MARGIN:
                return  # under way or about to be: Discord refuses a start in the past
            await self._create(ref.key, payload, digest)
            return
        event_id = str(current["id"])
        self.ids[ref.key] = event_id
        if stored is not None and stored.digest == digest:
            return  # what it shows was sent already
        if int(current.get("status") or 1) != 1:  # Discord started or ended it by itself:
            if stored is None:  # it takes no new times, but it is ours from now on
                await self._remember(ref.key, event_id, None)
            return
        changes = event_changes(current, payload, self.now)
        if changes:
            try:
                edit = await self._call(
                    lambda: self.http.edit_scheduled_event(self.guild_id, event_id, **changes)
                )
                if edit is REFUSED:
                    return  # logged: tried again at the next sync
            except discord.NotFound:  # deleted by hand since the list was read
                log.info("discord: event for %s deleted in guild %s", ref.key, self.guild)
                await self._drop(ref.key)
                return
            except Refused as exc:  # Discord's clock is past the start: final
                log.info("discord: event for %s keeps its start: %s", ref.key, exc)
        await self._remember(ref.key, event_id, digest)

    async def _create(self, key: str, payload: dict[str, Any], digest: str) -> None:
        try:
            created = await self._call(
                lambda: self.http.create_guild_scheduled_event(self.guild_id, **payload)
            )
        except discord.NotFound as exc:  # not for a guild the cache has: next sync
            log.warning("discord: no event for %s in guild %s: %s", key, self.guild, exc)
            return
        except Refused as exc:
            log.warning("discord: no event for %s in guild %s: %s", key, self.guild, exc)
            await self._drop(key)
            return
        if created is not REFUSED:
            await self._remember(key, str(created["id"]), digest)


def _wanted_for(weekend: list[SessionRef], targets: list[Target]) -> list[SessionRef]:
    """The weekend's sessions a server's active subscriptions follow (none: no events)."""
    if not targets:
        return []
    if any(t.series is None for t in targets):
        return weekend
    series = {s for t in targets for s in t.series or ()}
    return [r for r in weekend if r.series.id in series]
