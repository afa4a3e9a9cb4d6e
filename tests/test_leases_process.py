"""Two real ``racebot run`` processes on one PostgreSQL of the test's own and one fake
Telegram: one of them holds the token's lease, polls and sends; the other stands by and
takes over when the first is killed.

The fake enforces a global rate (100/s here, both processes configured for 90/s): two
processes each pacing themselves would draw 429s; one sender draws none. The fake also
answers a second concurrent getUpdates with 409 Conflict, like Telegram.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import urllib.request
from pathlib import Path

import pytest

from bot.store.store import Store
from tests.fakes.fake_discord import FakeDiscord
from tests.fakes.fake_telegram import FakeTelegram
from tests.helpers import SCHEDULES
from tests.process import PrivatePostgres, Racebot, free_port, subscribe_and_announce

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

FANS = 600
FIRST = 70_000
KEY = "announce/two-processes"
RATE = 90  # each process's configured global rate; the fake allows 100/s
FAN = 69_999  # a fan who talks to the bot after the take-over
#: What the killed holder can have had in flight or sent but not yet recorded
#: (``Limits.concurrency``, Telegram's default): the bound on what is sent twice.
IN_FLIGHT = 32


def _config(folder: Path, fake: FakeTelegram, url: str, port: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bot.toml"
    path.write_text(
        f'[bot]\nschedules = "{SCHEDULES}"\n\n[storage]\nurl = "{url}"\n\n'
        f'[web]\nenabled = true\nhost = "127.0.0.1"\nport = {port}\n\n'
        f'[telegram]\ntoken = "{fake.token}"\nbase_url = "{fake.url}/bot"\n'
        f"global_rate = {RATE}\nper_chat_interval = 0\ngroup_interval = 0\n",
        encoding="utf-8",
    )
    return path


def _per_chat(fake: FakeTelegram) -> list[int]:
    return [len(fake.messages.get(FIRST + i, [])) for i in range(FANS)]


def _received(fake: FakeTelegram) -> int:
    return sum(1 for n in _per_chat(fake) if n)


def _get(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
        return str(response.read().decode())


async def _healthz(port: int) -> dict[str, object]:
    body: dict[str, object] = json.loads(await asyncio.to_thread(_get, port, "/healthz"))
    return body


async def _two(
    tmp_path: Path, fake: FakeTelegram, url: str
) -> tuple[tuple[Racebot, int], tuple[Racebot, int]]:
    bots = []
    for name in ("a", "b"):
        port = free_port()
        config = _config(tmp_path / name, fake, url, port)
        bots.append((Racebot(tmp_path / name, "run", "--config", str(config)), port))
    return bots[0], bots[1]


def _fake() -> FakeTelegram:
    return FakeTelegram(global_rate=100.0, per_chat_interval=None, group_per_minute=None)


async def _announce(fake: FakeTelegram, url: str) -> None:
    for i in range(FANS):
        fake.add_private_chat(FIRST + i, f"Fan {i}")
    await subscribe_and_announce(
        url, [str(FIRST + i) for i in range(FANS)], KEY, "Två processer, en token"
    )


async def test_two_processes_share_one_budget_one_poller_and_send_each_chat_once(
    tmp_path: Path, postgres: PrivatePostgres
) -> None:
    async with _fake() as fake:
        await _announce(fake, postgres.url)
        (a, port_a), (b, port_b) = await _two(tmp_path, fake, postgres.url)
        async with a, b:
            await a.wait_for(lambda: _received(fake) >= 1, 60, "the first send")
            started = asyncio.get_running_loop().time()
            await a.wait_for(lambda: _received(fake) == FANS, 60, "every chat")
            took = asyncio.get_running_loop().time() - started
            await asyncio.sleep(1.0)  # a second sender would show itself now
            states = [(await _healthz(port))["leases"] for port in (port_a, port_b)]
            metrics = [await asyncio.to_thread(_get, port, "/metrics") for port in (port_a, port_b)]
            polls = fake.stats.requests["getUpdates"]
            await a.wait_for(  # the holder keeps polling (3 s long polls)
                lambda: fake.stats.requests["getUpdates"] > polls + 1, 10, "polls"
            )
            conflicts = fake.stats.status[409]
        assert sorted(json.dumps(s) for s in states) == [
            '{"telegram": "held"}',
            '{"telegram": "standby"}',
        ]
        held = 'racebot_lease_held{platform="telegram"} 1.0'
        standby = 'racebot_lease_held{platform="telegram"} 0.0'
        assert sorted((held in m, standby in m) for m in metrics) == [(False, True), (True, False)]
        assert _per_chat(fake) == [1] * FANS  # none lost, none twice
        assert fake.stats.flood_429s == 0
        # Never two long polls. (At its stop PTB makes one last getUpdates while its cut-off
        # poll is still held by the fake, as with one process; that 409 is not counted.)
        assert conflicts == 0
        # At least one process's throughput: the fan-out at its configured rate.
        print(f"{FANS} chats in {took:.2f} s (ideal {FANS / RATE:.2f} s)")
        assert took <= FANS / RATE * 1.25 + 1.0, took
        logs = a.text() + b.text()
        assert logs.count("acquired by") == 1
        assert logs.count("released by") == 1


async def test_kill_minus_nine_of_the_holder_hands_over_within_seconds(
    tmp_path: Path, postgres: PrivatePostgres
) -> None:
    async with _fake() as fake:
        fake.add_private_chat(FAN, "Anna")
        await _announce(fake, postgres.url)
        (a, _), (b, port_b) = await _two(tmp_path, fake, postgres.url)
        async with a:
            await a.wait_log("acquired by", 30)
            async with b:
                await b.wait_for(
                    lambda: (tmp_path / "b" / "racebot.log").exists() and "web: on at" in b.text(),
                    30,
                    "b to be up",
                )
                assert (await _healthz(port_b))["leases"] == {"telegram": "standby"}
                await b.wait_for(lambda: _received(fake) >= 150, 30, "the fan-out to begin")
                assert a.proc is not None
                os.kill(a.proc.pid, signal.SIGKILL)
                await a.proc.wait()
                killed = asyncio.get_running_loop().time()
                at_kill = _received(fake)
                assert at_kill < FANS, "the fan-out finished before the kill; slow it down"
                took_over = await b.wait_for(
                    lambda: "acquired by" in b.text(), 8 + 1 + 2, "b to take the lease"
                )
                await b.wait_for(lambda: _received(fake) == FANS, 60, "every chat")
                fake.push_message(FAN, FAN, "/start")  # polling resumed, in b
                await b.wait_for(
                    lambda: any("Välkommen" in t for t in fake.texts(FAN)), 15, "the welcome"
                )
                await asyncio.sleep(1.0)  # anything else in flight would land now
                assert (await _healthz(port_b))["leases"] == {"telegram": "held"}
                conflicts = fake.stats.status[409]
        waited = asyncio.get_running_loop().time() - killed
        per_chat = _per_chat(fake)
        assert min(per_chat) == 1  # none lost
        duplicates = sum(n - 1 for n in per_chat)
        print(f"take-over {took_over:.2f} s after the kill; {duplicates} sent twice")
        assert duplicates <= IN_FLIGHT, duplicates
        assert fake.stats.flood_429s == 0
        assert conflicts == 0  # the dead holder's last poll ended before b polled
        assert took_over <= 8 + 1 + 1, took_over  # the lease's ttl, one standby look
        assert waited < 60
        store = await Store.open(postgres.url)
        try:
            assert await store.delivery_counts(KEY) == {"sent": FANS}
        finally:
            await store.close()


def _gateways(fake: FakeDiscord) -> int:
    """Gateway sessions with a live connection right now."""
    return sum(1 for session in fake.gateway.sessions.values() if session.conn is not None)


async def test_one_discord_gateway_at_a_time_and_the_standby_connects_after_a_kill(
    tmp_path: Path, postgres: PrivatePostgres
) -> None:
    async with FakeDiscord() as fake:
        bots = []
        for name in ("a", "b"):
            folder = tmp_path / name
            folder.mkdir()
            config = folder / "bot.toml"
            config.write_text(
                f'[bot]\nschedules = "{SCHEDULES}"\n\n[storage]\nurl = "{postgres.url}"\n\n'
                "[web]\nenabled = false\n\n"
                f'[discord]\ntoken = "{fake.token}"\napi_base = "{fake.url}/api/v10"\n',
                encoding="utf-8",
            )
            bots.append(Racebot(folder, "run", "--config", str(config)))
        a, b = bots
        async with a:
            await a.wait_log("acquired by", 30)
            async with b:
                await b.wait_for(lambda: _gateways(fake) == 1, 30, "a's gateway")
                for _ in range(30):  # b runs, and stays off the gateway
                    await asyncio.sleep(0.1)
                    assert _gateways(fake) == 1
                assert "acquired by" not in b.text()
                first = set(fake.gateway.sessions)
                assert a.proc is not None
                os.kill(a.proc.pid, signal.SIGKILL)
                await a.proc.wait()
                took_over = await b.wait_for(
                    lambda: "acquired by" in b.text(), 8 + 1 + 2, "b to take the lease"
                )
                await b.wait_for(
                    lambda: any(
                        s.conn is not None
                        for key, s in fake.gateway.sessions.items()
                        if key not in first
                    ),
                    15,
                    "b's own gateway session",
                )
                assert _gateways(fake) == 1  # a's is gone
        assert took_over <= 8 + 1 + 1, took_over
