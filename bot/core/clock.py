"""Injectable clocks: the bot never asks the host for the time directly.

Every instant is an aware UTC datetime. ``VirtualClock`` lets tests and ``racebot demo``
replay a past weekend at any speed without sleeping for real.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Source of the current instant and of waiting until a later one."""

    def now(self) -> datetime: ...

    async def sleep(self, seconds: float) -> None: ...


def require_utc(instant: datetime) -> datetime:
    """Reject naive datetimes at the boundary instead of guessing a zone."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"naive datetime {instant!r}: instants must be timezone-aware")
    return instant.astimezone(UTC)


class SystemClock:
    """Wall-clock time in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


class VirtualClock:
    """A clock that only moves when told to, or (``autorun``) jumps to the next sleeper.

    ``advance`` wakes every sleeper whose deadline has passed, in deadline order, letting
    the event loop run their continuations between wake-ups.
    """

    def __init__(self, start: datetime) -> None:
        self._now = require_utc(start)
        self._sleepers: list[tuple[datetime, int, asyncio.Future[None]]] = []
        self._counter = itertools.count()

    def now(self) -> datetime:
        return self._now

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        deadline = self._now + timedelta(seconds=seconds)
        heapq.heappush(self._sleepers, (deadline, next(self._counter), future))
        await future

    def next_deadline(self) -> datetime | None:
        """When the earliest sleeper wakes, so a driver can jump straight there."""
        while self._sleepers and self._sleepers[0][2].done():
            heapq.heappop(self._sleepers)
        return self._sleepers[0][0] if self._sleepers else None

    async def advance_to(self, target: datetime) -> None:
        """Move time forward to ``target``, waking sleepers on the way in order."""
        target = require_utc(target)
        if target < self._now:
            raise ValueError("a clock never goes backwards")
        while True:
            await _settle()
            deadline = self.next_deadline()
            if deadline is None or deadline > target:
                break
            self._now = max(self._now, deadline)
            while self._sleepers and self._sleepers[0][0] <= self._now:
                _, _, future = heapq.heappop(self._sleepers)
                if not future.done():
                    future.set_result(None)
        self._now = target
        await _settle()

    async def advance(self, delta: timedelta) -> None:
        await self.advance_to(self._now + delta)


async def _settle(rounds: int = 20) -> None:
    """Give ready callbacks a few loop turns so woken tasks reach their next await."""
    for _ in range(rounds):
        await asyncio.sleep(0)
