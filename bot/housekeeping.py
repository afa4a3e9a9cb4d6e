"""Housekeeping: the outbox keeps only recent history.

Every delivery row ever sent stayed forever before (issue #16): at 5M rows SQLite's
housekeeping queries scanned the whole table under the write lock. Settled rows (sent,
expired, superseded, failed) older than ``[storage] retention_days`` are deleted in small
batches, each its own short transaction, so sending goes on between them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

from bot.core.clock import Clock
from bot.store.health import is_outage
from bot.store.store import Store

log = logging.getLogger(__name__)

#: How often the outbox is swept, and how many rows one transaction deletes.
SWEEP_EVERY = timedelta(minutes=10)
BATCH = 500
#: A photo nothing names (its release cancelled, or another photo sent instead) is kept
#: this long after it was sent: a paste waiting for /done names its photo meanwhile.
UNUSED_PHOTO_KEPT = timedelta(days=2)


class Housekeeper:
    def __init__(
        self,
        store: Store,
        clock: Clock,
        *,
        keep: timedelta,
        every: timedelta = SWEEP_EVERY,
        batch: int = BATCH,
    ) -> None:
        self.store = store
        self.clock = clock
        self.keep = keep
        self.every = every
        self.batch = batch
        self.deleted = 0
        self._task: asyncio.Task[None] | None = None

    async def sweep(self) -> int:
        """Delete every settled row older than ``keep``, one batch per transaction."""
        before = self.clock.now() - self.keep
        total = 0
        while True:
            gone = await self.store.prune_deliveries(before, self.batch)
            total += gone
            if gone < self.batch:
                break
            await asyncio.sleep(0)  # claims and marks take the write lock in between
        self.deleted += total
        if total:
            log.info("outbox: deleted %d delivery rows settled before %s", total, before)
        photos = await self.store.prune_images(self.clock.now() - UNUSED_PHOTO_KEPT)
        if photos:
            log.info("release photos: deleted %d that nothing names any more", photos)
        return total

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="housekeeping")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            try:
                await self.sweep()
            except Exception as exc:  # the database is away: the next sweep catches up
                if not is_outage(exc):
                    log.exception("outbox housekeeping failed; trying again later")
            # Real loop time, not the injected clock: a chore's pace is not domain time,
            # and a virtual clock jumping ahead need not stop at every sweep.
            await asyncio.sleep(self.every.total_seconds())
