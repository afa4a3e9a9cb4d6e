"""Real faults under the real ``racebot run``: nothing lost, nothing twice, never stale.

Each test runs the shipped process against the in-process fake Bot API and breaks
something for real: a PostgreSQL of the test's own stopped (pg_ctl -m fast) at the due
time of a reminder or in the middle of a fan-out; the SQLite file's filesystem (a small
tmpfs) filled mid fan-out and then freed; a Bot API that answers later than PTB's old
5 s timeout; bursts of 429. Each then counts, per chat, what arrived: delivered,
duplicated, lost. The figures are in bench/RESULTS.md ("Faults").
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import subprocess
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from bot.platforms.base import Limits
from bot.store.store import SENT, Store
from tests.helpers import SCHEDULES, write_schedule
from tests.process import (
    PrivatePostgres,
    expire_leases,
    free_port,
    start_bot,
    stop_bot,
    subscribe_and_announce,
    wait_for,
)

pytest.importorskip("bot.platforms.telegram", reason="Telegram adapter not available")

from tests.fakes.fake_telegram import FakeTelegram

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

FIRST_ID = 20_000
KEY = "announce/fault-test"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
#: The worker's in-flight sends (Limits.concurrency): the bound on unrecorded sends.
CONCURRENCY = Limits(global_per_second=1.0).concurrency


@dataclass(frozen=True)
class Tally:
    tried: int
    delivered: int
    duplicated: int
    lost: int


def tally(fake: FakeTelegram, chats: int, wanted: Callable[[str], bool]) -> Tally:
    """Per chat: how many of the wanted messages arrived (1 is right)."""
    counts = [sum(1 for text in fake.texts(FIRST_ID + i) if wanted(text)) for i in range(chats)]
    return Tally(
        tried=chats,
        delivered=sum(1 for n in counts if n >= 1),
        duplicated=sum(n - 1 for n in counts if n > 1),
        lost=sum(1 for n in counts if n == 0),
    )


def _announced(text: str) -> bool:
    return "Feltest" in text


def received(fake: FakeTelegram, chats: int, wanted: Callable[[str], bool] = _announced) -> int:
    return sum(1 for i in range(chats) if any(wanted(t) for t in fake.texts(FIRST_ID + i)))


def bot_config(
    tmp_path: Path,
    fake: FakeTelegram,
    url: str,
    *,
    schedules: Path = SCHEDULES,
    rate: float = 100,
    web_port: int | None = None,
    reminders: str = "",
) -> Path:
    web = f"enabled = true\nport = {web_port}\n" if web_port else "enabled = false\n"
    path = tmp_path / "bot.toml"
    path.write_text(
        f'[bot]\nschedules = "{schedules}"\n\n'
        f'[storage]\nurl = "{url}"\n\n'
        f"[web]\n{web}\n"
        f"{reminders}"
        f'[telegram]\ntoken = "{fake.token}"\nbase_url = "{fake.url}/bot"\n'
        f"global_rate = {rate}\nper_chat_interval = 0\ngroup_interval = 0\n",
        encoding="utf-8",
    )
    return path


async def prepare(url: str, chats: int, announce: bool = True) -> None:
    """Subscribe the chats and (optionally) queue one announcement to all of them."""
    chat_ids = [str(FIRST_ID + i) for i in range(chats)]
    title = "Feltest: alla ska få detta en gång" if announce else ""
    await subscribe_and_announce(url, chat_ids, KEY, title)


async def counts(url: str) -> dict[str, int]:
    store = await Store.open(url)
    try:
        return await store.delivery_counts()
    finally:
        await store.close()


@contextlib.asynccontextmanager
async def fake_with_chats(chats: int, **limits: float | None) -> AsyncIterator[FakeTelegram]:
    options: dict[str, float | None] = {
        "global_rate": None,
        "per_chat_interval": None,
        "group_per_minute": None,
    }
    options.update(limits)
    async with FakeTelegram(**options) as fake:  # type: ignore[arg-type]
        for i in range(chats):
            fake.add_private_chat(FIRST_ID + i, f"Fan {i}")
        yield fake


@contextlib.asynccontextmanager
async def running(config: Path, log: Path) -> AsyncIterator[asyncio.subprocess.Process]:
    process = await start_bot(config, log)
    try:
        yield process
    finally:
        await stop_bot(process)


def log_lines(log: Path, needle: str) -> int:
    return sum(1 for line in log.read_text(errors="replace").splitlines() if needle in line)


# -- PostgreSQL stopped and started -------------------------------------------------------


def _fault_cup(folder: Path, start: datetime) -> None:
    """One race starting at ``start`` (seconds allowed), in Swedish time."""
    local = start.astimezone(STOCKHOLM)
    write_schedule(
        folder,
        "fault-cup.toml",
        f"""
        [series]
        id = "fault-cup"
        name = "Fault Cup"
        season = {local.year}
        timezone = "Europe/Stockholm"

        [[events]]
        id = "r1"
        round = 1
        name = "Ring"
        circuit = "Ring"
        country = "SE"
        track_timezone = "Europe/Stockholm"
        first_day = {local.date().isoformat()}
        last_day = {local.date().isoformat()}

          [[events.sessions]]
          id = "race"
          name = "Race"
          kind = "race"
          start = {local.replace(tzinfo=None, microsecond=0).isoformat()}
          duration = 30
        """,
    )


def _lead(text: str) -> bool:
    return "startar om 1 min" in text


async def test_postgres_down_at_the_due_time_delays_the_reminder_not_loses_it(
    tmp_path: Path, postgres: PrivatePostgres
) -> None:
    chats = 50
    start = datetime.now(UTC) + timedelta(seconds=60 + 9)
    due = start - timedelta(minutes=1)
    _fault_cup(tmp_path / "schedules", start)
    log = tmp_path / "run.log"
    await prepare(postgres.url, chats, announce=False)
    async with fake_with_chats(chats) as fake:
        config = bot_config(
            tmp_path,
            fake,
            postgres.url,
            schedules=tmp_path / "schedules",
            reminders="[reminders]\nleads = [1]\ngrace = 1\n\n",
        )
        async with running(config, log):
            # the preview (due yesterday, valid until the start) proves the bot is up
            await wait_for(
                lambda: received(fake, chats, lambda t: "Fault Cup" in t) == chats,
                20,
                "the preview",
                log,
            )
            await asyncio.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds() - 1.0))
            await postgres.stop()
            down_at = datetime.now(UTC)
            assert down_at < due, "the bot started too slowly for this test"
            await asyncio.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds() + 3.0))
            assert received(fake, chats, _lead) == 0  # nothing could be queued
            await postgres.start()
            await wait_for(lambda: received(fake, chats, _lead) == chats, 30, "the lead", log)
            await asyncio.sleep(0.5)  # anything else in flight would land now
        result = tally(fake, chats, _lead)
    print(f"FIGURES postgres-down-at-due-time {result}")
    assert result == Tally(chats, chats, 0, 0)
    assert log_lines(log, "database unavailable") == 1
    assert log_lines(log, "database back") == 1
    assert log_lines(log, "Traceback") == 0


async def test_postgres_down_mid_fan_out_sends_each_chat_once(
    tmp_path: Path, postgres: PrivatePostgres
) -> None:
    chats = 300
    log = tmp_path / "run.log"
    await prepare(postgres.url, chats)
    async with fake_with_chats(chats) as fake:
        config = bot_config(tmp_path, fake, postgres.url, rate=100)
        async with running(config, log):
            await wait_for(lambda: received(fake, chats) >= 100, 30, "the fan-out to begin", log)
            await postgres.stop()
            at_stop = received(fake, chats)
            await asyncio.sleep(3.0)
            during = received(fake, chats)
            await postgres.start()
            await wait_for(lambda: received(fake, chats) == chats, 30, "every chat", log)
            await asyncio.sleep(1.0)
        result = tally(fake, chats, _announced)
    print(f"FIGURES postgres-down-mid-fan-out {result} at_stop={at_stop} during={during}")
    assert at_stop < chats, "the fan-out finished before the stop; slow it down"
    # no send starts while one is unrecorded: only those already out went on
    assert during - at_stop <= CONCURRENCY
    assert result == Tally(chats, chats, 0, 0)
    assert await counts(postgres.url) == {SENT: chats}
    assert log_lines(log, "database unavailable") == 1
    assert log_lines(log, "database back") == 1


async def test_a_crash_during_an_outage_repeats_only_the_unrecorded_sends(
    tmp_path: Path, postgres: PrivatePostgres
) -> None:
    """kill -9 while PostgreSQL is away: the sends kept in memory are lost with the
    process, so the restart sends exactly those again; never more than CONCURRENCY."""
    chats = 300
    log = tmp_path / "run.log"
    await prepare(postgres.url, chats)
    async with fake_with_chats(chats) as fake:
        config = bot_config(tmp_path, fake, postgres.url, rate=100)
        first = await start_bot(config, log)
        try:
            await wait_for(lambda: received(fake, chats) >= 100, 30, "the fan-out to begin", log)
            await postgres.stop()
            await asyncio.sleep(1.0)  # the sends already out finish; their marks wait
            at_kill = received(fake, chats)
            first.kill()
            await first.wait()
        finally:
            await stop_bot(first)
        await postgres.start()
        recorded = (await expire_leases(postgres.url)).get(SENT, 0)
        async with running(config, log):
            await wait_for(lambda: received(fake, chats) == chats, 30, "every chat", log)
            await asyncio.sleep(1.0)
        result = tally(fake, chats, _announced)
    unrecorded = at_kill - recorded
    print(f"FIGURES crash-during-outage {result} at_kill={at_kill} unrecorded={unrecorded}")
    assert result.lost == 0
    assert result.duplicated == unrecorded  # exactly the sends the database never heard of
    assert unrecorded <= CONCURRENCY
    assert await counts(postgres.url) == {SENT: chats}


# -- SQLite on a full filesystem ----------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MB tmpfs the test can fill (needs root and mount)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem: {done.stderr.strip() or done.returncode}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path) -> Path:
    """Write until the filesystem refuses (ENOSPC), to the last 4 KB; returns the file."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as out:
        for size in (256 * 1024, 4096):
            error: OSError | None = None
            while error is None:
                try:
                    out.write(b"\0" * size)
                except OSError as exc:
                    error = exc
            if error.errno != errno.ENOSPC:
                raise error
    return filler


