"""One send path per platform: a rate budget every outgoing call takes its turn from.

The outbox worker (broadcasts) and the answer lane (command answers, drafts, DMs) both
acquire from the platform's one ``RateBudget``, so together they stay under the platform's
limits, and a waiting answer is granted the next free slot before any broadcast: during a
fan-out to thousands of chats a fan's answer waits for at most one slot, not the queue.

Answers do not go through the database: they are meant for a person waiting right now, so
they live in memory (``AnswerLane``), are retried after 429/5xx/timeouts while still useful
(two minutes) and then dropped with one log line. That keeps commands answered while the
database is away; what must survive a restart (broadcasts) stays in the durable outbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import random
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

from bot.metrics import Metrics
from bot.platforms.base import Limits, RetryLater, Sender, TargetGone, TransientFailure

log = logging.getLogger(__name__)

#: Priorities, lowest first served: a person waiting, then broadcasts, then housekeeping.
ANSWER = 0
BROADCAST = 1
BACKGROUND = 2

#: How long an answer stays worth sending; after that it is dropped, not sent late.
ANSWER_USEFUL_FOR = 120.0
ANSWER_BACKOFF_CAP = 10.0


#: How often (loop seconds) expired 429 holds are looked for among idle chats.
SWEEP_EVERY = 1.0


class ChatLocks:
    """One FIFO lock per chat, kept only while someone holds it or waits for it.

    A fan-out touches every chat once; keeping a lock per chat ever after would grow with
    the audience (issue #16: 2,000 -> 7,900 over a long run), so the last one out drops it.
    """

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, list[int]]] = {}

    def __len__(self) -> int:
        return len(self._locks)

    @contextlib.asynccontextmanager
    async def hold(self, chat: str) -> AsyncIterator[None]:
        entry = self._locks.get(chat)
        if entry is None:
            entry = self._locks[chat] = (asyncio.Lock(), [0])
        lock, users = entry
        users[0] += 1
        try:
            async with lock:
                yield
        finally:
            users[0] -= 1
            if not users[0]:
                del self._locks[chat]


class RateBudget:
    """Evenly spaced global slots handed out by priority, plus a minimum gap per chat.

    Time is the event loop's monotonic clock (as with aiolimiter before): rate limits are
    about real seconds on the wire, never about the injected wall clock.

    Memory stays bounded by the chats active lately, not by every chat ever served: a
    chat's last grant is forgotten once the longest gap asked for has passed since (it
    could no longer delay anything), its 429 hold once it ran out, its lock when idle.
    """

    def __init__(self, name: str, global_per_second: float) -> None:
        self.name = name
        self.spacing = 1.0 / global_per_second
        self._heap: list[tuple[int, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()
        self._next = 0.0  # loop time of the next free global slot
        self._pump: asyncio.Task[None] | None = None
        # Loop time of each chat's last granted send, oldest first (evicted from the front).
        self._last: OrderedDict[str, float] = OrderedDict()
        self._horizon = 0.0  # the longest per-chat gap asked for so far
        self._held: dict[str, float] = {}  # a 429 told us to leave this chat alone until
        self._sweep_at = 0.0
        self._chat_locks = ChatLocks()
        self.granted: dict[int, int] = {ANSWER: 0, BROADCAST: 0, BACKGROUND: 0}

    async def acquire(
        self, chat: str | None = None, interval: float = 0.0, priority: int = BROADCAST
    ) -> None:
        """Wait for this chat's gap (if any), then for a global slot in priority order."""
        if chat is None:
            await self._global(priority)
            return
        self._horizon = max(self._horizon, interval)
        async with self._chat_locks.hold(chat):  # FIFO per chat: gaps between real grants
            loop = asyncio.get_running_loop()
            while True:
                ready = max(self._last.get(chat, -1e9) + interval, self._held.get(chat, 0.0))
                wait = ready - loop.time()
                if wait <= 0:
                    break
                await asyncio.sleep(wait)
            await self._global(priority)
            now = loop.time()
            self._last.pop(chat, None)
            self._last[chat] = now
            self._held.pop(chat, None)
            self._forget(now)

    @property
    def chats_tracked(self) -> int:
        """Chats this budget keeps anything for (last grant, 429 hold or lock)."""
        return len(self._last.keys() | self._held.keys()) + len(self._chat_locks)

    def _forget(self, now: float) -> None:
        """Drop what can no longer delay a send: O(1) per grant, amortised."""
        last = self._last
        while last:
            if next(iter(last.values())) + self._horizon > now:
                break
            last.popitem(last=False)
        if self._held and now >= self._sweep_at:
            self._sweep_at = now + SWEEP_EVERY
            for chat in [c for c, until in self._held.items() if until <= now]:
                del self._held[chat]

    def hold_chat(self, chat: str | None, seconds: float) -> None:
        """The platform said 429 for this chat: nothing more to it for ``seconds``."""
        if chat is None:
            self.pause(seconds)
            return
        until = asyncio.get_running_loop().time() + seconds
        self._held[chat] = max(self._held.get(chat, 0.0), until)

    def pause(self, seconds: float) -> None:
        """A global 429: no slot for anyone for ``seconds``."""
        self._next = max(self._next, asyncio.get_running_loop().time() + seconds)

    async def _global(self, priority: int) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._heap, (priority, next(self._seq), future))
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._run_pump(), name=f"budget-{self.name}")
        await future
        self.granted[priority] = self.granted.get(priority, 0) + 1

    async def _run_pump(self) -> None:
        loop = asyncio.get_running_loop()
        while self._heap:
            wait = self._next - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)  # a higher priority arriving meanwhile goes first
                continue
            _, _, future = heapq.heappop(self._heap)
            if future.done():  # its waiter was cancelled
                continue
            future.set_result(None)
            # Slots stay on their schedule: a grant a little late (timer granularity, a busy
            # loop) does not push every later slot back by as much, or a fan-out at 29/s
            # drifts to ~28/s. Lateness up to half a slot is made up (two grants are never
            # closer than half a slot, no second holds more than the rate plus half a
            # slot); a grant later than that (or after idling) starts the schedule anew.
            now = loop.time()
            anchor = self._next if now - self._next <= self.spacing / 2 else now
            self._next = anchor + self.spacing
            # Let the granted waiter run before the next grant is computed.
            await asyncio.sleep(0)


