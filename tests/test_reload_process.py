"""The running bot follows its schedules folder: edits, broken edits, SIGHUP."""

from __future__ import annotations

import re
import shutil
import signal
from pathlib import Path

import aiohttp
import pytest

from tests.helpers import SCHEDULES
from tests.process import Racebot, free_port, write_config

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

FP1 = """  [[events.sessions]]
  id = "fp1"
  name = "Fri träning 1"
  name_en = "Free Practice 1"
  kind = "practice"
  day = "fredag"
  start = 2020-11-06T10:50:00

"""


async def _sessions(port: int) -> int:
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"http://127.0.0.1:{port}/healthz") as answer,
    ):
        sessions: int = (await answer.json())["sessions"]
        return sessions


async def test_edits_are_picked_up_broken_ones_refused_and_sighup_reloads(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "schedules"
    shutil.copytree(SCHEDULES, folder)
    tcr = folder / "tcr-europe-2020.toml"
    original = tcr.read_text(encoding="utf-8")
    assert FP1 in original
    port = free_port()
    config = write_config(
        tmp_path,
        f'[bot]\nschedules = "{folder}"\n\n[storage]\nurl = "sqlite:///{tmp_path}/r.db"\n\n'
        f'[web]\nhost = "127.0.0.1"\nport = {port}\n',
    )
    async with Racebot(tmp_path, "run", "--config", str(config)) as bot:
        await bot.wait_log("schedules: watching")
        before = await _sessions(port)

        tcr.write_text(original.replace(FP1, ""), encoding="utf-8")  # a session removed
        await bot.wait_log("schedules: reloaded", limit=10)
        assert await _sessions(port) == before - 1

        broken = original.replace(FP1, "").replace('kind = "practice"', 'kind = "practise"', 1)
        tcr.write_text(broken, encoding="utf-8")
        await bot.wait_log("reload refused", limit=10)
        line = 1 + broken[: broken.index('kind = "practise"')].count("\n")
        where = rf"tcr-europe-2020\.toml:{line}: .*kind: Input should be"
        assert re.search(where, bot.text()), bot.text()
        assert await _sessions(port) == before - 1  # the previous schedule stays in force

        tcr.write_text(original, encoding="utf-8")  # fixed
        await bot.wait_log("schedules: reloaded", limit=10, count=2)
        assert await _sessions(port) == before

        bot.signal(signal.SIGHUP)
        await bot.wait_log("reload requested (SIGHUP)", limit=10)
        await bot.wait_log("schedules: reloaded", limit=10, count=3)
        assert bot.proc is not None
        assert bot.proc.returncode is None  # SIGHUP does not end the process
        assert await _sessions(port) == before
    assert bot.proc.returncode == 0
    assert "Traceback" not in bot.text()
