"""Commands are answered while the database is away: the real process, a real PostgreSQL
of the test's own, stopped and started again."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes.fake_telegram import FakeTelegram
from tests.helpers import SCHEDULES
from tests.process import PrivatePostgres, Racebot, write_config

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

FAN, LATE = 61_001, 61_002


async def test_commands_are_answered_while_postgresql_is_stopped(
    tmp_path: Path, postgres: PrivatePostgres
) -> None:
    async with FakeTelegram() as fake:
        fake.add_private_chat(FAN, "Anna")
        fake.add_private_chat(LATE, "Bertil")
        config = write_config(
            tmp_path,
            f'[bot]\nschedules = "{SCHEDULES}"\n\n[storage]\nurl = "{postgres.url}"\n'
            # A holder that cannot renew its lease stops polling after lease_seconds - 4 s
            # (bot.leases); a long lease rides out this outage, as one process may choose.
            "lease_seconds = 60\n\n"
            f'[web]\nenabled = false\n\n[telegram]\ntoken = "{fake.token}"\n'
            f'base_url = "{fake.url}/bot"\n',
        )

        def said(chat: int, needle: str) -> int:
            return sum(needle in t for t in fake.texts(chat))

        async with Racebot(tmp_path, "run", "--config", str(config)) as bot:
            await bot.wait_for(lambda: fake.stats.requests["getUpdates"] >= 1, 30, "polling")
            fake.push_message(FAN, FAN, "/start")
            await bot.wait_for(lambda: said(FAN, "Välkommen") == 1, 10, "the welcome")

            await postgres.stop()
            before = len(fake.texts(FAN))
            fake.push_message(FAN, FAN, "/next")
            fake.push_message(LATE, LATE, "/start")
            await bot.wait_for(lambda: len(fake.texts(FAN)) > before, 10, "/next answered")
            await bot.wait_for(lambda: said(LATE, "Något gick fel") == 1, 10, "/start answered")
            assert said(LATE, "Välkommen") == 0

            await postgres.start()
            fake.push_message(LATE, LATE, "/start")
            await bot.wait_for(lambda: said(LATE, "Välkommen") == 1, 30, "a welcome once back")
        log = bot.text()
        assert "/start in telegram chat 61002 failed" in log
        assert log.count("cannot read subscriptions") == 1  # not one per command
        assert log.count("subscriptions can be read again") == 1
        assert said(FAN, "Välkommen") == 1
