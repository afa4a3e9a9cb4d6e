"""One process per bot token: the lease row and its keeper, on an injected clock.

The store statements run on SQLite and (when configured) PostgreSQL; the keeper's time is
the virtual clock's, both for its own deadlines and for the expiry the database compares.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest

from bot.core.clock import VirtualClock
from bot.core.markup import Post
from bot.leases import PlatformLease, lease_name
from bot.store.leases import Leases, standby_name
from bot.store.store import NotificationData, Store
from tests.helpers import bulk_subscribe, utc

T0 = utc(2026, 12, 1, 15, 0)
NAME = lease_name("telegram", "123:secret-token")
TTL = timedelta(seconds=8)
POST = Post(title="Hej").to_json()


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    opened = await Store.open(db_url)
    yield opened
    await opened.close()


class Partition:
    """A process's view of the lease table: cut off (every call fails) or slow at will."""

    def __init__(self, leases: Leases) -> None:
        self.leases = leases
        self.cut = False
        self.hang = False

    async def take(self, name: str, holder: str, ttl: timedelta, now: datetime | None) -> bool:
        if self.hang:
            await asyncio.Event().wait()  # never answers; the keeper's timeout ends it
        if self.cut:
            raise OSError("network unreachable")
        return await self.leases.take(name, holder, ttl, now)

    async def release(
        self, name: str, holder: str, linger: timedelta, now: datetime | None
    ) -> bool:
        if self.cut:
            raise OSError("network unreachable")
        return await self.leases.release(name, holder, linger, now)

    async def standing_by(self, name: str, holder: str, now: datetime | None) -> bool:
        if self.cut:
            raise OSError("network unreachable")
        return await self.leases.standing_by(name, holder, now)


class Process:
    """One racebot process's keeper, recording when it acquired and lost."""

    def __init__(self, store: Store, clock: VirtualClock, who: str, linger: float = 0.0):
        self.view = Partition(store.leases)
        self.events: list[tuple[str, datetime]] = []
        #: Since when this process cannot reach its platform (None: it can).
        self.cut_off_since: datetime | None = None

        def unreachable_for() -> float:
            since = self.cut_off_since
            return 0.0 if since is None else (clock.now() - since).total_seconds()

        self.lease = PlatformLease(
            self.view,  # type: ignore[arg-type]  # the same two calls, with faults
            NAME,
            who,
            clock,
            linger=linger,
            monotonic=lambda: clock.now().timestamp(),
            wall=clock.now,
            on_acquire=lambda: self.events.append(("acquire", clock.now())),
            on_lose=lambda why: self.events.append((f"lose: {why}", clock.now())),
            unreachable_for=unreachable_for,
        )


async def _run(clock: VirtualClock, seconds: float, *procs: Process, step: float = 0.25) -> None:
    """Advance in small steps; at no instant may two processes both act on the lease."""
    for _ in range(int(seconds / step)):
        await clock.advance(timedelta(seconds=step))
        for _ in range(5):  # let database threads answer between steps
            await asyncio.sleep(0.002)
        holding = [p for p in procs if p.lease.holds()]
        assert len(holding) <= 1, f"two holders at {clock.now()}"


async def test_the_row_is_taken_renewed_refused_and_taken_over_once_it_runs_out(
    store: Store,
) -> None:
    leases = store.leases
    assert await leases.take(NAME, "a", TTL, T0)
    assert not await leases.take(NAME, "b", TTL, T0 + timedelta(seconds=1))
    assert await leases.take(NAME, "a", TTL, T0 + timedelta(seconds=2))  # renewed
    state = await leases.state(NAME)
    assert state is not None
    assert (state.holder, state.expires_at, state.acquired_at) == ("a", T0 + 10 * TTL / 8, T0)
    assert not await leases.take(NAME, "b", TTL, T0 + timedelta(seconds=9.9))
    assert await leases.take(NAME, "b", TTL, T0 + timedelta(seconds=10.1))  # ran out
    assert not await leases.take(NAME, "a", TTL, T0 + timedelta(seconds=11))  # a lost it
    state = await leases.state(NAME)
    assert state is not None
    assert state.holder == "b"
    assert state.acquired_at == T0 + timedelta(seconds=10.1)
    assert "secret" not in NAME
    assert NAME.startswith("telegram:")


