"""The server_events rows (#19): one Discord server's events by session, on SQLite and
PostgreSQL (the ``db_url`` fixture)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.store.server_events import StoredEvent
from bot.store.store import Store

NOW = datetime(2020, 11, 7, 9, 30, tzinfo=UTC)


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    opened = await Store.open(db_url)
    try:
        yield opened
    finally:
        await opened.close()


async def test_a_servers_events_are_remembered_replaced_and_forgotten(store: Store) -> None:
    rows = store.server_events
    await rows.remember("discord", "1", "s/e/race1", StoredEvent("10", "a" * 64), NOW)
    await rows.remember("discord", "1", "s/e/race2", StoredEvent("11", "b" * 64), NOW)
    await rows.remember("discord", "2", "s/e/race1", StoredEvent("20"), NOW)  # another server
    assert await rows.for_guild("discord", "1") == {
        "s/e/race1": StoredEvent("10", "a" * 64),
        "s/e/race2": StoredEvent("11", "b" * 64),
    }
    later = NOW + timedelta(minutes=5)
    await rows.remember("discord", "1", "s/e/race1", StoredEvent(None), later)  # deleted by hand
    await rows.forget("discord", "1", ["s/e/race2"])
    await rows.forget("discord", "1", [])
    assert await rows.for_guild("discord", "1") == {"s/e/race1": StoredEvent(None)}
    assert await rows.for_guild("discord", "2") == {"s/e/race1": StoredEvent("20")}
    assert await rows.for_guild("telegram", "1") == {}
