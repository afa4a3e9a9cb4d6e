"""kill -9 in the middle of a fan-out to 500 chats; a restart finishes it, losing nothing.

Runs a real ``racebot run`` process through the real Telegram adapter against the in-process
FakeTelegram. The delivery lease (30 s) is fast-forwarded in the database after the
kill instead of waiting for it in real time; that is the only thing the test does by hand.
"""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest

from bot.config import load_config
from bot.core.clock import SystemClock
from bot.store.store import SENDING, Store
from tests.helpers import SCHEDULES
from tests.process import expire_leases, start_bot, stop_bot, subscribe_and_announce, wait_for

pytest.importorskip("bot.platforms.telegram", reason="Telegram adapter not available")

from tests.fakes.fake_telegram import FakeTelegram

TARGETS = 500
FIRST_ID = 10_000
KEY = "announce/crash-test"


def _config(tmp_path: Path, fake: FakeTelegram, db: Path) -> Path:
    path = tmp_path / "bot.toml"
    path.write_text(
        f'[bot]\nschedules = "{SCHEDULES}"\n\n'
        f'[storage]\nurl = "sqlite:///{db}"\n\n'
        "[web]\nenabled = false\n\n"
        f'[telegram]\ntoken = "{fake.token}"\nbase_url = "{fake.url}/bot"\n'
        "global_rate = 150\nper_chat_interval = 0\ngroup_interval = 0\n",
        encoding="utf-8",
    )
    return path


def _received(fake: FakeTelegram) -> int:
    return sum(len(fake.messages.get(FIRST_ID + i, [])) for i in range(TARGETS))


@pytest.mark.slow
@pytest.mark.timeout(300)
async def test_kill_minus_nine_mid_fan_out_loses_nothing(tmp_path: Path) -> None:
    from bot.platforms.telegram import TelegramAdapter

    db = tmp_path / "racebot.db"
    log = tmp_path / "run.log"
    async with FakeTelegram(
        global_rate=None, per_chat_interval=None, group_per_minute=None
    ) as fake:
        for i in range(TARGETS):
            fake.add_private_chat(FIRST_ID + i, f"Fan {i}")
        await subscribe_and_announce(
            f"sqlite:///{db}",
            [str(FIRST_ID + i) for i in range(TARGETS)],
            KEY,
            "Krocktest: alla ska få detta",
        )
        config = _config(tmp_path, fake, db)

        first = await start_bot(config, log)
        try:
            await wait_for(lambda: _received(fake) >= 150, 30, "the fan-out to begin", log)
            os.kill(first.pid, signal.SIGKILL)
            await first.wait()
        finally:
            if first.returncode is None:
                first.kill()
                await first.wait()
        at_kill = _received(fake)
        assert at_kill < TARGETS, "the fan-out finished before the kill; slow it down"

        in_flight = (await expire_leases(f"sqlite:///{db}")).get(SENDING, 0)

        second = await start_bot(config, log)
        try:
            await wait_for(
                lambda: all(fake.messages.get(FIRST_ID + i) for i in range(TARGETS)),
                30,
                "every chat to have the post",
                log,
            )
            await asyncio.sleep(0.3)  # anything else in flight would land now
        finally:
            await stop_bot(second)

        per_chat = [len(fake.messages.get(FIRST_ID + i, [])) for i in range(TARGETS)]
        assert min(per_chat) >= 1  # none lost
        duplicates = sum(n - 1 for n in per_chat)
        limit = TelegramAdapter(load_config(config), SystemClock()).limits.concurrency
        assert duplicates <= min(in_flight, limit), (duplicates, in_flight, at_kill)

        store = await Store.open(f"sqlite:///{db}")
        try:
            assert await store.delivery_counts(KEY) == {"sent": TARGETS}
        finally:
            await store.close()