def budget_for(sender: Sender) -> RateBudget:
    """The sender's own budget when it has one (an adapter with an answer lane shares it),
    else a fresh one at the sender's global rate."""
    budget = getattr(sender, "budget", None)
    if isinstance(budget, RateBudget):
        return budget
    return RateBudget(sender.name, sender.limits.global_per_second)


def chat_interval(limits: Limits, chat_kind: str) -> float:
    """The platform's minimum gap between two sends to one chat of this kind."""
    group = chat_kind in ("group", "supergroup", "channel")
    return limits.group_interval if group else limits.per_chat_interval


@dataclass
class _Answer:
    call: Callable[[], Awaitable[object]]
    what: str
    deadline: float
    done: asyncio.Future[bool] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class AnswerLane:
    """Interactive sends: in memory, in order per chat, first in the budget, retried while
    useful and then dropped with one line (never a traceback for a platform refusal).

    ``call`` raises the delivery outcomes of ``bot.platforms.base`` (the adapter wraps its
    library's errors), so the lane treats every platform alike.
    """

    def __init__(self, budget: RateBudget, *, useful_for: float = ANSWER_USEFUL_FOR) -> None:
        self.budget = budget
        self.useful_for = useful_for
        self._queues: dict[str, deque[_Answer]] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self.sent = 0
        self.dropped = 0
        self.metrics = Metrics()  # the App's, once it is set (bot.app)

    def submit(
        self,
        chat: str | None,
        call: Callable[[], Awaitable[object]],
        *,
        interval: float = 0.0,
        what: str = "answer",
    ) -> asyncio.Future[bool]:
        """Queue one send for ``chat``; the future says whether it went out."""
        loop = asyncio.get_running_loop()
        answer = _Answer(call, what, loop.time() + self.useful_for)
        key = chat if chat is not None else ""
        self._queues.setdefault(key, deque()).append(answer)
        task = self._tasks.get(key)
        if task is None or task.done():
            self._tasks[key] = asyncio.create_task(
                self._drain(key, chat, interval), name=f"answers-{self.budget.name}-{key}"
            )
        return answer.done

    async def send(
        self,
        chat: str | None,
        call: Callable[[], Awaitable[object]],
        *,
        interval: float = 0.0,
        what: str = "answer",
    ) -> bool:
        """Submit and wait until it went out or was dropped."""
        return await self.submit(chat, call, interval=interval, what=what)

    @property
    def pending(self) -> int:
        return sum(len(q) for q in self._queues.values())

    async def _drain(self, key: str, chat: str | None, interval: float) -> None:
        queue = self._queues[key]
        try:
            while queue:
                answer = queue[0]
                ok = await self._deliver(answer, chat, interval)
                queue.popleft()
                if not answer.done.done():
                    answer.done.set_result(ok)
        except asyncio.CancelledError:  # stopped: nobody may wait forever for these
            for answer in queue:
                if not answer.done.done():
                    answer.done.set_result(False)
            queue.clear()
            raise
        finally:
            if not queue:
                self._queues.pop(key, None)
                self._tasks.pop(key, None)

    async def _deliver(self, answer: _Answer, chat: str | None, interval: float) -> bool:
        sent = await self._try(answer, chat, interval)
        self.metrics.answer(self.budget.name, sent)
        return sent

    async def _try(self, answer: _Answer, chat: str | None, interval: float) -> bool:
        loop = asyncio.get_running_loop()
        attempt = 0
        where = chat or "-"
        while True:
            left = answer.deadline - loop.time()
            try:
                async with asyncio.timeout(max(left, 0.0)):
                    await self.budget.acquire(chat, interval, ANSWER)
            except TimeoutError:
                return self._drop(answer, where, attempt, "no slot in time")
            attempt += 1
            try:
                with self.metrics.sending(self.budget.name, "answer"):
                    await answer.call()
            except RetryLater as exc:
                self.budget.hold_chat(chat, exc.seconds)
                wait, reason = exc.seconds, f"429 (retry after {exc.seconds:g} s)"
            except (TransientFailure, TimeoutError, OSError) as exc:
                backoff = min(ANSWER_BACKOFF_CAP, 0.5 * 2 ** (attempt - 1))  # 0.5 s, 1 s, ...
                wait = backoff * (0.5 + random.random() / 2)
                reason = f"{type(exc).__name__}: {exc}"
            except TargetGone as exc:
                log.info("%s: %s to %s not sent: %s", self.budget.name, answer.what, where, exc)
                self.dropped += 1
                return False
            except Exception as exc:  # a bug in what we sent: no retry would help
                log.error(
                    "%s: %s to %s refused: %s: %s",
                    self.budget.name,
                    answer.what,
                    where,
                    type(exc).__name__,
                    exc,
                )
                self.dropped += 1
                return False
            else:
                self.sent += 1
                return True
            if loop.time() + wait >= answer.deadline:
                return self._drop(answer, where, attempt, reason)
            await asyncio.sleep(wait)

    def _drop(self, answer: _Answer, where: str, attempts: int, reason: str) -> bool:
        self.dropped += 1
        log.warning(
            "%s: %s to %s dropped after %d tries in %.0f s: %s",
            self.budget.name,
            answer.what,
            where,
            attempts,
            self.useful_for,
            reason,
        )
        return False

    async def stop(self, grace: float = 5.0) -> None:
        """Let queued answers finish briefly, then drop the rest with one line."""
        tasks = [t for t in self._tasks.values() if not t.done()]
        if tasks:
            await asyncio.wait(tasks, timeout=grace)
        left = self.pending
        for task in list(self._tasks.values()):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if left:
            self.dropped += left
            log.warning("%s: %d answers dropped at shutdown", self.budget.name, left)