async def test_a_release_hands_over_at_once_or_after_its_linger(store: Store) -> None:
    leases = store.leases
    assert await leases.take(NAME, "a", TTL, T0)
    assert not await leases.release(NAME, "b", timedelta(0), T0)  # not b's to give up
    assert await leases.release(NAME, "a", timedelta(seconds=3.5), T0)
    assert not await leases.take(NAME, "b", TTL, T0 + timedelta(seconds=3))
    assert await leases.take(NAME, "b", TTL, T0 + timedelta(seconds=3.6))
    assert await leases.release(NAME, "b", timedelta(0), T0 + timedelta(seconds=4))
    assert await leases.state(NAME) is None
    assert await leases.take(NAME, "a", TTL, T0 + timedelta(seconds=4))


async def test_a_crashed_holder_is_replaced_within_its_ttl_and_never_overlapped(
    store: Store,
) -> None:
    clock = VirtualClock(T0)
    a, b = Process(store, clock, "a"), Process(store, clock, "b")
    await a.lease.start()
    await b.lease.start()
    assert a.lease.holds()
    assert not b.lease.holds()
    await _run(clock, 5, a, b)
    assert b.events == []  # renewals kept it with a
    crashed = clock.now()
    await a.lease.stop()  # kill -9: no release, no more renewals
    await _run(clock, 12, a, b)
    assert [what for what, _ in b.events] == ["acquire"]
    took_over = (b.events[0][1] - crashed).total_seconds()
    assert 7 <= took_over <= 8 + 1 + 0.25  # ttl after a's last renewal, plus one look
    await b.lease.stop()


async def test_a_clean_stop_hands_over_after_the_cut_off_poll_only(store: Store) -> None:
    clock = VirtualClock(T0)
    a, b = Process(store, clock, "a", linger=3.5), Process(store, clock, "b")
    await a.lease.start()
    await b.lease.start()
    await _run(clock, 2, a, b)
    released = clock.now()
    await a.lease.release()
    assert not a.lease.holds()
    await _run(clock, 6, a, b)
    assert [what for what, _ in b.events] == ["acquire"]
    assert 3.5 <= (b.events[0][1] - released).total_seconds() <= 3.5 + 1 + 0.25
    await b.lease.stop()


@pytest.mark.parametrize("fault", ["cut", "hang"])
async def test_a_partitioned_holder_stops_before_anyone_can_take_over(
    store: Store, fault: str
) -> None:
    """Cut off from the database (errors, or statements that never answer), the holder
    stands down ``margin`` before its lease can run out; the other takes it afterwards,
    and the first takes it back only when it is free again."""
    clock = VirtualClock(T0)
    a, b = Process(store, clock, "a"), Process(store, clock, "b")
    await a.lease.start()
    await b.lease.start()
    await _run(clock, 3, a, b)
    setattr(a.view, fault, True)
    cut = clock.now()
    await _run(clock, 12, a, b)  # the check in _run: never two holders
    assert [what for what, _ in a.events][-1].startswith("lose")
    lost_at, taken_at = a.events[-1][1], b.events[0][1]
    assert (lost_at - cut).total_seconds() <= 8 - 4  # ttl - margin after the last renewal
    assert taken_at > lost_at + timedelta(seconds=3)  # the margin: a poll still held
    assert b.lease.holds()
    setattr(a.view, fault, False)  # the partition heals: a finds b holding and waits
    await _run(clock, 5, a, b)
    assert not a.lease.holds()
    assert b.lease.holds()
    await a.lease.stop()
    await b.lease.stop()


def test_a_lease_must_outlast_its_margin_and_a_renewal() -> None:
    with pytest.raises(ValueError, match="outlast"):
        PlatformLease(None, NAME, "a", VirtualClock(T0), ttl=5.0)  # type: ignore[arg-type]


