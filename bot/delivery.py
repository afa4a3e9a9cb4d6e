"""The outbox worker: drains delivery rows for one platform as fast as its limits allow.

At-least-once with a tiny window: a row is claimed (committed) before the send and marked
sent right after. A crash between the two can repeat only the sends in flight; nothing is
lost because the lease runs out and the row comes back. Stale rows are never sent.

Marks are group-committed: sends that finish while one mark write is under way are
written together by the next, and each send waits for its own mark (still holding its
chat's lock and its in-flight slot), so nothing is marked before it was sent and no more
than the in-flight sends can be unmarked at a crash.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.core.clock import Clock
from bot.core.markup import Post
from bot.platforms.base import ChatMoved, RetryLater, Sender, TargetGone, TransientFailure
from bot.sendpath import BROADCAST, budget_for, chat_interval
from bot.store.store import EXPIRED, FAILED, ClaimedDelivery, SentMark, Store

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
#: How long a claim is ours. Claims are sized to a few seconds of sending, so a crashed
#: process's rows come back to a restarted one quickly.
LEASE = timedelta(seconds=30)
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
        self._chat_locks: dict[str, asyncio.Lock] = {}
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._on_event = on_event
        #: Targets found gone in this batch; ``deactivate`` already failed their other rows.
        self._gone: set[int] = set()
        #: When ``requeue_stale`` is next due; None runs it on the first drain (a restart).
        self._requeue_at: datetime | None = None
        #: The last claim filled the batch, so more rows may be ready right now.
        self._full = False
        #: Sends waiting for their mark, and the task writing marks (see the module doc).
        self._marks: list[tuple[SentMark, asyncio.Future[None]]] = []
        self._marker: asyncio.Task[None] | None = None
        self.sent = 0
        self.retried = 0

    def wake(self) -> None:
        """New rows are waiting: skip the rest of the idle sleep."""
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name=f"delivery-{self.sender.name}")

    async def stop(self, grace: float = STOP_GRACE) -> None:
        """Claim nothing more; let the batch in hand finish (up to ``grace`` seconds).

        A send cut off between the platform's answer and its mark would be sent again by
        the next process once the lease runs out; finishing the batch avoids that.
        """
        self._stopping = True
        self._wake.set()
        if self._task:
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(self._task), grace)
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._marker is not None:  # record the sends that did go out
            with contextlib.suppress(Exception):
                await self._marker

    async def run(self) -> None:
        while not self._stopping:
            # Cleared before the claim, so a wake-up from here on means rows it may miss.
            self._wake.clear()
            try:
                worked = await self.drain_once()
            except Exception:  # the database hiccuped; keep the worker alive
                log.exception("delivery loop failed; retrying")
                worked = False
            # After a short batch every ready row was taken; newer ones came with a wake().
            if not (worked and self._full):
                await self._idle()

    async def _idle(self) -> None:
        if self._wake.is_set():
            return
        wait = self.idle_poll
        try:
            upcoming = await self.store.next_attempt(self.sender.name)
        except Exception:
            log.exception("delivery: cannot read the next attempt; polling")
            upcoming = None
        if upcoming is not None:
            wait = min(wait, max(0.0, (upcoming - self.clock.now()).total_seconds()))
        sleeper = asyncio.ensure_future(self.clock.sleep(wait))
        waker = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeper, waker):
                task.cancel()

    async def drain_once(self) -> bool:
        """Claim one batch and send it; True if there was anything to do."""
        now = self.clock.now()
        if self._requeue_at is None or now >= self._requeue_at:
            await self.store.requeue_stale(now)
            self._requeue_at = now + REQUEUE_EVERY
        claimed = await self.store.claim(self.sender.name, self.worker_id, now, self.batch, LEASE)
        self._full = len(claimed) >= self.batch
        if not claimed:
            return False
        self._gone = set()  # per batch: a target that subscribes again gets its new rows
        await asyncio.gather(*(self._deliver(item) for item in claimed))
        return True

    async def _deliver(self, item: ClaimedDelivery) -> None:
        lock = self._chat_locks.setdefault(item.target.chat_id, asyncio.Lock())
        async with lock, self._inflight:  # one chat's posts go out in order
            if item.target.id in self._gone:
                return  # blocked or kicked: the store already dropped this row
            if not item.target.active:  # unsubscribed while this row was being queued
                await self.store.mark_final(item.id, FAILED, "target inactive", self.clock.now())
                self._emit("failed", item, "target inactive")
                return
            if item.expires is not None and self.clock.now() >= item.expires:
                await self.store.mark_final(
                    item.id, EXPIRED, "too late to be useful", self.clock.now()
                )
                self._emit("expired", item, "")
                return
            target = item.target
            interval = chat_interval(self.sender.limits, target.chat_kind)
            await self.budget.acquire(target.chat_id, interval, BROADCAST)
            await self._attempt(item)

    async def _attempt(self, item: ClaimedDelivery) -> None:
        post = Post.from_json(item.post_json)
        try:
            if item.is_edit:
                ids = await self.sender.edit(item.target, list(item.message_ids), post)
            else:
                ids = await self.sender.send(item.target, post, key=item.idempotency_key)
        except RetryLater as exc:
            self.retried += 1
            at = self.clock.now() + timedelta(seconds=max(exc.seconds, 0.05))
            await self.store.mark_retry(
                item.id, at, f"429: retry after {exc.seconds}s", self.clock.now()
            )
            self._emit("retry", item, str(exc))
            self.wake()
        except ChatMoved as exc:
            await self.store.move_chat(
                item.target.platform, item.target.chat_id, exc.new_chat_id, self.clock.now()
            )
            await self.store.mark_retry(item.id, self.clock.now(), str(exc), self.clock.now())
            self._emit("moved", item, exc.new_chat_id)
            self.wake()
        except TargetGone as exc:
            self._gone.add(item.target.id)
            await self.store.deactivate(item.target.id, str(exc), self.clock.now())
            self._emit("gone", item, str(exc))
        except (TransientFailure, TimeoutError, OSError) as exc:
            await self._backoff(item, f"{type(exc).__name__}: {exc}")
        except Exception as exc:  # an adapter bug must not wedge the queue
            log.exception("unexpected error sending %s", item.notification_key)
            await self._backoff(item, f"{type(exc).__name__}: {exc}")
        else:
            self.sent += 1
            await self._mark_sent(SentMark(item.id, tuple(ids), item.version, self.clock.now()))
            self._emit("sent", item, ",".join(ids))

    async def _mark_sent(self, mark: SentMark) -> None:
        """Wait until this send is recorded, sharing the write with those finishing now."""
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
            try:
                await self.store.mark_sent_many([mark for mark, _ in batch])
            except Exception as exc:  # each send sees it, as its own write would have
                _resolve(batch, exc)
            except BaseException:  # cancelled: no send may wait forever for its mark
                _resolve(batch, RuntimeError("stopped before the send was recorded"))
                raise
            else:
                _resolve(batch, None)

    async def _backoff(self, item: ClaimedDelivery, error: str) -> None:
        now = self.clock.now()
        if item.attempts >= MAX_ATTEMPTS:
            await self.store.mark_final(item.id, FAILED, error, now)
            self._emit("failed", item, error)
            return
        delay = min(300.0, 2.0**item.attempts) * (0.5 + random.random() / 2)
        await self.store.mark_retry(item.id, now + timedelta(seconds=delay), error, now)
        self._emit("retry", item, error)

    def _emit(self, what: str, item: ClaimedDelivery, detail: str) -> None:
        if self._on_event is not None:
            self._on_event(what, item, detail)


def _resolve(
    batch: list[tuple[SentMark, asyncio.Future[None]]], error: BaseException | None
) -> None:
    for _, done in batch:
        if done.done():  # its sender was cancelled and no longer waits
            continue
        if error is None:
            done.set_result(None)
        else:
            done.set_exception(error)
