"""Wires the bot on one event loop: store, engine, timers, delivery workers, platforms, web."""

from __future__ import annotations

import asyncio
import contextlib
import functools
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
from bot.core.texts import texts
from bot.core.timeutil import zone
from bot.delivery import DeliveryWorker
from bot.housekeeping import Housekeeper
from bot.leases import LEASED_POLL_TIMEOUT, PlatformLease, lease_name, process_id
from bot.metrics import Metrics
from bot.platforms import registry
from bot.platforms.base import Adapter, Sender
from bot.reload import ScheduleWatcher
from bot.scheduler import Engine
from bot.sendpath import AnswerLane
from bot.service import chats, fan, followups, release, results, roster, settings, staff
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
    #: Each platform under a lease (PostgreSQL, ``[storage] lease_seconds``): this process
    #: polls, connects to and sends to it only while it holds the lease (bot.leases).
    leases: dict[str, PlatformLease] = field(init=False, default_factory=dict)
    #: ``held`` or ``standby`` per leased platform (/healthz).
    lease_states: dict[str, str] = field(init=False, default_factory=dict)
    _switches: dict[str, asyncio.Task[None]] = field(init=False, default_factory=dict)
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
                title=texts(config.bot.language).render.console_chat,
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
        # Start-up reads every subscriber: 100k long-lived objects, during which the
        # collector would run full collections over what can only survive (~100 ms each,
        # bench_rebuild). It is paused for that read and what was loaded then stays out of
        # its sight for the process's life: a full collection no longer walks 100k targets
        # and holds the loop for ~200 ms (issue #16). Refcounting still frees it.
        gc.disable()
        try:
            await self.engine.start()
        finally:
            gc.enable()
        gc.freeze()
        await self.commands.load_staff()
        if config.web.enabled:
            await self._start_web()
        self._make_leases()
        for adapter in self.adapters:
            lease = self.leases.get(adapter.name)
            if lease is None:
                await self._connect_or_retry(adapter)
                continue
            await lease.start()  # held: connects now; else stands by
            switching = self._switches.get(adapter.name)
            if switching is not None:
                await switching
        self.notes += [
            f"{name}: standing by, another process holds its lease (bot.leases)"
            for name, lease in self.leases.items()
            if not lease.holds()
        ]
        for name, worker in self.workers.items():
            # A platform still away starts its worker when it connects; a leased one's
            # worker runs always and sends only while the lease is held.
            if name in self.leases or self.platforms.get(name) is None:
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
                worker.wake() if adapter.name in self.leases else worker.start()
            return

    # -- one process per bot token (bot.leases) -------------------------------------------

    def _make_leases(self) -> None:
        """A lease per platform with a token, on PostgreSQL: several processes may share
        the database, and only one of them may use each token. SQLite has one process."""
        ttl = self.config.storage.lease_seconds
        if not (self.store.is_postgres and ttl):
            return
        holder = process_id()
        for adapter in self.adapters:
            token = getattr(getattr(self.config, adapter.name, None), "token", "")
            if not token:
                continue
            poll = getattr(adapter, "poll_timeout", None)
            polls = isinstance(poll, int) and not getattr(adapter, "webhook_path", None)
            if polls:  # a poll in flight must end before the lease can pass on
                adapter.poll_timeout = min(int(poll or 0), LEASED_POLL_TIMEOUT)  # type: ignore[attr-defined]
            name = adapter.name
            reach = getattr(adapter, "reach", None)  # the adapter says when it is cut off
            lease = PlatformLease(
                self.store.leases,
                lease_name(name, token),
                holder,
                SystemClock(),  # real seconds, whatever clock the bot plans with
                ttl=ttl,
                linger=LEASED_POLL_TIMEOUT + 0.5 if polls else 0.0,
                on_acquire=functools.partial(self._switch, adapter, up=True),
                on_lose=functools.partial(self._lost, adapter),
                unreachable_for=reach.unreachable_for if reach is not None else lambda: 0.0,
            )
            self.leases[name] = lease
            self.lease_states[name] = "standby"
            self.metrics.lease.labels(name).set(0)
            self.platforms.pop(name, None)  # not this process's to connect, until held
            worker = self.workers.get(name)
            if worker is not None:
                worker.may_send = functools.partial(self._may_send, name, lease)

    def _may_send(self, name: str, lease: PlatformLease) -> bool:
        """A leased platform's gate: held, and connected (``None`` in ``platforms``)."""
        return lease.holds() and name in self.platforms and self.platforms[name] is None

    def _lost(self, adapter: Adapter, _why: str) -> None:
        self._switch(adapter, up=False)

    def _switch(self, adapter: Adapter, *, up: bool) -> None:
        """The lease came or went: connect the platform, or stop it (one at a time)."""
        previous = self._switches.get(adapter.name)
        self._switches[adapter.name] = asyncio.create_task(
            self._switch_to(adapter, up, previous), name=f"lease-switch-{adapter.name}"
        )

    async def _switch_to(
        self, adapter: Adapter, up: bool, previous: asyncio.Task[None] | None
    ) -> None:
        if previous is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await previous
        name = adapter.name
        self.lease_states[name] = "held" if up else "standby"
        self.metrics.lease.labels(name).set(int(up))
        worker = self.workers.get(name)
        if up:
            self.platforms[name] = "not connected yet"
            if worker is not None:  # what the last holder had in hand is ours to send now
                with contextlib.suppress(Exception):  # else its row leases run out
                    taken = await self.store.claims.take_over(
                        name, worker.worker_id, self.clock.now()
                    )
                    if taken:
                        log.info(
                            "%s: %d rows the last holder had in hand queued again", name, taken
                        )
            await self._connect_or_retry(adapter)
            if worker is not None:
                worker.wake()
            return
        self.platforms.pop(name, None)
        for task in [t for t in self._reconnects if t.get_name() == f"connect-{name}"]:
            task.cancel()
            self._reconnects.remove(task)
        with contextlib.suppress(Exception):
            await adapter.stop()

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
            leases=self.lease_states,
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
        for lease in self.leases.values():
            await lease.stop()  # nothing more is sent or polled for a leased platform
        for task in self._switches.values():
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await task
        for worker in self.workers.values():
            await worker.stop()
        for adapter in self.adapters:
            await adapter.stop()
        for lease in self.leases.values():
            await lease.release()  # the next process takes over now, not when it runs out
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
            if busy or ready or counts.get("sending") or self.engine.busy or followups.busy():
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
