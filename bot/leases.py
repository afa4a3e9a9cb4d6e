"""One process per bot token: a lease in the database says which process may use it.

Several ``racebot run`` on one PostgreSQL all fire timers and queue outbox rows, but only
the process holding a platform's lease polls or connects to that platform (Telegram long
polling, the Discord gateway) and sends to it, so the token has one rate budget and one
inbound side. The others stand by and take the lease when it runs out.

The rule that keeps it exclusive, even when the holder is cut off from the database (a
network partition) rather than dead:

- ``take`` succeeds only for the holder or once the row's ``expires_at`` (database time)
  has passed. A renewal that started at local monotonic ``t0`` sets ``expires_at`` to at
  least ``t0 + ttl`` in real time, so the holder may count on the lease until ``t0 + ttl``;
- the holder acts (``holds()``) only until ``t0 + ttl - margin``. ``margin`` covers what
  outlives a decision to stop: a long poll already sent (it is held by the platform for its
  timeout) and a send in flight. So when a renewal does not come back in time, the holder
  has stopped polling and sending before anyone else could have taken the lease;
- a clean stop releases the lease with ``linger`` (the poll it cut off), so the next
  process takes over at once after that, without a 409 Conflict.

A process killed with ``kill -9`` is replaced once its lease runs out: at most ``ttl`` plus
one standby poll later.

The lease follows the database, so a holder cut off from its platform (not the database)
would keep it while a standby that reaches the platform waits. Hence: a standby keeps a
presence row of its own (``standby_name``, a few seconds' ttl), and a holder whose
platform has failed for ``give_up_after`` seconds on end (``unreachable_for``, from the
adapter) releases with its ``linger`` when such a row is live, then stays out for one
``ttl`` so the standby takes over. A process alone keeps the lease and keeps retrying.

Why a row with an expiry, not ``pg_try_advisory_lock``: see
ARCHITECTURE.md ("One process per bot token").
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from typing import Any

from bot.core.clock import Clock
from bot.store.leases import Leases, standby_name

log = logging.getLogger(__name__)

#: How long a lease lasts without renewal, how often it is renewed, how often a standby
#: looks, and what the holder keeps in hand beyond a decision to stop (``margin``).
TTL = 8.0
RENEW_EVERY = 1.0
STANDBY_POLL = 1.0
#: Telegram's long poll while leases are on: shorter than ``margin`` (see the module doc).
LEASED_POLL_TIMEOUT = 3
MARGIN = LEASED_POLL_TIMEOUT + 1.0
#: How long a holder's platform must fail on end before a standby may have the lease.
GIVE_UP_AFTER = 60.0


def lease_name(platform: str, token: str) -> str:
    """``telegram:3f2a…``: the platform and a fingerprint of its token, never the token."""
    digest = hashlib.sha256(f"racebot-lease:{token}".encode()).hexdigest()[:16]
    return f"{platform}:{digest}"


def process_id() -> str:
    """Who holds a lease, as an operator reads it: host, pid and a random part."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class PlatformLease:
    """Keeps (or waits for) one lease; calls ``on_acquire`` / ``on_lose`` on each change.

    ``holds()`` is the gate every send and poll decision reads: true only while the lease
    is known to be this process's with ``margin`` to spare, whatever the loop is doing.
    """

    def __init__(
        self,
        leases: Leases,
        name: str,
        holder: str,
        clock: Clock,
        *,
        ttl: float = TTL,
        renew_every: float = RENEW_EVERY,
        standby_poll: float = STANDBY_POLL,
        margin: float = MARGIN,
        linger: float = 0.0,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], datetime] | None = None,
        on_acquire: Callable[[], None] = lambda: None,
        on_lose: Callable[[str], None] = lambda why: None,
        unreachable_for: Callable[[], float] = lambda: 0.0,
        give_up_after: float = GIVE_UP_AFTER,
    ) -> None:
        if margin + renew_every >= ttl:
            raise ValueError("a lease must outlast its margin plus one renewal")
        self.leases = leases
        self.name = name
        self.holder = holder
        self.clock = clock
        self.ttl = ttl
        self.renew_every = renew_every
        self.standby_poll = standby_poll
        self.margin = margin
        self.linger = linger
        self._monotonic = monotonic
        #: None: the database's clock decides expiry (production); else this one (tests).
        self._wall = wall
        self._on_acquire = on_acquire
        self._on_lose = on_lose
        self._unreachable_for = unreachable_for
        self.give_up_after = give_up_after
        self._resting_until = 0.0  # gave the lease up for a standby: no take before this
        self._held = False
        self._until = 0.0  # monotonic time until which this process may act
        self._task: asyncio.Task[None] | None = None
        self.acquired = 0  # how often this process took the lease (metrics, tests)

    def holds(self) -> bool:
        return self._held and self._monotonic() < self._until

    async def start(self) -> None:
        """Try once now (a lone process holds its platforms before start returns), then
        keep renewing or watching in the background."""
        await self.step()
        self._task = asyncio.create_task(self._run(), name=f"lease-{self.name}")

    async def stop(self) -> None:
        """Stop renewing and acting (``holds()`` turns false); ``release`` gives it up."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._until = 0.0

    async def release(self) -> None:
        """Give the lease up for the next process, once what used it has stopped."""
        await self.stop()
        if not self._held:
            return
        self._held = False
        try:
            await self.leases.release(
                self.name, self.holder, timedelta(seconds=self.linger), self._now()
            )
            log.info("lease %s: released by %s", self.name, self.holder)
        except Exception as exc:  # the database is away: the lease runs out by itself
            log.warning(
                "lease %s: could not release it (%s); it runs out within %.0f s",
                self.name,
                type(exc).__name__,
                self.ttl,
            )

    async def _run(self) -> None:
        while True:
            await self.clock.sleep(self._pause())
            await self.step()

    def _pause(self) -> float:
        if not self._held:
            return self.standby_poll
        # Wake for the stand-down even if a renewal is due later (it never is, today).
        return max(0.0, min(self.renew_every, self._until - self._monotonic()))

    def _now(self) -> datetime | None:
        return None if self._wall is None else self._wall()

    async def step(self) -> None:
        """One renewal or one try to take the lease, and what follows from its outcome."""
        if self._held and not self.holds():  # not renewed in time: stop before it can go
            self._lose("not renewed in time")
        started = self._monotonic()
        if not self._held and started < self._resting_until:
            await self._stand_by()  # the lease is the standby's to take now
            return
        budget = self.renew_every if not self._held else max(0.0, self._until - started)
        try:
            taken = await self._within(
                self.leases.take(self.name, self.holder, timedelta(seconds=self.ttl), self._now()),
                max(budget, 0.05),
            )
        except Exception as exc:  # database away or too slow: keep what time allows
            if self._held and not self.holds():
                self._lose(f"cannot renew it ({type(exc).__name__})")
            return
        if taken:
            self._until = started + self.ttl - self.margin
            if not self._held:
                self._held = True
                self.acquired += 1
                log.info("lease %s: acquired by %s", self.name, self.holder)
                self._on_acquire()
            await self._hand_over_if_cut_off()
        elif self._held:
            self._lose("taken by another process")
        else:
            await self._stand_by()

    async def _stand_by(self) -> None:
        """Say this process stands by (its presence row, for a holder cut off from its
        platform to see); a failure only means the holder does not learn of it."""
        ttl = timedelta(seconds=3 * self.standby_poll)
        with contextlib.suppress(Exception):
            await self._within(
                self.leases.take(standby_name(self.name), self.holder, ttl, self._now()),
                self.standby_poll,
            )

    async def _hand_over_if_cut_off(self) -> None:
        """The platform has failed for ``give_up_after`` s on end and another process
        stands by: stop, give the lease up (with ``linger``) and stay out for one ttl."""
        away = self._unreachable_for()
        if away < self.give_up_after:
            return
        try:
            other = await self._within(
                self.leases.standing_by(self.name, self.holder, self._now()),
                max(0.05, self._until - self._monotonic()),
            )
        except Exception:  # cannot tell: keep it, ask again at the next renewal
            return
        if not other:
            return  # alone: keep retrying the platform
        self._until = 0.0  # no more polls or sends from here on
        self._resting_until = self._monotonic() + self.ttl
        with contextlib.suppress(Exception):  # else it runs out within ttl all the same
            await self.leases.release(
                self.name, self.holder, timedelta(seconds=self.linger), self._now()
            )
        self._lose(f"its platform failed for {away:.0f} s and another process stands by")

    async def _within(self, call: Coroutine[Any, Any, bool], seconds: float) -> bool:
        """``call``'s answer, or TimeoutError after ``seconds`` on this lease's clock."""
        answer = asyncio.ensure_future(call)
        timer = asyncio.ensure_future(self.clock.sleep(seconds))
        try:
            await asyncio.wait({answer, timer}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            timer.cancel()
        if not answer.done():
            answer.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await answer
            raise TimeoutError(f"no answer in {seconds:.1f} s")
        return answer.result()

    def _lose(self, why: str) -> None:
        self._held = False
        log.warning("lease %s: lost by %s: %s; standing by", self.name, self.holder, why)
        self._on_lose(why)
