"""Wires the bot on one event loop: store, engine, timers, delivery workers, platforms, web."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot import installed_version, reporting
from bot.config import Config
from bot.core.capacity import capacity_lines
from bot.core.clock import Clock, SystemClock
from bot.core.errors import PlatformUnreachable, brief
from bot.core.feeds import derive_secret
from bot.core.model import Catalog
from bot.core.reminders import PlanSettings
from bot.core.schedule import load_catalog
from bot.core.timeutil import zone
from bot.delivery import DeliveryWorker
from bot.housekeeping import Housekeeper
from bot.metrics import Metrics
from bot.platforms import registry
from bot.platforms.base import Adapter, Sender
from bot.reload import ScheduleWatcher
from bot.scheduler import Engine
from bot.sendpath import AnswerLane
from bot.service import chats, fan, release, results, roster, settings, staff
from bot.service.commands import Commands
from bot.startup import open_store, port_taken
from bot.store.health import Backoff
from bot.store.store import PENDING, SENDING, Store
from bot.timers import APSchedulerTimer, Timer

log = logging.getLogger(__name__)

#: What a platform that does not answer at start raises (its adapter wraps most of them).
UNREACHABLE = (PlatformUnreachable, OSError, TimeoutError)


def feed_secret(config: Config) -> bytes:
    """``[web] feed_secret``, else one derived from the bot tokens (``bot.core.feeds``)."""
    if config.web.feed_secret:
        return config.web.feed_secret.encode()
    return derive_secret(config.telegram.token, config.discord.token)


@dataclass
class App:
    config: Config
    clock: Clock = field(default_factory=SystemClock)
    timer: Timer | None = None
    senders: Sequence[Sender] = ()
    idle_poll: float = 5.0
    console_target: bool = True
    #: Reload the schedules folder when a file in it changes (``racebot run``).
    watch_schedules: bool = False
    store: Store = field(init=False)
    engine: Engine = field(init=False)
    commands: Commands = field(init=False)
    workers: dict[str, DeliveryWorker] = field(init=False, default_factory=dict)
    adapters: list[Adapter] = field(init=False, default_factory=list)
    notes: list[str] = field(init=False, default_factory=list)
    watcher: ScheduleWatcher | None = field(init=False, default=None)
    #: Every counter, histogram and gauge /metrics serves (see bot.metrics).
    metrics: Metrics = field(init=False, default_factory=lambda: Metrics(process=True))
    #: Each platform adapter: None while connected, else why not (/healthz, /metrics).
    platforms: dict[str, str | None] = field(init=False, default_factory=dict)
    #: Backoff (first, cap) in seconds between tries to reach a platform away at start.
    reconnect: tuple[float, float] = (2.0, 60.0)
    housekeeper: Housekeeper | None = field(init=False, default=None)
    _runners: list[Any] = field(init=False, default_factory=list)
    _reconnects: list[asyncio.Task[None]] = field(init=False, default_factory=list)

    async def start(self) -> None:
        config = self.config
        seen = config.observability
        reporting.start(
            seen.sentry_dsn, release=installed_version(), environment=seen.sentry_environment
        )
        catalog = load_catalog(config.bot.schedules)
        self.store = await open_store(config.storage.url)
        settings = PlanSettings(
            leads=tuple(config.reminders.leads),
            preview_time=config.reminders.preview_time,
            preview_days_before=config.reminders.preview_days_before,
            late_preview=config.reminders.late_preview,
            grace=timedelta(minutes=config.reminders.grace),
            home=zone(config.bot.timezone),
            language=config.bot.language,
        )
        self.engine = Engine(
            store=self.store,
            clock=self.clock,
            timer=self.timer or APSchedulerTimer(),
            catalog=catalog,
            settings=settings,
            schedules=config.bot.schedules,
        )
        self.commands = build_commands(self.engine)
        # Senders given by a test or bench stand in for every platform, the console too.
        self.adapters = adapters_from_config(config, self.clock, fallback=not self.senders)
        self.platforms.update((adapter.name, "not connected yet") for adapter in self.adapters)
        senders = list(self.senders) or list(self.adapters)
        for sender in senders:
            worker = DeliveryWorker(
                self.store, sender, self.clock, idle_poll=self.idle_poll, metrics=self.metrics
            )
            self.workers[sender.name] = worker
            self.metrics.add_platform(sender.name)
            lane = getattr(sender, "answers", None)
            if isinstance(lane, AnswerLane):
                lane.metrics = self.metrics
        self.metrics.before_scrape(self._count_queues)
        self.engine.rates = {s.name: s.limits.global_per_second for s in senders}
        self.engine.on_enqueue(self._wake)
        if self.console_target and "console" in self.workers:
            await self.store.subscribe(
                "console",
                "console",
                self.clock.now(),
                title="konsol",
                chat_kind="private",
                language=config.bot.language,
                timezone=config.bot.timezone,
            )
        self.notes = platform_notes(config)
        idle = nothing_upcoming(
            catalog, config.bot.schedules, self.clock.now(), config.bot.timezone
        )
        if idle:
            self.notes.append(idle)
        if seen.sentry_dsn:
            self.notes.append("errors: reported to Sentry ([observability] sentry_dsn)")
        census = await self.store.subscriptions.census()
        self.notes += capacity_lines(
            census,
            self.engine.rates,
            useful_minutes=config.reminders.grace,
            paid=registry.paid(config),
        )
        self.commands.configure(
            language=config.bot.language,
            timezone=config.bot.timezone,
            public_url=config.web.public_url,
            feed_secret=feed_secret(config),
        )
        await self.engine.start()
        # What start-up loaded (the schedule, every subscriber) stays for the process's
        # life: out of the collector's sight, a full collection no longer walks 100k
        # targets and holds the loop for ~200 ms (issue #16). Refcounting still frees it.
        gc.freeze()
        await self.commands.load_staff()
        if config.web.enabled:
            await self._start_web()
        for adapter in self.adapters:
            await self._connect_or_retry(adapter)
        for name, worker in self.workers.items():
            if self.platforms.get(name) is None:  # a platform still away: when it connects
                worker.start()
        self.housekeeper = Housekeeper(
            self.store, self.clock, keep=timedelta(days=config.storage.retention_days)
        )
        self.housekeeper.start()
        self.watcher = ScheduleWatcher(self.engine, config.bot.schedules)
        if self.watch_schedules:
            self.watcher.start()
            self.notes.append(f"schedules: watching {config.bot.schedules} (and SIGHUP)")

    async def _connect_or_retry(self, adapter: Adapter) -> None:
        """Start a platform; one that does not answer is retried in the background while
        the rest runs (/healthz names it). A refused token still stops the start."""
        if not await self._try_start(adapter):
            log.warning("%s; retrying in the background", self.platforms[adapter.name])
            task = asyncio.create_task(self._reconnect(adapter), name=f"connect-{adapter.name}")
            self._reconnects.append(task)

    async def _try_start(self, adapter: Adapter) -> bool:
        """True once connected; False (and why, in ``platforms``) if it did not answer."""
        try:
            await adapter.start(self.commands)
        except UNREACHABLE as exc:
            why = exc.message if isinstance(exc, PlatformUnreachable) else brief(exc)
            self.platforms[adapter.name] = why
            return False
        self.platforms[adapter.name] = None
        return True

    async def _reconnect(self, adapter: Adapter) -> None:
        backoff = Backoff(*self.reconnect)
        tries = 1
        while True:
            await asyncio.sleep(backoff.next())
            with contextlib.suppress(Exception):
                await adapter.stop()  # what the last try left half open
            tries += 1
            try:
                if not await self._try_start(adapter):
                    continue
            except Exception as exc:  # e.g. the token refused: no retry will help
                self.platforms[adapter.name] = str(getattr(exc, "message", None) or brief(exc))
                log.error("%s stays off: %s", adapter.name, exc)
                reporting.report(exc, "connect", platform=adapter.name)
                return
            log.info("%s: connected after %d tries", adapter.name, tries)
            worker = self.workers.get(adapter.name)
            if worker is not None:
                worker.start()
            return

    def reload_schedules(self) -> None:
        """SIGHUP: re-read the schedules folder; a broken one keeps the schedule in force."""
        if self.watcher is not None:
            self.watcher.request("SIGHUP")

    async def _start_web(self) -> None:
        from aiohttp import web

        from bot.web import SiteInfo, create_web_app

        info = SiteInfo(
            public_url=self.config.web.public_url,
            discord_url=self.config.discord.invite_url,
            bot_name=self.config.bot.name,
            home=self.engine.home,
        )
        site_app = create_web_app(
            self.engine,
            info,
            self.store.health,
            metrics=self.metrics,
            platforms=self.platforms,
            feed_secret=feed_secret(self.config),
        )
        for adapter in self.adapters:
            routes = getattr(adapter, "web_routes", None)
            if routes is not None:
                site_app.add_routes(routes())  # e.g. the Telegram webhook
        runner = web.AppRunner(site_app, access_log=None)
        await runner.setup()
        self._runners.append(runner)
        site = web.TCPSite(runner, self.config.web.host, self.config.web.port)
        try:
            await site.start()
        except OSError as exc:
            raise port_taken(self.config.web.host, self.config.web.port, exc) from exc
        self.notes.append(f"web: on at http://{self.config.web.host}:{self.config.web.port}/")

    async def _count_queues(self) -> None:
        """Queue depth per platform: outbox rows waiting or in flight, answers waiting."""
        for name, worker in self.workers.items():
            counts = await self.store.delivery_counts(platform=name)
            waiting = counts.get(PENDING, 0) + counts.get(SENDING, 0)
            self.metrics.queue.labels(name, "broadcast").set(waiting)
            lane = getattr(worker.sender, "answers", None)
            if isinstance(lane, AnswerLane):
                self.metrics.queue.labels(name, "answer").set(lane.pending)

    def _wake(self, platform: str) -> None:
        worker = self.workers.get(platform)
        if worker is not None:
            worker.wake()

    async def stop(self) -> None:
        """Stop what is running; safe after a start that failed half way."""
        if self.watcher is not None:
            await self.watcher.stop()
        for task in self._reconnects:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self.housekeeper is not None:
            await self.housekeeper.stop()
        for worker in self.workers.values():
            await worker.stop()
        for adapter in self.adapters:
            await adapter.stop()
        if hasattr(self, "engine"):
            await self.engine.stop()
        for runner in self._runners:
            await runner.cleanup()
        self._runners.clear()
        if hasattr(self, "store"):
            await self.store.close()
        await asyncio.to_thread(reporting.stop)  # send what is queued

    async def settle(self, rounds: int = 400) -> bool:
        """Wait (a few ms at a time) until no delivery is ready to go; for tests and demos.

        False if it was still busy after ``rounds`` (tests turn that into a failure)."""
        quiet = 0
        for _ in range(rounds):
            await asyncio.sleep(0.002)
            # Busy first: a timer that fires while we query would otherwise go unseen;
            # ready before counts, so a row claimed between the two queries is seen sending.
            busy = self.engine.busy
            ready = await self._ready()
            counts = await self.store.delivery_counts()
            if busy or ready or counts.get("sending") or self.engine.busy:
                quiet = 0
                continue
            quiet += 1
            if quiet >= 2:
                return True
        return False

    async def _ready(self) -> bool:
        for name in self.workers:
            upcoming = await self.store.next_attempt(name)
            if upcoming is not None and upcoming <= self.clock.now():
                return True
        return False


def nothing_upcoming(catalog: Catalog, folder: Path, now: datetime, timezone: str) -> str | None:
    """What the operator should hear when no weekend is still to come, else None."""
    today = now.astimezone(zone(timezone)).date()
    events = [event for _, event in catalog.events()]
    if any(e.last_day >= today or (e.ends is not None and e.ends > now) for e in events):
        return None
    if not events:
        return (
            f"Nothing upcoming: {folder} holds no race weekend; add a season's schedule file "
            "(README: Schedule files)"
        )
    last = max(e.last_day for e in events)
    return (
        f"Nothing upcoming: the last weekend in {folder} ended {last.isoformat()}; "
        "add the next season's file"
    )


def build_commands(engine: Engine) -> Commands:
    """The service with every command group, registered here and nowhere else."""
    commands = Commands(engine)
    groups = (chats, settings, fan, staff, results, roster, release)
    for group in (module.group() for module in groups):
        commands.register(group)
    return commands


def adapters_from_config(config: Config, clock: Clock, *, fallback: bool = True) -> list[Adapter]:
    """One adapter per registered platform with a token, else the console (``fallback``);
    each is imported only when on, so its library stays optional."""
    return [p.create(config, clock) for p in registry.enabled(config, fallback=fallback)]


def platform_notes(config: Config) -> list[str]:
    """Say which platforms are off and why, so an operator knows what to configure."""
    return registry.notes(config)


async def run_forever(app: App) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    with contextlib.suppress(NotImplementedError, AttributeError):  # no SIGHUP on Windows
        loop.add_signal_handler(signal.SIGHUP, app.reload_schedules)
    try:
        await app.start()
    except BaseException:
        await app.stop()  # whatever did start (web server, timers, database) goes down
        raise
    for note in app.notes:
        log.info(note)  # start lines, not warnings: the CLI logs at INFO
    try:
        await stop.wait()
    finally:
        await app.stop()
