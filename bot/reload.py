"""Schedule reload while running: on a change in the schedules folder, and on SIGHUP.

A folder that fails validation is refused as a whole, every problem logged with its
file:line, and the schedule in force stays as it was: a bad edit never becomes an outage.
Reloads never overlap; a change arriving during one runs one more afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

from watchfiles import awatch

from bot.core.errors import ScheduleErrors
from bot.scheduler import Engine

log = logging.getLogger(__name__)

#: Editors write a file in several steps (temp file, rename): wait for the burst to end.
DEBOUNCE_MS = 300


class ScheduleWatcher:
    def __init__(self, engine: Engine, folder: Path, *, debounce_ms: int = DEBOUNCE_MS) -> None:
        self.engine = engine
        self.folder = folder
        self.debounce_ms = debounce_ms
        self._stop = asyncio.Event()
        self._watch_task: asyncio.Task[None] | None = None
        self._reload_task: asyncio.Task[None] | None = None
        self._again = False
        self.reloads = 0
        self.refused = 0

    def start(self) -> None:
        self._watch_task = asyncio.create_task(self._watch(), name="schedule-watch")

    def request(self, why: str = "SIGHUP") -> None:
        """Reload soon (safe from a signal handler); coalesces with one under way."""
        log.info("schedules: reload requested (%s)", why)
        if self._reload_task is not None and not self._reload_task.done():
            self._again = True
            return
        self._reload_task = asyncio.create_task(self._reload_loop(), name="schedule-reload")

    async def _watch(self) -> None:
        try:
            async for changes in awatch(
                self.folder,
                stop_event=self._stop,
                debounce=self.debounce_ms,
                recursive=True,
                ignore_permission_denied=True,
            ):
                names = sorted({Path(p).name for _, p in changes})
                self.request(f"changed: {', '.join(names)}")
        except Exception as exc:  # e.g. the folder was removed: SIGHUP still works
            log.warning(
                "schedules: no longer watching %s (%s); reload with SIGHUP", self.folder, exc
            )

    async def _reload_loop(self) -> None:
        self._again = True
        while self._again:
            self._again = False
            await self.reload()

    async def reload(self) -> bool:
        """One reload; True if the new schedule is in force."""
        try:
            catalog = await self.engine.reload()
        except ScheduleErrors as exc:
            self.refused += 1
            log.error("schedules: reload refused, the previous schedule stays in force:\n%s", exc)
            return False
        except Exception as exc:  # e.g. the database is away: try on the next change
            self.refused += 1
            log.error("schedules: reload failed (%s: %s)", type(exc).__name__, exc)
            return False
        self.reloads += 1
        sessions = sum(1 for _ in catalog.sessions())
        log.info(
            "schedules: reloaded from %s: %d series, %d sessions",
            self.folder,
            len(catalog.series),
            sessions,
        )
        return True

    async def stop(self) -> None:
        self._stop.set()
        for task in (self._watch_task, self._reload_task):
            if task is not None:
                with contextlib.suppress(TimeoutError, asyncio.CancelledError, Exception):
                    await asyncio.wait_for(task, 5)
