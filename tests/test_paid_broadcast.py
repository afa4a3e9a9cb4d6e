"""Telegram paid broadcasts ([telegram] paid_broadcast): every send carries
``allow_paid_broadcast`` and the worker paces at the paid rate (up to 1000/s), through the
real TelegramAdapter (python-telegram-bot) against the fake Bot API, which holds such sends
to the paid rate and every other send to its 30/s. Off (the default), the parameter is
never sent."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from telegram.error import RetryAfter

from bot.config import Config, StorageConfig, TelegramConfig
from bot.core.clock import SystemClock
from bot.core.markup import Post
from bot.delivery import DeliveryWorker
from bot.platforms.telegram import TelegramAdapter
from bot.store.store import SENT, NotificationData, Store
from tests.fakes.fake_telegram import FakeTelegram
from tests.helpers import bulk_subscribe

FIRST_CHAT = 700_000


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:  # its default limits: 30/s, paid 1000/s
        yield server


async def fan_out(fake: FakeTelegram, tmp_path: Path, chats: int, *, paid: bool) -> float:
    """One notification to ``chats`` private chats through the real adapter and worker;
    returns the sends per second from the first accepted send to the last."""
    config = Config(
        storage=StorageConfig(url=f"sqlite:///{tmp_path}/paid.db"),
        telegram=TelegramConfig(token=fake.token, base_url=f"{fake.url}/bot", paid_broadcast=paid),
    )
    ids = [FIRST_CHAT + n for n in range(chats)]
    for chat in ids:
        fake.add_private_chat(chat, f"Fan {chat}")
    clock = SystemClock()
    store = await Store.open(config.storage.url)
    adapter = TelegramAdapter(config, clock)
    adapter.application = adapter.build()  # send-only: initialised, no polling
    await adapter.application.initialize()
    worker = DeliveryWorker(store, adapter, clock, idle_poll=0.05)
    try:
        await bulk_subscribe(store, "telegram", [str(c) for c in ids], clock.now())
        note = NotificationData(
            key="paid/1",
            kind="announce",
            due=clock.now(),
            expires=clock.now() + timedelta(hours=1),
            posts={"sv": Post(title="Startar om 15 min").to_json()},
        )
        await store.enqueue(note, await store.targets(), clock.now())
        started = time.monotonic()
        worker.start()
        while (await store.delivery_counts()).get(SENT, 0) < chats:
            assert time.monotonic() - started < 120, await store.delivery_counts()
            await asyncio.sleep(0.05)
    finally:
        await worker.stop()
        await adapter.stop()
        await store.close()
    times = sorted(t for chat in ids for t in fake.stats.send_times.get(chat, []))
    assert len(times) == chats  # each fan once
    return (chats - 1) / (times[-1] - times[0])


async def test_paid_broadcasts_go_well_above_30_a_second_without_a_429(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    rate = await fan_out(fake, tmp_path, 2000, paid=True)
    assert fake.stats.flood_429s == 0
    assert fake.stats.paid_sends == 2000  # every send carried allow_paid_broadcast
    assert rate > 90, rate  # three times the free rate at least, on a busy machine too


async def test_without_paid_broadcasts_the_parameter_is_never_sent(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    rate = await fan_out(fake, tmp_path, 60, paid=False)
    assert fake.stats.flood_429s == 0
    assert fake.stats.paid_sends == 0
    sent = [m for chat in fake.messages.values() for m in chat]
    assert len(sent) == 60
    assert not any("allow_paid_broadcast" in m.params for m in sent)
    assert rate <= 30.5, rate  # the free rate: the fake would refuse more


async def test_the_fake_holds_unpaid_sends_to_30_a_second_even_beside_paid_ones(
    fake: FakeTelegram,
) -> None:
    """The fake's rule itself: a send without the parameter is refused once 30 went out
    in the last second, paid or not; one with it is not."""
    for chat in range(1, 33):
        fake.add_private_chat(chat, f"Fan {chat}")
    config = Config(telegram=TelegramConfig(token=fake.token, base_url=f"{fake.url}/bot"))
    adapter = TelegramAdapter(config, SystemClock())
    adapter.application = adapter.build()
    await adapter.application.initialize()
    bot = adapter.application.bot
    try:
        await asyncio.gather(
            *(bot.send_message(chat, "paid", allow_paid_broadcast=True) for chat in range(1, 31))
        )
        with pytest.raises(RetryAfter):
            await bot.send_message(31, "unpaid")
        await bot.send_message(32, "paid", allow_paid_broadcast=True)
    finally:
        await adapter.stop()
    assert fake.stats.flood_429s == 1
    assert fake.stats.paid_sends == 31