async def healthz(port: int) -> tuple[int, dict[str, object]]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}/healthz") as response,
    ):
        return response.status, await response.json()


async def test_sqlite_on_a_full_disk_pauses_then_finishes_once_space_returns(
    tmp_path: Path, small_disk: Path
) -> None:
    chats = 300
    url = f"sqlite:///{small_disk}/racebot.db"
    log = tmp_path / "run.log"
    port = free_port()
    await prepare(url, chats)
    async with fake_with_chats(chats) as fake:
        config = bot_config(tmp_path, fake, url, rate=100, web_port=port)
        async with running(config, log):
            await wait_for(lambda: received(fake, chats) >= 60, 30, "the fan-out to begin", log)
            filler = fill(small_disk)
            at_fill = received(fake, chats)
            await asyncio.sleep(2.0)
            status, body = await healthz(port)
            during = received(fake, chats)
            os.unlink(filler)
            await wait_for(lambda: received(fake, chats) == chats, 30, "every chat", log)
            await asyncio.sleep(1.0)
            after, _ = await healthz(port)
        result = tally(fake, chats, _announced)
    print(f"FIGURES sqlite-full-disk {result} at_fill={at_fill} during={during} {body}")
    assert status == 503
    assert body["status"] == "degraded"
    assert "full" in str(body["reason"])
    assert after == 200
    assert during < chats  # it did stop for the full disk
    assert result == Tally(chats, chats, 0, 0)
    assert await counts(url) == {SENT: chats}
    assert log_lines(log, "database unavailable") == 1
    assert log_lines(log, "database back") == 1
    assert len(log.read_text(errors="replace").splitlines()) < 40  # no log flood


