"""The reminder engine: schedule data -> timers -> outbox rows, rebuilt on every change.

Files (and staff overrides) say *when*; ``plan`` says *what*; the timer fires each planned
notification once, at which point one delivery row per interested target is inserted
under a unique key. Firing twice, restarting, or rebuilding can never post twice.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import uuid
from collections import Counter
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Mapping,
    Sequence,
)
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bot.authoring.weekends import overlay
from bot.core.audience import Target
from bot.core.capacity import head_start
from bot.core.clock import Clock
from bot.core.digest import render_digest
from bot.core.errors import UserError
from bot.core.markup import Post
from bot.core.model import Catalog, SessionRef, SessionStatus
from bot.core.notices import NotificationData, SessionStateInfo
from bot.core.reminders import (
    DEFAULT_SETTINGS,
    NoticeKind,
    Planned,
    PlanSettings,
    plan,
    preview_window,
)
from bot.core.reminders import wants as asked_for
from bot.core.render import (
    render_announcement,
    render_change,
    render_lead,
    render_live,
    render_preview,
)
from bot.core.schedule import load_catalog
from bot.core.texts import texts
from bot.store.health import Backoff, is_outage
from bot.store.store import Store
from bot.timers import Timer

log = logging.getLogger(__name__)

PostFactory = Callable[[str, ZoneInfo], Post]


def fingerprint(ref: SessionRef) -> str:
    """What a calendar client must hear about: start, status and length."""
    session = ref.session
    seconds = int((session.end - session.start).total_seconds())
    return f"{session.start.isoformat()}|{session.status.value}|{seconds}"


def _previous_start(state: SessionStateInfo | None) -> datetime | None:
    if state is None or not state.fingerprint:
        return None
    return datetime.fromisoformat(state.fingerprint.split("|", 1)[0])


class Engine:
    def __init__(
        self,
        *,
        store: Store,
        clock: Clock,
        timer: Timer,
        catalog: Catalog,
        settings: PlanSettings = DEFAULT_SETTINGS,
        schedules: Path | None = None,
        rates: dict[str, float] | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.timer = timer
        #: The schedule files as loaded; ``base`` adds the weekends published from releases.
        self.files = catalog
        self.base = catalog
        self.catalog = catalog
        self.settings = settings
        #: ``[bot] timezone``: the zone the releases speak ("svensk tid").
        self.home = settings.home
        self.default_variant = (settings.language, settings.home.key)
        self.schedules = schedules
        #: Messages a second per platform: a lead reminder too big to go out in time at
        #: that rate starts early (``bot.core.capacity.head_start``); none: on the minute.
        self.rates = dict(rates or {})
        self.states: dict[str, SessionStateInfo] = {}
        self._listeners: list[Callable[[str], None]] = []
        self._change_listeners: list[Callable[[], None]] = []
        #: Timer actions running right now (App.settle waits for them to finish).
        self.busy = 0

    # -- wiring -------------------------------------------------------------------------

    def on_enqueue(self, listener: Callable[[str], None]) -> None:
        """Called with a platform name whenever rows for it were queued."""
        self._listeners.append(listener)

    def on_change(self, listener: Callable[[], None]) -> None:
        """Called after the effective schedule changed (feeds, Discord events follow)."""
        self._change_listeners.append(listener)

    async def start(self) -> None:
        await self.timer.start()
        self.base = await self._with_weekends(self.files)
        await self.refresh()

    async def stop(self) -> None:
        await self.timer.stop()

    # -- the schedule ---------------------------------------------------------------------

    async def reload(self) -> Catalog:
        """Re-read the schedule folder; a broken file leaves the running schedule as it was."""
        if self.schedules is None:
            return self.catalog
        files = load_catalog(self.schedules)  # ScheduleErrors: the caller says why
        self.base = await self._with_weekends(files)
        self.files = files
        await self.refresh()
        return self.catalog

    async def weekends_changed(self) -> Catalog:
        """A release was published: merge the stored weekends again and rebuild, no restart."""
        self.base = await self._with_weekends(self.files)
        await self.refresh()
        return self.catalog

    async def _with_weekends(self, files: Catalog) -> Catalog:
        """The files with the database's weekends merged in (bot.authoring.weekends)."""
        return overlay(files, await self.store.weekends.current())

    def _effective(self, states: dict[str, SessionStateInfo]) -> Catalog:
        catalog = self.base
        for ref in list(self.base.sessions()):
            state = states.get(ref.key)
            if state is None or (state.start_override is None and not state.cancelled):
                continue
            session = ref.session
            if state.start_override is not None:
                session = replace(session, start=state.start_override)
            if state.cancelled:
                session = replace(session, status=SessionStatus.CANCELLED)
            catalog = catalog.replace_session(ref.key, session)
        return catalog

    async def refresh(self) -> dict[str, int]:
        """Apply overrides, notice changed sessions, and rebuild every timer from data.

        Returns, per changed session, how many change notices this refresh queued.
        """
        queued: dict[str, int] = {}
        now = self.clock.now()
        before = await self.store.session_states()
        self.catalog = self._effective(before)
        prints = {ref.key: fingerprint(ref) for ref in self.catalog.sessions()}
        self.states = await self.store.record_fingerprints(prints, now)
        for ref in self.catalog.sessions():
            old, new = before.get(ref.key), self.states[ref.key]
            if (
                old is not None
                and old.fingerprint
                and new.sequence > old.sequence
                and ref.session.end > now
            ):
                queued[ref.key] = await self._notify_change(ref, _previous_start(old), new.sequence)
        await self.rebuild()
        for listener in self._change_listeners:
            listener()
        return queued

    async def rebuild(self) -> None:
        now = self.clock.now()
        extra: set[int] = set()
        chats: Counter[str] = Counter()
        async for chunk in chunks(await self.store.targets()):
            extra.update(m for t in chunk for m in (t.leads or ()))
            chats.update(t.platform for t in chunk)
        planned = plan(self.catalog, now, self.settings, extra)
        keys = {p.key for p in planned}
        known = await self.store.known_notifications(keys)
        future: set[str] = set()
        for item in planned:
            if item.key in known:
                continue
            start = item.due
            if item.kind is NoticeKind.LEAD and self.rates:
                start -= head_start(chats, self.rates, item.lead or 0)
            if start <= now:
                await self.fire(item)  # fell due while we were down, still meaningful
            else:
                future.add(item.key)
                self.timer.schedule(item.key, start, self._firer(item))
        self.timer.retain(future)
        withdrawn = await self.store.supersede_unplanned(keys, now)
        if withdrawn:
            log.info("withdrew %d reminders the schedule no longer has", withdrawn)

    def _firer(self, item: Planned) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            self.busy += 1
            try:
                await self.fire_until_done(item)
            finally:
                self.busy -= 1

        return run

    async def fire_until_done(self, item: Planned) -> int:
        """``fire``, retried with capped, jittered backoff while the database is away.

        A reminder stays worth sending until it expires, so an outage at its due time only
        delays it; once it has expired it is dropped (``fire`` never sends a stale one).
        Queueing is idempotent (one row per notification and target), so a retry after a
        write that did commit but whose answer was lost adds nothing.
        """
        backoff = Backoff()
        while True:
            try:
                return await self.fire(item)
            except Exception as exc:
                if not is_outage(exc):
                    raise
            left = (item.expires - self.clock.now()).total_seconds()
            if left > 0:
                await self.clock.sleep(min(backoff.next(), left))
            if self.clock.now() >= item.expires:
                log.warning("reminder %s expired while the database was away", item.key)
                return 0

    # -- firing ---------------------------------------------------------------------------

    async def fire(self, item: Planned) -> int:
        """Queue one planned notification for everyone who wants it; never when stale."""
        now = self.clock.now()
        if now >= item.expires:
            return 0
        ref = self.catalog.find(item.session_key) if item.session_key else None
        series = self.catalog.get(item.series_id)
        event = series.event(item.event_id) if series else None
        if series is None or event is None or (item.session_key and ref is None):
            return 0

        def factory(language: str, tz: ZoneInfo) -> Post:
            if item.kind is NoticeKind.PREVIEW:
                return render_preview(series, event, language, tz, self.home)
            if item.kind is NoticeKind.DIGEST and item.day is not None:
                return render_digest(series, event, item.day, language, tz)
            assert ref is not None
            if item.kind is NoticeKind.LEAD:
                return render_lead(ref, item.lead or 0, language, tz, self.home)
            return render_live(ref, language, tz, self.home)

        # The audience is chosen as the rows are written, a batch at a time: the first
        # fans' rows go out before the rest of a big audience has even been looked at.
        leads = self.settings.leads
        everyone = await self.store.targets()

        async def audience() -> AsyncIterator[list[Target]]:
            # Small chunks: the first fans are found after ~1 ms of filtering, and the loop
            # runs between chunks however rare the audience is among 100k subscribers.
            async for chunk in chunks(everyone, FIRE_CHUNK):
                if wanted := [t for t in chunk if asked_for(t, item, leads)]:
                    yield wanted

        return await self.publish(
            NotificationData(
                key=item.key,
                kind=item.kind.value,
                due=item.due,
                expires=item.expires,
                posts={},
                series_id=item.series_id,
                session_key=item.session_key,
                session_kind=item.session_kind.value if item.session_kind else None,
                lead=item.lead,
            ),
            audience(),
            factory,
        )

    async def publish(
        self,
        note: NotificationData,
        targets: Iterable[Target] | AsyncIterable[Sequence[Target]],
        factory: PostFactory,
    ) -> int:
        """Render once per (language, zone) among the targets and queue a row per target.

        ``targets`` is read a batch at a time (see ``Store.enqueue``); each batch's
        variants are rendered when that batch is written, the first ones before any row.
        """
        rendered: set[tuple[str, str]] = set()
        posts: dict[str, str] = {}

        def posts_for(batch: Sequence[Target]) -> dict[str, str]:
            wanted = {(t.language, t.timezone) for t in batch} - rendered
            if not batch and not rendered:
                wanted = {self.default_variant}  # nobody: the notification still has a post
            if not wanted:
                return {}
            rendered.update(wanted)
            new = render_variants((), factory, self.default_variant, wanted)
            fresh = {key: text for key, text in new.items() if key not in posts}
            posts.update(fresh)
            return fresh

        def wake(batch: Sequence[Target]) -> None:  # after each batch: its rows go out at once
            for platform in {t.platform for t in batch}:
                for listener in self._listeners:
                    listener(platform)

        return await self.store.enqueue(
            note, targets, self.clock.now(), on_batch=wake, posts_for=posts_for
        )

    async def series_targets(self, series_id: str | None) -> list[Target]:
        """Active subscriptions that follow ``series_id`` (every one when it is None)."""
        found: list[Target] = []
        async for chunk in chunks(await self.store.targets()):
            found += [t for t in chunk if series_id is None or t.wants_series(series_id)]
        return found

    async def publish_or_revise(
        self,
        note: NotificationData,
        factory: PostFactory,
        wants: Callable[[Target], bool] | None = None,
    ) -> int:
        """Publish to every subscriber of the series (who ``wants`` it, when given), or edit
        what they already got."""
        targets = await self.series_targets(note.series_id)
        if wants is not None:
            targets = [t for t in targets if wants(t)]
        if note.key in await self.store.known_notifications([note.key]):

            def updated(language: str, tz: ZoneInfo) -> Post:
                post = factory(language, tz)
                marker = texts(language).render.updated
                return replace(post, footer=f"{post.footer} · {marker}" if post.footer else marker)

            changed = await self.store.revise_notification(
                note.key,
                render_variants(targets, updated, self.default_variant),
                self.clock.now(),
                targets,
            )
            for platform in {t.platform for t in targets}:
                for listener in self._listeners:
                    listener(platform)
            return changed
        return await self.publish(note, targets, factory)

    async def catch_up(self, target: Target, subscribed: datetime | None = None) -> int:
        """The preview of each weekend whose preview window was open when the chat
        subscribed (``subscribed``, default now) and that it did not get: one outbox row
        under a key per weekend and chat, so subscribing again (or /stop and /start) never
        sends it twice. A window that opened after it subscribed is the preview's own."""
        now = self.clock.now()
        at = subscribed or now
        queued = 0
        if not self.settings.late_preview:
            return 0
        for series, event in self.catalog.events():
            window = preview_window(event, self.settings)
            if window is None or not window[0] <= at < window[1] or now >= window[1]:
                continue
            if not (target.active and target.wants_series(series.id)):
                continue
            key = f"{series.id}/{event.id}/preview"
            sent = await self.store.deliveries_for(key)
            if any((d.platform, d.chat_id) == (target.platform, target.chat_id) for d in sent):
                continue  # it got (or is getting) the preview itself
            queued += await self.publish(
                NotificationData(
                    key=f"{key}/late-{target.id}",
                    kind=NoticeKind.LATE_PREVIEW.value,
                    due=now,
                    expires=window[1],
                    posts={},
                    series_id=series.id,
                ),
                [target],
                functools.partial(render_preview, series, event, home=self.home),
            )
        return queued

    async def _notify_change(
        self, ref: SessionRef, previous: datetime | None, sequence: int
    ) -> int:
        targets: list[Target] = []
        async for chunk in chunks(await self.store.targets()):
            targets += [
                t for t in chunk if t.wants_series(ref.series.id) and t.wants_kind(ref.session.kind)
            ]
        return await self.publish(
            NotificationData(
                key=f"{ref.key}/change-{sequence}",
                kind=NoticeKind.CHANGE.value,
                due=self.clock.now(),
                expires=ref.session.end,
                posts={},
                series_id=ref.series.id,
                session_key=ref.key,
                session_kind=ref.session.kind.value,
            ),
            targets,
            lambda language, tz: render_change(ref, previous, language, tz, self.home),
        )

    # -- staff actions --------------------------------------------------------------------

    def session(self, key: str) -> SessionRef:
        ref = self.catalog.find(key)
        if ref is None:
            raise UserError(
                f"Okänt pass: {key}", "Use series/event/session, e.g. tcr-europe-2020/r6/race1"
            )
        return ref

    async def delay(self, key: str, minutes: int) -> Changed:
        """Move a session by ``minutes`` (negative moves it earlier) and tell everyone."""
        ref = self.session(key)
        await self.store.set_override(
            key, self.clock.now(), start=ref.session.start + timedelta(minutes=minutes)
        )
        queued = await self.refresh()
        return Changed(self.session(key), queued.get(key, 0))

    async def cancel(self, key: str) -> Changed:
        self.session(key)
        await self.store.set_override(key, self.clock.now(), cancelled=True)
        queued = await self.refresh()
        return Changed(self.session(key), queued.get(key, 0))

    async def announce(self, text: str | Mapping[str, str], series_id: str | None = None) -> int:
        """Queue a team message; ``text`` per language ("sv", "en") reaches each chat in
        its own, a single text reaches everyone."""
        by_language = {"": text} if isinstance(text, str) else dict(text)
        targets = await self.series_targets(series_id)
        now = self.clock.now()
        return await self.publish(
            NotificationData(
                key=f"announce/{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}",
                kind=NoticeKind.ANNOUNCE.value,
                due=now,
                expires=now + timedelta(days=1),
                posts={},
                series_id=series_id,
            ),
            targets,
            lambda language, _tz: render_announcement(
                by_language.get(language) or by_language.get("") or by_language["sv"], language
            ),
        )

    # -- questions ------------------------------------------------------------------------

    def upcoming(self, now: datetime, series_id: str | None = None) -> list[SessionRef]:
        refs = [
            ref
            for ref in self.catalog.sessions()
            if ref.session.end > now
            and not ref.session.cancelled
            and (series_id is None or ref.series.id == series_id)
        ]
        return sorted(refs, key=lambda r: r.session.start)


