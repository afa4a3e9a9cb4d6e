"""A big audience: subscriptions kept in sync by revision, fan-outs queued in batches while
the first rows are already being sent. SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, update

from bot.core.audience import Target
from bot.core.clock import VirtualClock
from bot.core.markup import Post
from bot.core.model import Catalog
from bot.delivery import DeliveryWorker
from bot.scheduler import Engine
from bot.store import outbox, subscriptions
from bot.store.store import PENDING, SENT, NotificationData, Store
from bot.store.tables import Subscription
from bot.timers import ClockTimer
from tests.helpers import ScriptedSender, bulk_subscribe, post_json, utc

T0 = utc(2026, 6, 1, 8, 0)


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    opened = await Store.open(db_url)
    yield opened
    await opened.close()


def note(key: str = "n1") -> NotificationData:
    return NotificationData(
        key=key, kind="announce", due=T0, expires=T0 + timedelta(hours=1), posts={"sv": post_json()}
    )


async def test_a_sync_reads_only_the_subscriptions_that_changed(
    store: Store, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await bulk_subscribe(store, "telegram", [str(n) for n in range(300)], T0)
    assert len(await store.targets()) == 300
    # Another process on the same database changes one fan and adds one.
    other = await Store.open(db_url)
    try:
        await other.update_subscription("telegram", "7", T0, language="en")
        await other.subscribe("telegram", "new", T0)
    finally:
        await other.close()
    read: list[int] = []
    real = subscriptions.target_from

    def counting(row: object) -> Target:
        target = real(row)  # type: ignore[arg-type]
        read.append(target.id)
        return target

    monkeypatch.setattr(subscriptions, "target_from", counting)
    monkeypatch.setattr(subscriptions, "REVISION_SLACK", 0)
    monkeypatch.setattr(subscriptions, "TARGETS_MAX_AGE", 0.0)
    targets = await store.targets()
    assert len(read) == 2  # the two rows that changed, not the 302
    assert len(targets) == 301
    assert {t.chat_id: t.language for t in targets}["7"] == "en"
    assert [t.id for t in targets] == sorted(t.id for t in targets)
    # A change by hand in the database raises the revision too (a trigger).
    async with store.engine.begin() as conn:
        await conn.execute(
            update(Subscription).where(Subscription.chat_id == "8").values(active=False)
        )
    assert "8" not in {t.chat_id for t in await store.targets()}
    assert len(read) == 3


async def test_a_full_read_goes_in_chunks_and_catches_rows_deleted_by_hand(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    await bulk_subscribe(store, "telegram", [str(n) for n in range(350)], T0)
    monkeypatch.setattr(subscriptions, "CHUNK", 100)
    monkeypatch.setattr(subscriptions, "_CHUNK", subscriptions._CHUNK.limit(100))
    fresh = Store(store.engine)  # a process starting: nothing in memory yet
    turns = 0

    async def other_work() -> None:
        nonlocal turns
        while True:
            await asyncio.sleep(0)
            turns += 1

    runner = asyncio.create_task(other_work())
    try:
        targets = await fresh.targets()
    finally:
        runner.cancel()
    assert len(targets) == 350
    assert turns >= 4  # the loop ran between the chunks
    async with store.engine.begin() as conn:
        await conn.execute(delete(Subscription).where(Subscription.chat_id == "3"))
    monkeypatch.setattr(subscriptions, "FULL_SYNC_EVERY", 0.0)
    monkeypatch.setattr(subscriptions, "TARGETS_MAX_AGE", 0.0)
    assert "3" not in {t.chat_id for t in await fresh.targets()}


async def test_a_fan_out_is_queued_in_batches_and_counts_as_known_only_when_complete(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outbox, "FIRST_BATCH", 10)
    monkeypatch.setattr(outbox, "BATCH", 100)
    await bulk_subscribe(store, "telegram", [str(n) for n in range(250)], T0)
    targets = await store.targets()
    seen: list[int] = []

    async def count() -> int:
        return sum((await store.delivery_counts()).values())

    def on_batch(_batch: object) -> None:
        seen.append(len(seen))
        if len(seen) == 2:  # the process dies after two batches (10 + 100 rows)
            raise RuntimeError("killed")

    with pytest.raises(RuntimeError, match="killed"):
        await store.enqueue(note(), targets, T0, on_batch=on_batch)
    assert await count() == 110
    assert await store.known_notifications(["n1"]) == set()  # so the fire is made again
    batches: list[int] = []

    def record(_batch: object) -> None:
        batches.append(1)

    assert await store.enqueue(note(), targets, T0, on_batch=record) == 140
    assert len(batches) == 4  # 10, 100, 100, 40: the first 110 were there already
    assert await store.known_notifications(["n1"]) == {"n1"}
    assert await store.delivery_counts() == {PENDING: 250}
    assert await store.enqueue(note(), targets, T0) == 0


async def test_the_first_fans_are_sent_while_the_rest_are_still_being_queued(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outbox, "FIRST_BATCH", 20)
    monkeypatch.setattr(outbox, "BATCH", 200)
    await bulk_subscribe(store, "fake", [str(n) for n in range(1500)], T0)
    clock = VirtualClock(T0)
    queued_at_first_send: list[int] = []

    class Recording(ScriptedSender):
        async def send(self, target: Target, post: Post, *, key: str = "") -> list[str]:
            if not self.sent:
                counts = await store.delivery_counts()
                queued_at_first_send.append(sum(counts.values()))
            return await super().send(target, post, key=key)

    sender = Recording()
    worker = DeliveryWorker(store, sender, clock, idle_poll=3600)
    worker.start()
    try:
        added = await store.enqueue(
            note(), await store.targets(), T0, on_batch=lambda _batch: worker.wake()
        )
        for _ in range(2000):
            if len(sender.sent) >= 1500:
                break
            await asyncio.sleep(0.005)
    finally:
        await worker.stop()
    assert added == 1500
    assert queued_at_first_send[0] < 1500  # sending began before the last batch was in
    assert len(sender.sent) == 1500
    assert len({s.chat_id for s in sender.sent}) == 1500  # each fan once
    assert await store.delivery_counts() == {SENT: 1500}


async def test_a_rare_audience_from_chunks_is_queued_as_soon_as_a_chunk_finds_one(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fire chooses its audience a chunk at a time (the loop runs between chunks): the
    first fan found is queued at once, not after a scan of every subscriber, and chunks
    with nobody in them make no empty batch."""
    monkeypatch.setattr(outbox, "FIRST_BATCH", 10)
    monkeypatch.setattr(outbox, "BATCH", 3)
    await bulk_subscribe(store, "telegram", [str(n) for n in range(40)], T0)
    everyone = await store.targets()
    first_row_seen = asyncio.Event()
    batches: list[int] = []

    async def chunks_of_a_rare_audience() -> AsyncIterator[list[Target]]:
        yield []  # a chunk in which nobody wants it
        yield [everyone[0]]  # one fan among the next chunk's thousands
        # The rest of the scan only goes on once that fan's row is in the outbox: a
        # reader that waited for a full first batch would wait here for ever.
        await asyncio.wait_for(first_row_seen.wait(), 2)
        yield everyone[1:8]
        yield everyone[8:9]

    def on_batch(batch: list[Target]) -> None:
        batches.append(len(batch))
        first_row_seen.set()

    added = await store.enqueue(note(), chunks_of_a_rare_audience(), T0, on_batch=on_batch)
    assert added == 9
    assert batches == [1, 3, 3, 2]  # the first fan alone, then BATCH at a time, the rest
    assert await store.delivery_counts() == {PENDING: 9}
    assert await store.known_notifications(["n1"]) == {"n1"}


