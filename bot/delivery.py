"""The outbox worker: drains delivery rows for one platform as fast as its limits allow.

At-least-once with a tiny window: a row is claimed (committed) before the send and marked
sent right after. A crash between the two can repeat only the sends in flight; nothing is
lost because the lease runs out and the row comes back. Stale rows are never sent.

Marks are group-committed: sends that finish while one mark write is under way are
written together by the next, and each send waits for its own mark (still holding its
chat's lock and its in-flight slot), so nothing is marked before it was sent.

The database may go away at any point (PostgreSQL restarting, SQLite on a full disk):

- a mark that cannot be written is kept in memory and written when the database is back;
  the row stays claimed by this worker (leases are renewed while rows are in hand), so
  this process never sends it again;
- from the first failed mark on, no new send starts until every kept mark is written, so
  at any moment at most ``limits.concurrency`` sends are unrecorded: the exact bound on
  what a crash can repeat. An outage the process survives repeats nothing;
- a failed claim is retried with capped, jittered backoff (``Backoff``), and the state is
  logged once when it goes and once when it is back (``Store.health``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from bot import reporting
from bot.core.clock import Clock
from bot.core.markup import Post
from bot.core.quiet import for_target
from bot.core.render import at_send_time
from bot.metrics import Metrics
from bot.platforms.base import ChatMoved, RetryLater, Sender, TargetGone, TransientFailure
from bot.sendpath import BROADCAST, ChatLocks, budget_for, chat_interval
from bot.store.health import Backoff, is_outage
from bot.store.store import EXPIRED, FAILED, ClaimedDelivery, SentMark, Store

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
#: How long a claim is ours. Claims are sized to a few seconds of sending, so a crashed
#: process's rows come back to a restarted one quickly.
LEASE = timedelta(seconds=30)
#: How often the leases of rows in hand are extended (well inside one lease).
RENEW_EVERY = LEASE / 3
CLAIM_SECONDS = 3.0
#: How often a worker hands back rows whose lease ran out (a crashed process's claims).
#: Not before every claim: it is one more write, and a wake-up should go straight to the
#: claim. So such a row comes back at most this long after its lease, plus an idle poll.
REQUEUE_EVERY = timedelta(seconds=5)
#: How long stop() lets the sends in hand finish before cutting them off.
STOP_GRACE = 10.0


class DeliveryWorker:
    def __init__(
        self,
        store: Store,
        sender: Sender,
        clock: Clock,
        *,
        batch: int | None = None,
        idle_poll: float = 5.0,
        on_event: Callable[[str, ClaimedDelivery, str], None] | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.store = store
        self.sender = sender
        self.clock = clock
        limits = sender.limits
        self.batch = batch or max(limits.concurrency, int(limits.global_per_second * CLAIM_SECONDS))
        self.idle_poll = idle_poll
        self.worker_id = f"{sender.name}-{uuid.uuid4().hex[:8]}"
        # The platform's one budget, shared with its answer lane (see bot.sendpath).
        self.budget = budget_for(sender)
        self._inflight = asyncio.Semaphore(limits.concurrency)
        self._chat_locks = ChatLocks()  # kept only while a chat has rows in hand
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._on_event = on_event
        self.metrics = metrics or Metrics()
        #: Targets found gone in this batch; ``deactivate`` already failed their other rows.
        self._gone: set[int] = set()
        #: When ``requeue_stale`` is next due; None runs it on the first drain (a restart).
        self._requeue_at: datetime | None = None
        #: The last claim filled the batch, so more rows may be ready right now.
        self._full = False
        #: Sends waiting for their mark, and the task writing marks (see the module doc).
        self._marks: list[tuple[SentMark, asyncio.Future[None]]] = []
        self._marker: asyncio.Task[None] | None = None
        #: Rows claimed by this worker and not yet settled in the database.
        self._held: set[int] = set()
        #: Sends that went out but whose mark could not be written yet.
        self._unwritten: dict[int, SentMark] = {}
        #: Rows taken back while in hand (another worker may send them): skip them.
        self._lost: set[int] = set()
        #: True from the first failed mark until every kept mark is written: no send starts
        #: meanwhile. ``_db_ok`` is its inverse as an event (also set at stop, to release
        #: the sends waiting on it; they then give up).
        self._paused = False
        self._db_ok = asyncio.Event()
        self._db_ok.set()
        self._recovery: asyncio.Task[None] | None = None
        self._backoff = Backoff()
        self.sent = 0
        self.retried = 0
        #: Whether this process may send to the platform now (its lease, ``bot.leases``):
        #: while false the worker claims nothing and hands rows in hand back unsent.
        self.may_send: Callable[[], bool] = lambda: True

    def wake(self) -> None:
        """New rows are waiting: skip the rest of the idle sleep."""
        self._wake.set()

    @property
    def unrecorded(self) -> int:
        """Sends that went out and are not yet recorded in the database."""
        return len(self._unwritten)

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name=f"delivery-{self.sender.name}")

    async def stop(self, grace: float = STOP_GRACE) -> None:
        """Claim nothing more; let the batch in hand finish (up to ``grace`` seconds).

        A send cut off between the platform's answer and its mark would be sent again by
        the next process once the lease runs out; finishing the batch avoids that.
        """
        self._stopping = True
        self._wake.set()
        self._db_ok.set()  # a batch waiting for the database gives up its sends now
        if self._task:
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(self._task), grace)
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._marker is not None:  # record the sends that did go out
            with contextlib.suppress(Exception):
                await self._marker
        for task in (self._recovery,):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if self._unwritten:
            try:
                await self._flush_unwritten()
            except Exception:
                log.error(
                    "delivery %s: %d sends could not be recorded before stopping; the next "
                    "start may send them again",
                    self.sender.name,
                    len(self._unwritten),
                )

    async def run(self) -> None:
        while not self._stopping:
            if not self._db_ok.is_set():  # marks are waiting for the database: claim nothing
                await self._db_ok.wait()
                continue
            # Cleared before the claim, so a wake-up from here on means rows it may miss.
            self._wake.clear()
            if not self.may_send():  # another process sends for this platform
                await self._sleep(self.idle_poll)
                continue
            try:
                worked = await self.drain_once()
            except Exception as exc:  # the database is away (or a bug): back off, stay alive
                if not is_outage(exc):
                    log.exception("delivery loop failed; retrying")
                    reporting.report(exc, "delivery", platform=self.sender.name)
                await self.clock.sleep(self._backoff.next())
                continue
            self._backoff.reset()
            # After a short batch every ready row was taken; newer ones came with a wake().
            if not (worked and self._full):
                await self._idle()

    async def _idle(self) -> None:
        if self._wake.is_set():
            return
        wait = self.idle_poll
        try:
            upcoming = await self.store.next_attempt(self.sender.name)
        except Exception as exc:
            if not is_outage(exc):
                log.exception("delivery: cannot read the next attempt; polling")
            upcoming = None
            wait = min(wait, self._backoff.next())
        if upcoming is not None:
            wait = min(wait, max(0.0, (upcoming - self.clock.now()).total_seconds()))
        await self._sleep(wait)

    async def _sleep(self, wait: float) -> None:
        """Sleep ``wait`` seconds or until ``wake()``."""
        sleeper = asyncio.ensure_future(self.clock.sleep(wait))
        waker = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeper, waker):
                task.cancel()

    async def drain_once(self) -> bool:
        """Claim one batch and send it; True if there was anything to do."""
        await self._flush_unwritten()  # the database first hears what was sent
        now = self.clock.now()
        if self._requeue_at is None or now >= self._requeue_at:
            await self.store.requeue_stale(now)
            self._requeue_at = now + REQUEUE_EVERY
        claimed = await self.store.claim(self.sender.name, self.worker_id, now, self.batch, LEASE)
        self._full = len(claimed) >= self.batch
        # A row already in hand came back (its lease ran out meanwhile): it is sent once.
        fresh = [item for item in claimed if item.id not in self._held]
        if not fresh:
            return bool(claimed)
        self._held.update(item.id for item in fresh)
        self._gone = set()  # per batch: a target that subscribes again gets its new rows
        renewer = asyncio.create_task(self._renew_loop(), name=f"leases-{self.sender.name}")
        try:
            await asyncio.gather(*(self._deliver(item) for item in fresh))
        finally:
            renewer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewer
            # Every row of the batch is settled: a row lost meanwhile may be ours again
            # later (handed back, claimed anew), and must then be sent, not skipped.
            self._lost.clear()
        return True

    async def _deliver(self, item: ClaimedDelivery) -> None:
        """Send one claimed row and settle it; never raises (the batch goes on)."""
        try:
            await self._deliver_one(item)
        except Exception as exc:
            # Settling the row failed (the database went away): it is not sent, so letting
            # its lease run out and sending it later is right.
            if not is_outage(exc):
                log.exception("delivery of %s failed", item.notification_key)
            if item.id not in self._unwritten:
                self._held.discard(item.id)

    async def _deliver_one(self, item: ClaimedDelivery) -> None:
        async with self._chat_locks.hold(item.target.chat_id), self._inflight:  # in order
            await self._db_ok.wait()  # a send must be recordable before it starts
            if self._paused:  # stopping while the database is away: leave it to the lease
                return
            if item.id in self._lost or item.target.id in self._gone:
                self._held.discard(item.id)
                return  # taken back while in hand, or the store already dropped this row
            if not item.target.active:  # unsubscribed while this row was being queued
                await self._finish(item, FAILED, "target inactive")
                self._emit("failed", item, "target inactive")
                return
            if self._expired(item):
                await self._finish(item, EXPIRED, "too late to be useful")
                self._emit("expired", item, "")
                return
            target = item.target
            interval = chat_interval(self.sender.limits, target.chat_kind)
            await self.budget.acquire(target.chat_id, interval, BROADCAST)
            if not self.may_send():  # the lease went while this row waited: hand it back
                await self._retry(item, self.clock.now(), "handed back: lease lost")
                return
            await self._attempt(item)

    def _expired(self, item: ClaimedDelivery) -> bool:
        return item.expires is not None and self.clock.now() >= item.expires

    async def _finish(self, item: ClaimedDelivery, status: str, error: str) -> None:
        await self.store.mark_final(item.id, status, error, self.clock.now(), self.worker_id)
        self._held.discard(item.id)

    async def _retry(self, item: ClaimedDelivery, at: datetime, error: str) -> None:
        await self.store.mark_retry(item.id, at, error, self.clock.now(), self.worker_id)
        self._held.discard(item.id)

    async def _attempt(self, item: ClaimedDelivery) -> None:
        # The chat's spoiler and quiet-hour settings, and a countdown's minutes, apply at
        # the moment of sending.
        now = self.clock.now()
        post = for_target(at_send_time(Post.from_json(item.post_json), now), item.target, now)
        try:
            with self.metrics.sending(self.sender.name, "broadcast"):
                if item.is_edit:
                    ids = await self.sender.edit(item.target, list(item.message_ids), post)
                else:
                    ids = await self.sender.send(item.target, post, key=item.idempotency_key)
        except RetryLater as exc:
            self.retried += 1
            at = self.clock.now() + timedelta(seconds=max(exc.seconds, 0.05))
            await self._retry(item, at, f"429: retry after {exc.seconds}s")
            self._emit("retry", item, str(exc))
            self.wake()
        except ChatMoved as exc:
            await self.store.move_chat(
                item.target.platform, item.target.chat_id, exc.new_chat_id, self.clock.now()
            )
            await self._retry(item, self.clock.now(), str(exc))
            self._emit("moved", item, exc.new_chat_id)
            self.wake()
        except TargetGone as exc:
            self._gone.add(item.target.id)
            await self.store.deactivate(item.target.id, str(exc), self.clock.now())
            self._held.discard(item.id)
            self._emit("gone", item, str(exc))
        except (TransientFailure, TimeoutError, OSError) as exc:
            await self._backoff_row(item, f"{type(exc).__name__}: {exc}")
        except Exception as exc:  # an adapter bug must not wedge the queue
            log.exception("unexpected error sending %s", item.notification_key)
            reporting.report(exc, "delivery", platform=self.sender.name)
            await self._backoff_row(item, f"{type(exc).__name__}: {exc}")
        else:
            self.sent += 1
            await self._mark_sent(SentMark(item.id, tuple(ids), item.version, self.clock.now()))
            self._emit("sent", item, ",".join(ids))

    # -- marks ----------------------------------------------------------------------------

    async def _mark_sent(self, mark: SentMark) -> None:
        """Wait until this send is recorded, sharing the write with those finishing now;
        while the database is away, keep the mark in memory instead (never raises)."""
        if self._paused:
            self._keep([mark])
            return
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._marks.append((mark, done))
        if self._marker is None or self._marker.done():
            self._marker = asyncio.create_task(
                self._write_marks(), name=f"marks-{self.sender.name}"
            )
        await done

    async def _write_marks(self) -> None:
        """Write every waiting mark in one transaction, again until none are left."""
        while self._marks:
            batch, self._marks = self._marks, []
            marks = [mark for mark, _ in batch]
            try:
                await self.store.mark_sent_many(marks)
            except Exception as exc:
                if not is_outage(exc):
                    log.exception("delivery %s: cannot record sends", self.sender.name)
                self._keep(marks)
            except BaseException:  # cancelled: keep them, no send may wait forever
                self._keep(marks)
                _resolve(batch)
                raise
            else:
                self._held.difference_update(mark.delivery_id for mark in marks)
            _resolve(batch)

    def _keep(self, marks: list[SentMark]) -> None:
        """Hold sends that could not be recorded; stop sending until they are written."""
        for mark in marks:
            self._unwritten[mark.delivery_id] = mark
        self.store.health.unrecorded[self.sender.name] = len(self._unwritten)
        if not self._paused:
            self._paused = True
            if not self._stopping:  # stop() makes the last try itself
                self._db_ok.clear()
                self._recovery = asyncio.create_task(
                    self._recover(), name=f"recover-{self.sender.name}"
                )

    async def _recover(self) -> None:
        """Write the kept marks with backoff, renew what is in hand, then let sends go on."""
        backoff = Backoff()
        while True:
            await self.clock.sleep(backoff.next())
            try:
                await self._flush_unwritten()
                await self._renew()
            except Exception as exc:
                if not is_outage(exc):
                    log.exception("delivery %s: recovery failed", self.sender.name)
                continue
            self._paused = False
            self._db_ok.set()
            self.wake()
            return

    async def _flush_unwritten(self) -> None:
        if not self._unwritten:
            return
        marks = list(self._unwritten.values())
        await self.store.mark_sent_many(marks)
        for mark in marks:
            if self._unwritten.get(mark.delivery_id) is mark:
                del self._unwritten[mark.delivery_id]
            self._held.discard(mark.delivery_id)
        self.store.health.unrecorded[self.sender.name] = len(self._unwritten)

    # -- leases ---------------------------------------------------------------------------

    async def _renew_loop(self) -> None:
        """While a batch is in hand (429 waits, slow chats, an outage can make it long)."""
        while True:
            await self.clock.sleep(RENEW_EVERY.total_seconds())
            if not self._paused:
                with contextlib.suppress(Exception):  # health has noted it; try again later
                    await self._renew()

    async def _renew(self) -> None:
        """Extend the lease of every row in hand that is not yet settled."""
        held = sorted(self._held - set(self._unwritten))
        if not held:
            return
        now = self.clock.now()
        kept = await self.store.renew(held, self.worker_id, now + LEASE, now)
        # A row handed back meanwhile (its lease ran out during an outage) is left to
        # whoever claims it now; this worker skips it.
        lost = set(held) - kept - set(self._unwritten)
        self._lost.update(lost)
        self._held.difference_update(lost)

    async def _backoff_row(self, item: ClaimedDelivery, error: str) -> None:
        now = self.clock.now()
        if item.attempts >= MAX_ATTEMPTS:
            await self._finish(item, FAILED, error)
            self._emit("failed", item, error)
            return
        delay = min(300.0, 2.0**item.attempts) * (0.5 + random.random() / 2)
        await self._retry(item, now + timedelta(seconds=delay), error)
        self._emit("retry", item, error)

    def _emit(self, what: str, item: ClaimedDelivery, detail: str) -> None:
        self.metrics.delivery(self.sender.name, what, item.due, self.clock.now())
        if self._on_event is not None:
            self._on_event(what, item, detail)


def _resolve(batch: list[tuple[SentMark, asyncio.Future[None]]]) -> None:
    for _, done in batch:
        if not done.done():  # its sender was cancelled and no longer waits
            done.set_result(None)