class Changed(NamedTuple):
    """A staff change to a session: the session now, and the notices it queued."""

    ref: SessionRef
    recipients: int


#: Targets looked at between two turns of the event loop (a few ms of filtering).
CHUNK = 5000
#: Subscribers a fire filters between two turns of the loop (see ``Engine.fire``).
FIRE_CHUNK = 1000


async def chunks(items: list[Target], size: int = CHUNK) -> AsyncIterator[list[Target]]:
    """``items`` in slices, letting the loop run between them: with 100k subscribers one
    pass over all of them would hold it for tens of milliseconds."""
    for start in range(0, len(items), size):
        if start:
            await asyncio.sleep(0)
        yield items[start : start + size]


def variant_key(language: str, tz: str) -> str:
    return f"{language}|{tz}"


def render_variants(
    targets: Iterable[Target],
    factory: PostFactory,
    default: tuple[str, str],
    present: set[tuple[str, str]] | None = None,
) -> dict[str, str]:
    """One rendering per (language, zone) actually present among the targets (``present``
    when the caller has collected them already); with none, one in ``default`` ([bot]
    language and timezone)."""
    if present is None:
        present = {(t.language, t.timezone) for t in targets}
    wanted = present or {default}
    posts: dict[str, str] = {}
    for language, tz in sorted(wanted):
        post = factory(language, ZoneInfo(tz))
        posts[variant_key(language, tz)] = post.to_json()
        posts.setdefault(language, post.to_json())
    return posts
