"""One timer engine the scheduler listens to: run an action at an instant, keyed by id.

``APSchedulerTimer`` is production (APScheduler 3.x AsyncIOScheduler on the bot's loop,
in-memory jobs rebuilt from data, nothing pickled). ``ClockTimer`` follows an injected
``Clock``, so tests and ``racebot demo`` replay weekends on virtual time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger

from bot.core.clock import Clock

Action = Callable[[], Awaitable[None]]
log = logging.getLogger(__name__)


class Timer(Protocol):
    def schedule(self, key: str, at: datetime, action: Action) -> None: ...

    def retain(self, keys: set[str]) -> None: ...

    def pending(self) -> set[str]: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class APSchedulerTimer:
    """Jobs in APScheduler's memory store; job id = notification key."""

    def __init__(self) -> None:
        self.scheduler = AsyncIOScheduler(
            timezone=UTC,
            job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
        )

    def schedule(self, key: str, at: datetime, action: Action) -> None:
        self.scheduler.add_job(
            action, DateTrigger(run_date=at, timezone=UTC), id=key, replace_existing=True
        )

    def retain(self, keys: set[str]) -> None:
        for job in self.scheduler.get_jobs():
            if job.id not in keys:
                job.remove()

    def pending(self) -> set[str]:
        return {job.id for job in self.scheduler.get_jobs()}

    async def start(self) -> None:
        self.scheduler.start()

    async def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)


class ClockTimer:
    """Timers as tasks sleeping on an injected clock (virtual time in tests and demos)."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._tasks: dict[str, asyncio.Task[None]] = {}

    def schedule(self, key: str, at: datetime, action: Action) -> None:
        old = self._tasks.pop(key, None)
        if old is not None:
            old.cancel()
        self._tasks[key] = asyncio.create_task(self._run(key, at, action), name=f"timer:{key}")

    async def _run(self, key: str, at: datetime, action: Action) -> None:
        await self.clock.sleep((at - self.clock.now()).total_seconds())
        self._tasks.pop(key, None)
        try:
            await action()
        except Exception:
            log.exception("timer %s failed", key)

    def retain(self, keys: set[str]) -> None:
        for key in list(self._tasks):
            if key not in keys:
                self._tasks.pop(key).cancel()

    def pending(self) -> set[str]:
        return set(self._tasks)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        tasks = list(self._tasks.values())
        self._tasks.clear()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