async def test_the_new_holder_takes_over_what_its_predecessor_had_out(store: Store) -> None:
    """Rows another worker of the platform had claimed come back at once; the new
    holder's own and another platform's stay as they are."""
    await bulk_subscribe(store, "telegram", [str(i) for i in range(6)], T0)
    await bulk_subscribe(store, "discord", ["d1"], T0)
    note = NotificationData(
        key="n", kind="announce", due=T0, expires=T0 + timedelta(days=1), posts={"sv": POST}
    )
    assert await store.enqueue(note, await store.targets(), T0) == 7
    lease = timedelta(seconds=30)
    old = await store.claim("telegram", "telegram-old", T0, 4, lease)
    mine = await store.claim("telegram", "telegram-new", T0, 1, lease)
    await store.claim("discord", "discord-old", T0, 1, lease)
    assert (len(old), len(mine)) == (4, 1)
    assert await store.claims.take_over("telegram", "telegram-new", T0) == 4
    assert await store.delivery_counts(platform="telegram") == {"pending": 5, "sending": 1}
    assert await store.delivery_counts(platform="discord") == {"sending": 1}
    again = await store.claim("telegram", "telegram-new", T0, 10, lease)
    untouched = 6 - len(old) - len(mine)
    assert {item.id for item in old} <= {item.id for item in again}
    assert len(again) == len(old) + untouched


async def test_a_standby_is_seen_only_while_its_presence_row_is_live(store: Store) -> None:
    leases, short = store.leases, timedelta(seconds=3)
    assert not await leases.standing_by(NAME, "a", T0)
    assert await leases.take(standby_name(NAME), "b", short, T0)
    assert await leases.standing_by(NAME, "a", T0 + timedelta(seconds=2))
    assert not await leases.standing_by(NAME, "b", T0 + timedelta(seconds=2))  # not itself
    assert not await leases.standing_by(NAME, "a", T0 + timedelta(seconds=3.5))  # ran out
    assert not await leases.standing_by(lease_name("discord", "x"), "a", T0)


async def test_a_holder_cut_off_from_its_platform_hands_over_to_a_standby(
    store: Store,
) -> None:
    """The database is fine, the platform is not: after ``give_up_after`` (60 s) of
    failures on end the holder stops, releases with its linger, and the standby (which
    says it stands by) takes over; the first stays out meanwhile, never two holders."""
    clock = VirtualClock(T0)
    a, b = Process(store, clock, "a", linger=3.5), Process(store, clock, "b")
    await a.lease.start()
    await b.lease.start()
    await _run(clock, 3, a, b)
    a.cut_off_since = clock.now()
    await _run(clock, 59, a, b)
    assert a.lease.holds()  # not yet: a minute on end first
    assert b.events == []
    await _run(clock, 8, a, b)
    assert not a.lease.holds()
    assert b.lease.holds()
    lost = [(what, at) for what, at in a.events if what.startswith("lose")]
    assert [what for what, _ in lost] == [
        "lose: its platform failed for 60 s and another process stands by"
    ]
    taken = b.events[0][1]
    assert [what for what, _ in b.events] == ["acquire"]
    assert 3.5 <= (taken - lost[0][1]).total_seconds() <= 3.5 + 1 + 0.25  # linger, one look
    await _run(clock, 20, a, b)  # a stands by now; b's platform answers: it keeps it
    assert b.lease.holds()
    assert [what for what, _ in a.events].count("acquire") == 1
    await a.lease.stop()
    await b.lease.stop()


async def test_a_lone_holder_cut_off_from_its_platform_keeps_its_lease(store: Store) -> None:
    clock = VirtualClock(T0)
    a = Process(store, clock, "a")
    await a.lease.start()
    a.cut_off_since = clock.now()
    await _run(clock, 150, a, step=1.0)
    assert a.lease.holds()  # nobody stands by: it keeps retrying the platform itself
    assert [what for what, _ in a.events] == ["acquire"]
    await a.lease.stop()
