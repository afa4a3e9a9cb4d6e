"""Commands are answered while the database is away: the real process, a real PostgreSQL
of the test's own, stopped and started again."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.store.store import Store
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


STAFF = 61_007


async def test_a_plain_message_from_staff_while_postgresql_is_stopped_is_no_paste(
    tmp_path: Path, postgres: PrivatePostgres
) -> None:
    """Whether a staff member is pasting a release (between /release and /done) is kept
    in the database; with it away, a plain message is no part of a paste: no answer, no
    error, nothing kept, and the commands after it are answered as usual."""
    async with FakeTelegram() as fake:
        fake.add_private_chat(STAFF, "Staffan")
        config = write_config(
            tmp_path,
            f'[bot]\nschedules = "{SCHEDULES}"\n\n[storage]\nurl = "{postgres.url}"\n'
            "lease_seconds = 60\n\n"  # rides out the outage (see above)
            f'[web]\nenabled = false\n\n[telegram]\ntoken = "{fake.token}"\n'
            f'base_url = "{fake.url}/bot"\nstaff = [{STAFF}]\n',
        )
        async with Racebot(tmp_path, "run", "--config", str(config)) as bot:
            await bot.wait_for(lambda: fake.stats.requests["getUpdates"] >= 1, 30, "polling")
            fake.push_message(STAFF, STAFF, "/next")
            await bot.wait_for(lambda: len(fake.texts(STAFF)) == 1, 10, "/next answered")

            await postgres.stop()
            fake.push_message(STAFF, STAFF, "Pressmeddelande: Jessica vann i Jarama")
            fake.push_message(STAFF, STAFF, "/next")  # updates are handled one at a time
            await bot.wait_for(lambda: len(fake.texts(STAFF)) >= 2, 10, "/next answered")
            await postgres.start()
            # The plain message got no answer at all: the only new one is /next's.
            assert len(fake.texts(STAFF)) == 2
            assert fake.texts(STAFF)[1] == fake.texts(STAFF)[0]
            # Nothing was kept for the staff member: no paste under way once it is back.
            store = await Store.open(postgres.url)
            try:
                kept = await store.pastes.get("telegram", str(STAFF), datetime.now(UTC))
            finally:
                await store.close()
            assert kept is None
            fake.push_message(STAFF, STAFF, "Ett till vanligt meddelande")
            fake.push_message(STAFF, STAFF, "/next")
            await bot.wait_for(lambda: len(fake.texts(STAFF)) >= 3, 30, "/next once back")
            assert len(fake.texts(STAFF)) == 3
        log = bot.text()
        assert "Traceback" not in log
        assert "release in telegram" not in log  # no failed paste step