async def test_a_language_first_seen_in_a_later_batch_gets_its_own_post(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The audience is chosen and its variants rendered batch by batch: English fans who
    only appear after the first batch still get the English text, not the Swedish one."""
    monkeypatch.setattr(outbox, "FIRST_BATCH", 10)
    monkeypatch.setattr(outbox, "BATCH", 20)
    await bulk_subscribe(store, "fake", [str(n) for n in range(30)], T0)
    await bulk_subscribe(store, "fake", [f"en{n}" for n in range(5)], T0, language="en")
    await bulk_subscribe(
        store, "fake", [f"uk{n}" for n in range(5)], T0, language="en", timezone="Europe/London"
    )
    clock = VirtualClock(T0)
    engine = Engine(store=store, clock=clock, timer=ClockTimer(clock), catalog=Catalog(()))
    rendered: list[tuple[str, str]] = []

    def factory(language: str, tz: ZoneInfo) -> Post:
        rendered.append((language, tz.key))
        return Post(title=f"{language} {tz.key}")

    def audience() -> Iterator[Target]:  # lazily, as Engine.fire passes it
        yield from targets

    targets = await store.targets()
    sender = ScriptedSender()
    worker = DeliveryWorker(store, sender, clock, idle_poll=3600)
    engine.on_enqueue(lambda _platform: worker.wake())
    worker.start()
    try:
        added = await engine.publish(note("mixed"), audience(), factory)
        for _ in range(2000):
            if len(sender.sent) >= 40:
                break
            await asyncio.sleep(0.005)
    finally:
        await worker.stop()
    assert added == 40
    # One rendering per (language, zone), each when its first fan came up.
    assert sorted(rendered) == [
        ("en", "Europe/London"),
        ("en", "Europe/Stockholm"),
        ("sv", "Europe/Stockholm"),
    ]
    titles = {s.chat_id: s.title for s in sender.sent}
    assert len(titles) == 40
    assert {titles[f"uk{n}"] for n in range(5)} == {"en Europe/London"}
    assert {titles[f"en{n}"] for n in range(5)} == {"en Europe/Stockholm"}
    assert {titles[str(n)] for n in range(30)} == {"sv Europe/Stockholm"}


async def test_a_fire_to_nobody_still_records_its_notification(store: Store) -> None:
    clock = VirtualClock(T0)
    engine = Engine(store=store, clock=clock, timer=ClockTimer(clock), catalog=Catalog(()))
    assert await engine.publish(note("empty"), iter(()), lambda _l, _tz: Post(title="x")) == 0
    assert await store.known_notifications(["empty"]) == {"empty"}
