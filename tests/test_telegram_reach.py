"""The Telegram adapter's poll requests keep the score a lease holder reads (``bot.leases``):
since when no getUpdates got an answer, through the real PTB Bot and the fake Bot API."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import NetworkError

from bot.platforms.telegram.reach import PollRequest, Reach
from tests.fakes.fake_telegram import FakeTelegram
from tests.process import free_port


async def test_the_poll_request_says_how_long_the_bot_api_has_not_answered() -> None:
    now = [100.0]
    reach = Reach(lambda: now[0])
    nowhere = f"http://127.0.0.1:{free_port()}/bot"  # nothing listens: connection refused
    async with FakeTelegram() as fake:
        request = PollRequest(reach)
        cut_off = Bot(fake.token, base_url=nowhere, get_updates_request=request)
        await request.initialize()
        for _ in range(2):  # PTB's retries: the outage goes on from the first failure
            with pytest.raises(NetworkError):
                await cut_off.get_updates(timeout=0)
            now[0] += 35
        assert reach.unreachable_for() == 70.0
        await request.shutdown()

        request = PollRequest(reach)
        back = Bot(fake.token, base_url=f"{fake.url}/bot", get_updates_request=request)
        await request.initialize()
        assert await back.get_updates(timeout=0) == ()
        assert reach.unreachable_for() == 0.0  # answered: the outage is over
        await request.shutdown()
