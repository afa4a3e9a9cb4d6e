"""The database going away under a running bot, on virtual time (the fast half of #11).

The fault is a failing-write shim inside SQLAlchemy: while it is on, every statement (or
every write) fails with the error the driver raises for that fault, so the Store, its
health and the retries see exactly what a real outage gives them. The real outages (a
PostgreSQL stopped and started, SQLite on a full filesystem) are in test_faults.py.
Every test runs on SQLite, and on PostgreSQL too when RACEBOT_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from bot.app import App
from bot.core.audience import Target
from bot.core.clock import VirtualClock
from bot.core.markup import Post
from bot.delivery import LEASE, DeliveryWorker
from bot.platforms.base import Limits
from bot.store.store import SENT, NotificationData, Store
from tests.helpers import ScriptedSender, make_config, post_json, running_app, utc

T0 = utc(2020, 11, 7, 10, 0)
LEAD_KEY = "tcr-europe-2020/r6/fp1/lead-60@20201106T0950Z"


class Fault:
    """Makes the store's statements fail while ``on`` (writes only, or everything)."""

    def __init__(self, store: Store, message: str, writes_only: bool) -> None:
        self.on = False
        self.failed = 0
        self.message = message
        self.writes_only = writes_only
        #: The driver's own error class, so SQLAlchemy wraps it as for a real outage.
        self.error: type[Exception] = store.engine.dialect.dbapi.OperationalError
        event.listen(store.engine.sync_engine, "before_cursor_execute", self._check)

    def _check(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not self.on:
            return
        verb = statement.lstrip().split(None, 1)[0].upper()
        if self.writes_only and verb == "SELECT":
            return
        self.failed += 1
        raise self.error(self.message)


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    opened = await Store.open(db_url)
    yield opened
    await opened.close()


async def _until(check: Any, what: str, rounds: int = 2000) -> None:
    for _ in range(rounds):
        if check():
            return
        await asyncio.sleep(0.002)
    raise AssertionError(f"never happened: {what}")


async def _advance(clock: VirtualClock, seconds: float, step: float = 1.0) -> None:
    """Move virtual time in steps, letting the database threads answer between them (the
    clock must not run ahead of a write that is still under way)."""
    for _ in range(int(seconds / step)):
        await clock.advance(timedelta(seconds=step))
        await asyncio.sleep(0.003)


async def test_sends_whose_mark_failed_are_written_later_and_never_repeated(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """Disk full mid fan-out: the sends go out once each, the marks land when it is back."""
    clock = VirtualClock(T0)
    chats = [await store.subscribe("fake", f"c{i}", T0) for i in range(40)]
    note = NotificationData(
        key="n1",
        kind="announce",
        due=T0,
        expires=T0 + timedelta(days=1),
        posts={"sv": post_json("Hej")},
    )
    await store.enqueue(note, chats, T0)
    fault = Fault(store, "database or disk is full", writes_only=True)

    def script(_target: Target, _post: Post) -> BaseException | None:
        if len(sender.sent) == 10:
            fault.on = True  # the disk fills while the 11th send is out
        return None

    sender = ScriptedSender(script=script, limits=Limits(10_000.0, concurrency=4))
    sender.clock = clock
    worker = DeliveryWorker(store, sender, clock, idle_poll=3600)
    peak = 0
    caplog.set_level(logging.INFO)
    worker.start()
    try:
        await _until(lambda: worker.unrecorded > 0, "a mark kept in memory")
        # 100 virtual seconds away: every lease ran out, the worker kept retrying
        for _ in range(20):
            await _advance(clock, 5)
            peak = max(peak, worker.unrecorded)
        assert store.health.degraded
        assert "disk is full" in store.health.reason
        during = len(sender.sent)
        assert during <= 10 + sender.limits.concurrency  # nothing new started
        assert peak <= sender.limits.concurrency
        fault.on = False
        for _ in range(40):
            await _advance(clock, 5)
            if (await store.delivery_counts()).get(SENT) == len(chats):
                break
        assert (await store.delivery_counts()) == {SENT: len(chats)}
        assert not store.health.degraded
    finally:
        await worker.stop()
    per_chat = Counter(s.chat_id for s in sender.sent)
    assert {c.chat_id for c in chats} == set(per_chat)  # none lost
    assert max(per_chat.values()) == 1  # none twice
    # one line when it went, one when it came back, whatever the retries
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.store"]
    assert len(lines) == 2, lines
    assert lines[0].startswith("database unavailable")
    assert lines[1].startswith("database back")
    assert fault.failed >= 5  # it did retry, with backoff


async def test_claims_pause_and_back_off_while_the_database_is_away(store: Store) -> None:
    """No hot loop: an hour of outage costs a few hundred tries, not millions."""
    clock = VirtualClock(T0)
    fault = Fault(store, "connection refused", writes_only=False)
    sender = ScriptedSender()
    worker = DeliveryWorker(store, sender, clock, idle_poll=5.0)
    fault.on = True
    worker.start()
    try:
        for _ in range(720):
            await clock.advance(timedelta(seconds=5))
        tries = fault.failed
        assert store.health.degraded
        fault.on = False
        target = await store.subscribe("fake", "1", clock.now())
        note = NotificationData("n", "announce", clock.now(), None, {"sv": post_json()})
        await store.enqueue(note, [target], clock.now())
        worker.wake()
        for _ in range(5):
            await clock.advance(timedelta(seconds=1))
        await _until(lambda: len(sender.sent) == 1, "the send after the outage")
    finally:
        await worker.stop()
    # the backoff is capped at 5 s and jittered down to half: at most one try per 2.5 s
    assert 10 < tries <= 3600 / 2.5


@contextlib.asynccontextmanager
async def _friday_outage(
    tmp_path: Path, db_url: str
) -> AsyncIterator[tuple[App, VirtualClock, ScriptedSender, Fault]]:
    """The App at 08:49 UTC on the Jarama Friday, one fan subscribed, the database gone.

    The fan's one lead is 60 minutes, so FP1 (a practice: one reminder, the shortest lead)
    is reminded at 08:50."""
    clock = VirtualClock(utc(2020, 11, 6, 8, 49))
    sender = ScriptedSender(clock=clock)
    async with running_app(make_config(tmp_path, url=db_url), clock, (sender,)) as app:
        await app.store.subscribe("fake", "fan", clock.now(), leads=(60,))
        await app.settle()
        fault = Fault(app.store, "connection refused", writes_only=False)
        fault.on = True
        yield app, clock, sender, fault


async def test_a_reminder_due_during_an_outage_goes_out_when_the_database_is_back(
    tmp_path: Path, db_url: str
) -> None:
    """Friday FP1 at Jarama: the lead-60 falls due 08:50 UTC while the database is away."""
    async with _friday_outage(tmp_path, db_url) as (app, clock, sender, fault):
        await _advance(clock, 180)  # to 08:52; due 08:50, valid until 08:55
        assert fault.failed >= 3
        lead = [k for k in sender.keys if "fp1/lead-60" in k]
        assert lead == []
        fault.on = False
        await _advance(clock, 10)
        await app.settle()
        lead = [k for k in sender.keys if "fp1/lead-60" in k]
        assert len(lead) == 1
        (row,) = await app.store.deliveries_for(LEAD_KEY)
        assert row.status == SENT


async def test_a_reminder_whose_outage_outlasts_it_is_never_sent(
    tmp_path: Path, db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with _friday_outage(tmp_path, db_url) as (app, clock, sender, fault):
        await _advance(clock, 420, step=2)  # to 08:56, past its five minutes of grace
        fault.on = False
        await clock.advance(timedelta(seconds=10))
        await app.settle()
        assert [k for k in sender.keys if "fp1/lead-60" in k] == []
        assert await app.store.deliveries_for(LEAD_KEY) == []
    assert any("expired while the database was away" in r.getMessage() for r in caplog.records)


async def test_rows_in_hand_during_a_long_outage_keep_their_lease(store: Store) -> None:
    """Rows waiting in a batch are renewed when the database returns, before anyone can
    hand them back, so a second worker never sends them too."""
    clock = VirtualClock(T0)
    chats = [await store.subscribe("fake", f"c{i}", T0) for i in range(6)]
    note = NotificationData("n", "announce", T0, None, {"sv": post_json()})
    await store.enqueue(note, chats, T0)
    fault = Fault(store, "database or disk is full", writes_only=True)
    release = asyncio.Event()

    class Held(ScriptedSender):
        async def send(self, target: Target, post: Post, *, key: str = "") -> list[str]:
            if self.sent:
                await release.wait()  # the second send hangs on until told
            else:
                fault.on = True  # the first mark fails; the other five wait in the batch
            return await super().send(target, post, key=key)

    sender = Held(limits=Limits(10_000.0, concurrency=1))
    worker = DeliveryWorker(store, sender, clock, idle_poll=3600)
    rival_sender = ScriptedSender()
    rival = DeliveryWorker(store, rival_sender, clock, idle_poll=3600)
    worker.start()
    try:
        await _until(lambda: worker.unrecorded == 1, "the first mark kept")
        await _advance(clock, LEASE.total_seconds() * 2)  # every lease in the database ran out
        fault.on = False
        await _advance(clock, 10)
        assert worker.unrecorded == 0
        assert not await rival.drain_once()  # nothing was handed back
        release.set()
        await _until(lambda: len(sender.sent) == 6, "the batch finished")
        await _until(lambda: worker.unrecorded == 0, "the marks written")
    finally:
        await worker.stop()
    assert rival_sender.sent == []
    assert Counter(s.chat_id for s in sender.sent) == Counter(c.chat_id for c in chats)
    assert await store.delivery_counts() == {SENT: 6}


#: One write per store aggregate, each with the read that shows whether it landed.
_AGGREGATE_WRITES: dict[str, tuple[Any, Any]] = {
    "subscriptions": (
        lambda s: s.subscribe("telegram", "42", T0, language="sv"),
        lambda s: s.get_subscription("telegram", "42"),
    ),
    "outbox": (
        lambda s: s.enqueue(
            NotificationData(key="n1", kind="news", due=T0, expires=None, posts={"sv": "{}"}),
            [],
            T0,
        ),
        lambda s: s.known_notifications(["n1"]),
    ),
    "states": (
        lambda s: s.set_override("tcr/r6/race1", T0, cancelled=True),
        lambda s: s.session_states(),
    ),
    "results": (
        lambda s: s.save_results("tcr", "r6", "race1", [{"driver_id": "a"}], "staff", T0),
        lambda s: s.results("tcr", "r6"),
    ),
    "drafts": (
        lambda s: s.put_pending("tok", "telegram", "1", "delay", {}, T0, timedelta(minutes=5)),
        lambda s: s.latest_pending("telegram", "1", T0),
    ),
    "audit": (
        lambda s: s.audit("telegram", "1", None, "delay", {}, T0),
        lambda s: s.audit_log(),
    ),
}


@pytest.mark.parametrize("aggregate", sorted(_AGGREGATE_WRITES))
async def test_every_aggregate_reports_a_full_disk_to_the_one_health(
    store: Store, aggregate: str
) -> None:
    """The store's parts share one database handle: a write that fails in any of them marks
    the one health degraded and leaves nothing behind; the retry lands and clears it."""
    write, read = _AGGREGATE_WRITES[aggregate]
    fault = Fault(store, "database or disk is full", writes_only=True)
    fault.on = True
    with pytest.raises(Exception, match="disk is full"):
        await write(store)
    assert store.health.degraded
    assert "disk is full" in store.health.reason
    assert not await read(store)  # nothing half-written
    fault.on = False
    await write(store)
    assert not store.health.degraded
    assert await read(store)
