"""Outbox retention: settled rows older than the configured age go, in small batches,
found through an index; everything still to be sent stays. SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from bot.config import load_config
from bot.core.clock import VirtualClock
from bot.core.errors import ConfigError
from bot.housekeeping import Housekeeper
from bot.store import migrate
from bot.store.store import EXPIRED, PENDING, SENT, NotificationData, SentMark, Store
from tests.helpers import post_json, sync_url, utc

T0 = utc(2026, 5, 1, 12, 0)
DAY = timedelta(days=1)


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    opened = await Store.open(db_url)
    yield opened
    await opened.close()


async def queue(store: Store, key: str, count: int, at: object) -> list[int]:
    """``count`` fans, one row each for notification ``key``; returns the claimed ids."""
    assert isinstance(at, type(T0))
    targets = [await store.subscribe("fake", f"{key}-{n}", at) for n in range(count)]
    note = NotificationData(
        key=key, kind="announce", due=at, expires=at + DAY, posts={"sv": post_json(key)}
    )
    await store.enqueue(note, targets, at)
    claimed = await store.claim("fake", "w", at, count, timedelta(seconds=30))
    return [item.id for item in claimed]


async def test_settled_rows_past_the_age_go_and_everything_to_send_stays(
    store: Store,
) -> None:
    old = T0 - 40 * DAY
    sent_old = await queue(store, "old-sent", 7, old)
    await store.mark_sent_many([SentMark(i, ("m",), 1, old) for i in sent_old])
    expired_old = await queue(store, "old-expired", 3, old)
    for delivery in expired_old:
        await store.mark_final(delivery, EXPIRED, "too late", old)
    retry_old = await queue(store, "old-retry", 2, old)  # pending since then: still to send
    for delivery in retry_old:
        await store.mark_retry(delivery, T0 + DAY, "502", old)
    recent = await queue(store, "recent", 2, T0 - 2 * DAY)
    await store.mark_sent_many([SentMark(i, ("m",), 1, T0 - 2 * DAY) for i in recent])

    keeper = Housekeeper(store, VirtualClock(T0), keep=30 * DAY, batch=3)
    assert await keeper.sweep() == 10  # 7 + 3, four transactions of at most 3

    assert await store.delivery_counts() == {PENDING: 2, SENT: 2}
    assert [r.status for r in await store.deliveries_for("old-retry")] == [PENDING, PENDING]
    assert await store.known_notifications(["old-sent"]) == {"old-sent"}  # never fired twice
    assert await keeper.sweep() == 0


async def test_the_housekeeper_sweeps_again_and_again(store: Store) -> None:
    clock = VirtualClock(T0)
    keeper = Housekeeper(store, clock, keep=30 * DAY, every=timedelta(milliseconds=5))
    keeper.start()
    try:
        await asyncio.sleep(0.01)  # a first sweep found nothing
        ids = await queue(store, "n1", 4, T0 - 31 * DAY)
        await store.mark_sent_many([SentMark(i, ("m",), 1, T0 - 31 * DAY) for i in ids])
        for _ in range(500):
            if keeper.deleted:
                break
            await asyncio.sleep(0.002)
        assert keeper.deleted == 4
        assert await store.delivery_counts() == {}
        assert clock.next_deadline() is None  # its pace is loop time, not the virtual clock
    finally:
        await keeper.stop()


async def test_the_housekeeping_queries_have_their_indexes(store: Store, db_url: str) -> None:
    engine = create_engine(sync_url(db_url))
    try:
        with engine.connect() as conn:
            indexes = {
                ix["name"]: ix["column_names"] for ix in inspect(conn).get_indexes("deliveries")
            }
            assert indexes["ix_deliveries_settled"] == ["status", "updated_at"]
            assert indexes["ix_deliveries_deadline"] == ["platform", "status", "expires"]
            assert indexes["ix_deliveries_subscription"] == ["subscription_id"]
            if not db_url.startswith("sqlite"):
                return
            plans = {
                "prune": "SELECT id FROM deliveries WHERE status IN ('sent','expired')"
                " AND updated_at < '2026-01-01' LIMIT 500",
                "requeue": "SELECT id FROM deliveries WHERE status = 'sending'"
                " AND claimed_until < '2026-01-01'",
                "deactivate": "SELECT id FROM deliveries WHERE subscription_id = 1"
                " AND status IN ('pending','sending')",
            }
            for name, query in plans.items():
                plan = " ".join(
                    str(row[-1]) for row in conn.execute(text(f"EXPLAIN QUERY PLAN {query}"))
                )
                assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, (name, plan)
                assert "TEMP B-TREE" not in plan, (name, plan)
    finally:
        engine.dispose()


def test_a_result_row_queued_before_the_upgrade_gets_the_far_deadline(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0002_setup_fields")
        conn.execute(
            text(
                "INSERT INTO notifications (key, kind, due, posts, version, created_at)"
                " VALUES ('r', 'results', '2026-05-01 12:00:00', '{}', 1, '2026-05-01 12:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO subscriptions (platform, chat_id, chat_kind, language, timezone,"
                " active, created_at, updated_at) VALUES ('fake', '1', 'private', 'sv',"
                " 'Europe/Stockholm', 1, '2026-05-01 12:00:00', '2026-05-01 12:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO deliveries (notification_key, subscription_id, platform, status,"
                " next_attempt_at, attempts, sent_version, updated_at) VALUES ('r', 1, 'fake',"
                " 'pending', '2026-05-01 12:00:00', 0, 0, '2026-05-01 12:00:00')"
            )
        )
    with engine.begin() as conn:
        migrate.upgrade(conn)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT expires FROM deliveries")).scalar_one().startswith("9999")
    engine.dispose()


def test_retention_is_configurable_and_a_bad_value_is_explained(tmp_path: Path) -> None:
    assert load_config(env={}).storage.retention_days == 30
    path = tmp_path / "bot.toml"
    path.write_text("[storage]\nretention_days = 7\n", encoding="utf-8")
    assert load_config(path, env={}).storage.retention_days == 7
    path.write_text("[storage]\nretention_days = 0\n", encoding="utf-8")
    with pytest.raises(
        ConfigError, match=r"\[storage\] retention_days: .*greater than or equal to 1"
    ):
        load_config(path, env={})