# -- a slow Bot API, and floods of 429 ----------------------------------------------------


async def test_answers_slower_than_five_seconds_are_not_taken_for_lost(tmp_path: Path) -> None:
    chats = 10
    url = f"sqlite:///{tmp_path}/racebot.db"
    log = tmp_path / "run.log"
    await prepare(url, chats)
    async with fake_with_chats(chats) as fake:
        fake.answer_late(6.5)  # PTB's default read timeout was 5 s
        async with running(bot_config(tmp_path, fake, url), log):
            await wait_for(lambda: received(fake, chats) == chats, 20, "every chat", log)
            await wait_for(lambda: fake.stats.status[200] >= chats + 1, 20, "the slow answers", log)
            await asyncio.sleep(1.0)
        result = tally(fake, chats, _announced)
    print(f"FIGURES slow-answers {result}")
    assert result == Tally(chats, chats, 0, 0)
    assert await counts(url) == {SENT: chats}


async def test_bursts_of_429_are_waited_out_and_send_each_chat_once(tmp_path: Path) -> None:
    chats = 100
    url = f"sqlite:///{tmp_path}/racebot.db"
    log = tmp_path / "run.log"
    await prepare(url, chats)
    async with fake_with_chats(chats, global_rate=30.0, per_chat_interval=1.0) as fake:
        fake.flood_burst(40, retry_after=1)
        async with running(bot_config(tmp_path, fake, url, rate=40), log):
            await wait_for(lambda: received(fake, chats) >= 50, 30, "half the chats", log)
            fake.flood_burst(40, retry_after=2)
            await wait_for(lambda: received(fake, chats) == chats, 30, "every chat", log)
            await asyncio.sleep(0.5)
        result = tally(fake, chats, _announced)
        refused = fake.stats.status[429]
    print(f"FIGURES 429-bursts {result} refused={refused}")
    assert refused >= 80
    assert result == Tally(chats, chats, 0, 0)
    assert await counts(url) == {SENT: chats}
    assert log_lines(log, "Traceback") == 0
