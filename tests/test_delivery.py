"""DeliveryWorker against a scripted fake sender, on a virtual clock and a real store.

Every test runs on SQLite, and on PostgreSQL too when RACEBOT_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import create_engine, text

from bot.core.audience import Target
from bot.core.clock import VirtualClock
from bot.core.markup import Post
from bot.delivery import LEASE, MAX_ATTEMPTS, REQUEUE_EVERY, DeliveryWorker
from bot.platforms.base import ChatMoved, Limits, RetryLater, TargetGone, TransientFailure
from bot.store.store import FAILED, SENDING, SENT, ClaimedDelivery, NotificationData, Store
from tests.helpers import ScriptedSender, post_json, sync_url, utc

T0 = utc(2020, 11, 7, 10, 0)


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    opened = await Store.open(db_url)
    yield opened
    await opened.close()


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(T0)


class Rig:
    def __init__(self, store: Store, clock: VirtualClock, sender: ScriptedSender) -> None:
        self.store = store
        self.clock = clock
        self.sender = sender
        sender.clock = clock
        self.worker = DeliveryWorker(store, sender, clock, idle_poll=3600)

    async def quiet(self, held: int = 0) -> None:
        """Wait (real milliseconds) until nothing is ready to send or being sent.

        ``held``: rows claimed by someone else (a crashed process) that stay "sending".
        """
        calm = 0
        for _ in range(1000):
            await asyncio.sleep(0.002)
            upcoming = await self.store.next_attempt(self.sender.name)
            ready = upcoming is not None and upcoming <= self.clock.now()
            sending = (await self.store.delivery_counts()).get("sending", 0) > held
            calm = 0 if ready or sending else calm + 1
            if calm >= 2:
                return
        raise AssertionError("the worker never went quiet")

    async def run(self, horizon: timedelta = timedelta(hours=2)) -> None:
        """Let the worker finish everything, jumping the clock to each retry time."""
        end = self.clock.now() + horizon
        self.worker.start()
        try:
            while True:
                await self.quiet()
                if await self.store.next_attempt(self.sender.name) is None:
                    return
                deadline = await self.wakeup()
                if deadline is None or deadline > end:
                    return
                await self.clock.advance_to(deadline)
        finally:
            await self.worker.stop()

    async def wakeup(self) -> datetime | None:
        """The worker's next timer. Between recording a failure and going to sleep it has
        none yet (a window PostgreSQL's slower commits make wide enough to hit)."""
        for _ in range(500):
            deadline = self.clock.next_deadline()
            if deadline is not None:
                return deadline
            await asyncio.sleep(0.002)
        return None


async def enqueue(
    store: Store, key: str, targets: list[Target], now: datetime, title: str | None = None
) -> None:
    note = NotificationData(
        key=key,
        kind="announce",
        due=now,
        expires=now + timedelta(days=1),
        posts={"sv": post_json(title or key)},
    )
    await store.enqueue(note, targets, now)


async def test_retry_later_waits_at_least_retry_after_then_delivers_once(
    store: Store, clock: VirtualClock
) -> None:
    target = await store.subscribe("fake", "1", T0)
    await enqueue(store, "n1", [target], T0)
    calls: list[datetime] = []
    outcomes: list[BaseException | None] = [RetryLater(30.0)]

    def script(_t: Target, _p: Post) -> BaseException | None:
        calls.append(clock.now())
        return outcomes.pop(0) if outcomes else None

    rig = Rig(store, clock, ScriptedSender(script=script))
    await rig.run()
    assert len(calls) == 2
    assert calls[1] - calls[0] >= timedelta(seconds=30)
    assert [s.title for s in rig.sender.sent] == ["n1"]
    assert rig.sender.sent[0].at is not None
    assert rig.sender.sent[0].at >= T0 + timedelta(seconds=30)
    (row,) = await store.deliveries_for("n1")
    assert row.status == SENT
    assert row.attempts == 2
    assert rig.sender.keys == [f"n1#{target.id}"] * 2  # one key for every attempt


async def test_transient_failures_back_off_and_then_succeed(
    store: Store, clock: VirtualClock
) -> None:
    target = await store.subscribe("fake", "1", T0)
    await enqueue(store, "n1", [target], T0)
    calls: list[datetime] = []
    outcomes: list[BaseException | None] = [TransientFailure("502")] * 3

    def script(_t: Target, _p: Post) -> BaseException | None:
        calls.append(clock.now())
        return outcomes.pop(0) if outcomes else None

    rig = Rig(store, clock, ScriptedSender(script=script))
    await rig.run()
    assert len(calls) == 4
    gaps = [b - a for a, b in itertools.pairwise(calls)]
    assert all(gap > timedelta(0) for gap in gaps)  # never hammered
    assert gaps[2] >= timedelta(seconds=4)  # 2**3 * at least a half
    (row,) = await store.deliveries_for("n1")
    assert (row.status, row.attempts, row.error) == (SENT, 4, None)
    assert len(rig.sender.sent) == 1


async def test_too_many_failures_give_up(store: Store, clock: VirtualClock) -> None:
    target = await store.subscribe("fake", "1", T0)
    await enqueue(store, "n1", [target], T0)
    rig = Rig(store, clock, ScriptedSender(script=lambda _t, _p: TransientFailure("down")))
    await rig.run(horizon=timedelta(hours=3))
    (row,) = await store.deliveries_for("n1")
    assert row.status == FAILED
    assert row.attempts == MAX_ATTEMPTS
    assert "down" in row.error
    assert len(rig.sender.calls) == MAX_ATTEMPTS
    assert rig.sender.sent == []


async def test_target_gone_deactivates_and_drops_its_queue(
    store: Store, clock: VirtualClock
) -> None:
    gone = await store.subscribe("fake", "gone", T0)
    fine = await store.subscribe("fake", "fine", T0)
    for key in ("n1", "n2", "n3"):
        await enqueue(store, key, [gone, fine], T0)

    def script(target: Target, _p: Post) -> BaseException | None:
        return TargetGone("bot was blocked by the user") if target.chat_id == "gone" else None

    rig = Rig(store, clock, ScriptedSender(script=script))
    await rig.run()
    assert [c for c, _ in rig.sender.calls].count("gone") == 1
    assert rig.sender.titles("fine") == ["n1", "n2", "n3"]
    sub = await store.get_subscription("fake", "gone")
    assert sub is not None
    assert not sub.active
    assert [t.chat_id for t in await store.targets()] == ["fine"]
    for key in ("n1", "n2", "n3"):
        rows = {r.chat_id: r.status for r in await store.deliveries_for(key)}
        assert rows == {"gone": FAILED, "fine": SENT}


async def test_chat_moved_follows_the_new_id(store: Store, clock: VirtualClock) -> None:
    target = await store.subscribe("fake", "-1", T0, chat_kind="group")
    await enqueue(store, "n1", [target], T0)

    def script(target: Target, _p: Post) -> BaseException | None:
        return ChatMoved("-100777") if target.chat_id == "-1" else None

    rig = Rig(store, clock, ScriptedSender(script=script))
    await rig.run()
    assert [c for c, _ in rig.sender.calls] == ["-1", "-100777"]
    assert [(s.chat_id, s.title) for s in rig.sender.sent] == [("-100777", "n1")]
    moved = await store.get_subscription("fake", "-100777")
    assert moved is not None
    assert moved.id == target.id
    assert moved.chat_kind == "supergroup"
    (row,) = await store.deliveries_for("n1")
    assert (row.chat_id, row.status) == ("-100777", SENT)


async def test_each_chat_gets_its_posts_in_order(store: Store, clock: VirtualClock) -> None:
    chats = [await store.subscribe("fake", f"c{i}", T0) for i in range(5)]
    keys = [f"n{i}" for i in range(6)]
    for minute, key in enumerate(keys):
        await enqueue(store, key, chats, T0 + timedelta(seconds=minute))
    await clock.advance_to(T0 + timedelta(minutes=1))

    class Slow(ScriptedSender):
        async def send(self, target: Target, post: Post, *, key: str = "") -> list[str]:
            await asyncio.sleep(0.001 * (hash(target.chat_id + post.title) % 3))
            return await super().send(target, post, key=key)

    sender = Slow(limits=Limits(global_per_second=10_000.0, concurrency=8))
    rig = Rig(store, clock, sender)
    await rig.run()
    for chat in chats:
        assert sender.titles(chat.chat_id) == keys


async def test_edits_use_the_stored_message_ids(store: Store, clock: VirtualClock) -> None:
    a = await store.subscribe("fake", "a", T0)
    b = await store.subscribe("fake", "b", T0)
    await enqueue(store, "n1", [a, b], T0, title="Race 1 11:15")
    sender = ScriptedSender()
    await Rig(store, clock, sender).run()
    first = {s.chat_id: s.message_ids for s in sender.sent}

    await clock.advance(timedelta(minutes=1))
    revised = await store.revise_notification("n1", {"sv": post_json("Race 1 11:25")}, clock.now())
    assert revised == 2
    await Rig(store, clock, sender).run()
    edits = [s for s in sender.sent if s.edit]
    assert sorted((s.chat_id, s.title) for s in edits) == [
        ("a", "Race 1 11:25"),
        ("b", "Race 1 11:25"),
    ]
    for edit in edits:
        assert edit.message_ids == first[edit.chat_id]
    assert len(sender.sent) == 4
    rows = await store.deliveries_for("n1")
    assert {r.status for r in rows} == {SENT}
    # a further run has nothing left to edit
    await Rig(store, clock, sender).run()
    assert len(sender.sent) == 4


async def test_stale_row_expires_without_sending(store: Store, clock: VirtualClock) -> None:
    target = await store.subscribe("fake", "1", T0)
    note = NotificationData(
        key="old",
        kind="lead",
        due=T0 - timedelta(hours=1),
        expires=T0 - timedelta(seconds=1),
        posts={"sv": post_json()},
    )
    await store.enqueue(note, [target], T0)
    sender = ScriptedSender()
    await Rig(store, clock, sender).run()
    assert sender.calls == []
    (row,) = await store.deliveries_for("old")
    assert row.status == "expired"


async def test_sends_finishing_together_share_one_mark_and_are_marked_before_reported(
    store: Store, clock: VirtualClock, db_url: str
) -> None:
    chats = [await store.subscribe("fake", f"c{i}", T0) for i in range(12)]
    await enqueue(store, "n1", chats, T0)
    release = asyncio.Event()
    waiting: list[str] = []

    class Together(ScriptedSender):
        async def send(self, target: Target, post: Post, *, key: str = "") -> list[str]:
            waiting.append(target.chat_id)
            await release.wait()  # all twelve in flight, then all done at once
            return await super().send(target, post, key=key)

    commits = 0

    def count(_conn: object) -> None:
        nonlocal commits
        commits += 1

    from sqlalchemy import event

    event.listen(store.engine.sync_engine, "commit", count)
    # "sent" is reported only once the row says so, read apart from the worker's connection
    reported: dict[str, str] = {}
    reader = create_engine(sync_url(db_url), isolation_level="AUTOCOMMIT")
    check = reader.connect()

    def on_event(what: str, item: ClaimedDelivery, detail: str) -> None:
        status = check.execute(
            text("SELECT status FROM deliveries WHERE id = :id"), {"id": item.id}
        ).scalar_one()
        reported[item.target.chat_id] = f"{what}:{status}:{detail}"

    sender = Together(limits=Limits(global_per_second=10_000.0, concurrency=16))
    worker = DeliveryWorker(store, sender, clock, idle_poll=3600, on_event=on_event)
    worker.start()
    try:
        for _ in range(500):
            if len(waiting) == len(chats):
                break
            await asyncio.sleep(0.002)
        before = commits
        release.set()
        await Rig(store, clock, sender).quiet()
        marks = commits - before
    finally:
        await worker.stop()
        check.close()
        reader.dispose()
    ids = {s.chat_id: s.message_ids[0] for s in sender.sent}
    assert reported == {c.chat_id: f"sent:sent:{ids[c.chat_id]}" for c in chats}
    assert marks <= 2  # not one transaction per send
    rows = {r.chat_id: r for r in await store.deliveries_for("n1")}
    assert {c: (r.status, r.message_ids) for c, r in rows.items()} == {
        c: (SENT, (m,)) for c, m in ids.items()
    }


async def test_rows_queued_during_a_batch_go_out_without_waiting_for_a_poll(
    store: Store, clock: VirtualClock
) -> None:
    first = await store.subscribe("fake", "1", T0)
    await enqueue(store, "n1", [first], T0)
    rig: Rig | None = None

    def script(_t: Target, post: Post) -> BaseException | None:
        if post.title == "n1":  # a reminder falls due while the batch is out
            assert rig is not None
            queued.append(asyncio.ensure_future(queue_more()))
        return None

    async def queue_more() -> None:
        await enqueue(store, "n2", [first], clock.now())
        assert rig is not None
        rig.worker.wake()

    queued: list[asyncio.Future[None]] = []
    rig = Rig(store, clock, ScriptedSender(script=script))  # idle_poll is an hour
    rig.worker.start()
    try:
        for _ in range(500):
            if rig.sender.titles() == ["n1", "n2"]:
                break
            await asyncio.sleep(0.002)
        await asyncio.gather(*queued)
        await rig.quiet()
    finally:
        await rig.worker.stop()
    assert rig.sender.titles() == ["n1", "n2"]
    assert clock.now() == T0  # no poll, no clock movement needed


async def test_a_dead_workers_claim_comes_back_only_after_its_lease(
    store: Store, clock: VirtualClock
) -> None:
    dead, alive = await store.subscribe("fake", "dead", T0), await store.subscribe("fake", "b", T0)
    await enqueue(store, "n1", [dead], T0)
    (taken,) = await store.claim("fake", "crashed-process", T0, 10, LEASE)
    rig = Rig(store, clock, ScriptedSender())
    rig.worker.idle_poll = 5.0
    rig.worker.start()
    try:
        await rig.quiet(held=1)
        for second in range(3):  # wake-ups and claims while the lease runs
            await clock.advance(timedelta(seconds=10))
            await enqueue(store, f"m{second}", [alive], clock.now())
            rig.worker.wake()
            await rig.quiet(held=1)
        assert rig.sender.titles() == ["m0", "m1", "m2"]
        (row,) = await store.deliveries_for("n1")
        assert row.status == SENDING
        # step the clock second by second until the row is back and sent
        limit = T0 + LEASE + REQUEUE_EVERY + timedelta(seconds=rig.worker.idle_poll)
        while "n1" not in rig.sender.titles() and clock.now() <= limit:
            await clock.advance(timedelta(seconds=1))
            await rig.quiet(held=1)
    finally:
        await rig.worker.stop()
    sent = [s for s in rig.sender.sent if s.title == "n1"]
    assert len(sent) == 1
    assert sent[0].at is not None
    assert T0 + LEASE < sent[0].at <= limit
    (row,) = await store.deliveries_for("n1")
    assert (row.status, row.attempts) == (SENT, 2)
    assert taken.attempts == 1


async def test_a_target_that_left_while_its_row_was_queued_gets_nothing(
    store: Store, clock: VirtualClock
) -> None:
    target = await store.subscribe("fake", "1", T0)
    await store.deactivate(target.id, "stopped by user", T0)
    await enqueue(store, "n1", [target], T0)  # the fire read the targets just before
    rig = Rig(store, clock, ScriptedSender())
    await rig.run()
    assert rig.sender.calls == []
    (row,) = await store.deliveries_for("n1")
    assert row.status == FAILED


class SlowSender(ScriptedSender):
    """Each send takes a few real milliseconds, like a request on the wire."""

    async def send(self, target: Target, post: Post, *, key: str = "") -> list[str]:
        await asyncio.sleep(0.02)
        return await super().send(target, post, key=key)


async def test_stop_lets_the_sends_in_hand_finish_and_be_marked(
    store: Store, clock: VirtualClock
) -> None:
    targets = [await store.subscribe("fake", str(n), T0) for n in range(5)]
    await enqueue(store, "n1", targets, T0)
    sender = SlowSender()
    worker = DeliveryWorker(store, sender, clock, idle_poll=3600)
    worker.start()
    for _ in range(500):
        if sender.keys:
            break
        await asyncio.sleep(0.001)
    await worker.stop()  # while the five sends are on the wire
    assert len(sender.sent) == 5
    assert await store.delivery_counts("n1") == {"sent": 5}  # none left "sending"


async def test_the_worker_forgets_chats_once_their_rows_are_settled(
    store: Store, clock: VirtualClock
) -> None:
    chats = [await store.subscribe("fake", f"fan{i}", T0) for i in range(300)]
    for n in range(2):
        await enqueue(store, f"n{n}", chats, T0 + timedelta(seconds=n))
    await clock.advance_to(T0 + timedelta(minutes=1))
    limits = Limits(global_per_second=10_000.0, per_chat_interval=0.002, concurrency=16)
    sender = ScriptedSender(limits=limits)
    rig = Rig(store, clock, sender)
    await rig.run()
    assert len(sender.sent) == 600
    for chat in chats[::37]:
        assert sender.titles(chat.chat_id) == ["n0", "n1"]
    assert len(rig.worker._chat_locks) == 0
    await asyncio.sleep(0.01)  # past the per-chat gap: no grant can be delayed any more
    await rig.worker.budget.acquire("one more", limits.per_chat_interval)
    assert rig.worker.budget.chats_tracked == 1
