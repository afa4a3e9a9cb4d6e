"""Commands are answered while the database is away: the real process, a real PostgreSQL
of the test's own, stopped and started again."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.fake_telegram import FakeTelegram
from tests.helpers import SCHEDULES
from tests.process import Racebot, free_port, write_config

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

FAN, LATE = 61_001, 61_002


def _tool(name: str) -> str | None:
    return shutil.which(name) or next(
        (str(p) for p in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))), None
    )


class Postgres:
    """A throwaway server in a temp dir on a free port (run as 'postgres' when root)."""

    def __init__(self) -> None:
        initdb, pg_ctl = _tool("initdb"), _tool("pg_ctl")
        if initdb is None or pg_ctl is None:
            pytest.skip("initdb/pg_ctl not installed")
        self.initdb, self.pg_ctl = initdb, pg_ctl
        self.dir = Path(tempfile.mkdtemp(prefix="racebot-pg-"))
        self.dir.chmod(0o777)
        self.data = self.dir / "data"
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *args], check=True, capture_output=True, timeout=60)

    def init(self) -> None:
        self._run(self.initdb, "-D", str(self.data), "-A", "trust", "-U", "postgres")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            self.pg_ctl,
            "-D",
            str(self.data),
            "-o",
            options,
            "-w",
            "-l",
            str(self.dir / "pg.log"),
            "start",
        )

    def stop(self) -> None:
        self._run(self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop")


@pytest.fixture
def postgres() -> Iterator[Postgres]:
    server = Postgres()
    try:
        server.init()
        server.start()
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        shutil.rmtree(server.dir, ignore_errors=True)
        pytest.skip(f"cannot run a private PostgreSQL: {exc}")
    try:
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            server.stop()
        shutil.rmtree(server.dir, ignore_errors=True)


async def test_commands_are_answered_while_postgresql_is_stopped(
    tmp_path: Path, postgres: Postgres
) -> None:
    async with FakeTelegram() as fake:
        fake.add_private_chat(FAN, "Anna")
        fake.add_private_chat(LATE, "Bertil")
        config = write_config(
            tmp_path,
            f'[bot]\nschedules = "{SCHEDULES}"\n\n[storage]\nurl = "{postgres.url}"\n\n'
            f'[web]\nenabled = false\n\n[telegram]\ntoken = "{fake.token}"\n'
            f'base_url = "{fake.url}/bot"\n',
        )

        def said(chat: int, needle: str) -> int:
            return sum(needle in t for t in fake.texts(chat))

        async with Racebot(tmp_path, "run", "--config", str(config)) as bot:
            await bot.wait_for(lambda: fake.stats.requests["getUpdates"] >= 1, 30, "polling")
            fake.push_message(FAN, FAN, "/start")
            await bot.wait_for(lambda: said(FAN, "Välkommen") == 1, 10, "the welcome")

            await asyncio.to_thread(postgres.stop)
            before = len(fake.texts(FAN))
            fake.push_message(FAN, FAN, "/next")
            fake.push_message(LATE, LATE, "/start")
            await bot.wait_for(lambda: len(fake.texts(FAN)) > before, 10, "/next answered")
            await bot.wait_for(lambda: said(LATE, "Något gick fel") == 1, 10, "/start answered")
            assert said(LATE, "Välkommen") == 0

            await asyncio.to_thread(postgres.start)
            fake.push_message(LATE, LATE, "/start")
            await bot.wait_for(lambda: said(LATE, "Välkommen") == 1, 30, "a welcome once back")
        log = bot.text()
        assert "/start in telegram chat 61002 failed" in log
        assert log.count("cannot read subscriptions") == 1  # not one per command
        assert log.count("subscriptions can be read again") == 1
        assert said(FAN, "Välkommen") == 1
