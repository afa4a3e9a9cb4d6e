"""Fan-out with several ``racebot run`` processes on one PostgreSQL and one bot token.

Why: an operator who runs a second process for safety must not double the send rate (the
token draws 429s and risks a flood ban) nor poll twice (409 Conflict). With the lease
(``bot.leases``) one process sends and polls, the other stands by. This runs the real
processes (``python -m bot.cli run``) against one fake Telegram at its default limits
(30/s overall, 1/s per private chat, 429 with ``retry_after`` 5 s), each run on a
PostgreSQL of its own (initdb + pg_ctl, fsync off):

- one process (the reference);
- two processes, leases on (the default): one sends;
- two processes, leases off (``[storage] lease_seconds = 0``): each paces itself, as
  every process did before leases;
- two processes, the holder killed with ``kill -9`` after a third of the chats.

Rows are queued before the processes start, so *delivery* runs from the first send to the
last (not from a fire); *ideal* = chats / 30 (the fake's one-second window allows 30).

Run from the repo root:  .venv/bin/python -m bench.bench_fanout --processes 2 [--telegram N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench._common import machine_note, table, today, update_section
from tests.fakes.fake_telegram import FakeTelegram
from tests.helpers import SCHEDULES
from tests.process import PrivatePostgres, Racebot, subscribe_and_announce

FIRST = 800_000_000
RATE = 30.0  # the fake's (and Telegram's) overall limit per second
RETRY_AFTER = 5  # a realistic flood answer, not the fake's default 1 s


@dataclass
class Run:
    name: str
    chats: int
    seconds: float
    flood_429s: int
    conflicts: int
    lost: int
    duplicated: int
    note: str = ""

    @property
    def ideal(self) -> float:
        return self.chats / RATE


def _config(folder: Path, fake: FakeTelegram, url: str, lease: float | None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bot.toml"
    lease_line = "" if lease is None else f"lease_seconds = {lease}\n"
    path.write_text(
        f'[bot]\nschedules = "{SCHEDULES}"\n\n[storage]\nurl = "{url}"\n{lease_line}\n'
        "[web]\nenabled = false\n\n"
        f'[telegram]\ntoken = "{fake.token}"\nbase_url = "{fake.url}/bot"\n',
        encoding="utf-8",
    )
    return path


async def one_run(name: str, chats: int, processes: int, *, lease: bool, kill: bool) -> Run:
    server = PrivatePostgres()
    await server.init()
    folder = Path(tempfile.mkdtemp(prefix="racebot-bench-procs-"))
    try:
        async with FakeTelegram(retry_after=RETRY_AFTER) as fake:
            ids = [FIRST + i for i in range(chats)]
            for chat in ids:
                fake.add_private_chat(chat, f"Fan {chat}")
            await subscribe_and_announce(server.url, [str(c) for c in ids], "bench/procs", name)
            bots = [
                Racebot(
                    folder / f"p{i}",
                    "run",
                    "--config",
                    str(_config(folder / f"p{i}", fake, server.url, None if lease else 0)),
                )
                for i in range(processes)
            ]
            for bot in bots:
                await bot.start()

            def got() -> list[int]:
                return [len(fake.messages.get(chat, [])) for chat in ids]

            loop = asyncio.get_running_loop()
            limit = loop.time() + chats / RATE * 4 + 60
            note = ""
            killed = False
            while sum(1 for n in got() if n) < chats and loop.time() < limit:
                if kill and not killed and sum(1 for n in got() if n) >= chats // 3:
                    holder = next(b for b in bots if "acquired by" in b.text())
                    assert holder.proc is not None
                    os.kill(holder.proc.pid, signal.SIGKILL)
                    await holder.proc.wait()
                    killed, at = True, loop.time()
                    other = next(b for b in bots if b is not holder)
                    await other.wait_log("acquired by", 60)
                    note = f"take-over {loop.time() - at:.1f} s after the kill"
                await asyncio.sleep(0.01)
            await asyncio.sleep(2.0)  # what is still in flight lands now
            conflicts = fake.stats.status[409]  # before the stops' own last polls
            for bot in bots:
                await bot.stop()
            times = sorted(t for chat in ids for t in fake.stats.send_times.get(chat, []))
            counts = got()
            return Run(
                name=name,
                chats=chats,
                seconds=(times[-1] - times[0]) if times else 0.0,
                flood_429s=fake.stats.flood_429s,
                conflicts=conflicts,
                lost=sum(1 for n in counts if n == 0),
                duplicated=sum(n - 1 for n in counts if n > 1),
                note=note,
            )
    finally:
        await server.destroy()


def render(runs: list[Run]) -> str:
    reference = runs[0].seconds or 1.0
    rows = [
        [
            r.name,
            str(r.chats),
            f"{r.seconds:.2f}",
            f"{r.ideal:.2f}",
            f"{r.seconds / r.ideal:.3f}",
            f"{r.seconds / reference:.2f}",
            str(r.flood_429s),
            str(r.conflicts),
            str(r.lost),
            str(r.duplicated),
            r.note,
        ]
        for r in runs
    ]
    headers = ["run", "chats", "delivery s", "ideal s", "ratio", "vs 1 process"]
    headers += ["429s", "409s", "lost", "dup", "note"]
    return table(headers, rows)


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


async def main_async(args: argparse.Namespace) -> None:
    chats = args.telegram
    processes = max(2, args.processes)
    load_before = _load()
    plan = [
        ("1 process", 1, True, False),
        (f"{processes} processes, leases on", processes, True, False),
        (f"{processes} processes, leases off", processes, False, False),
        (f"{processes} processes, holder kill -9", processes, True, True),
    ]
    runs = []
    for name, count, lease, kill in plan:
        print(f"{name}: {chats} private chats …", flush=True)
        runs.append(await one_run(name, chats, count, lease=lease, kill=kill))
    text = render(runs)
    print()
    print(text)
    if args.no_write:
        return
    machine = machine_note().split(" (")[0]
    body = f"""Taken {today()} on {machine}, one event loop per racebot process; load average
{load_before} before the runs (the machine is shared with other work, so figures move by a
few per cent between runs).

Reproduce: `.venv/bin/python -m bench.bench_fanout --processes {processes} --telegram {chats}`.

One announcement to every chat, queued before the real `racebot run` processes start, each
run on a PostgreSQL of its own, against one fake Telegram at its default limits (30/s
overall, 1/s per private chat; a 429 says retry after {RETRY_AFTER} s). *Delivery* is first
send to last; *ideal* = chats / 30; *vs 1 process* = delivery over the one-process run;
*409s* are getUpdates conflicts while the processes ran. Duplicates after a kill are
bounded by the sends the dead holder had in flight or sent but not recorded (at most
`Limits.concurrency`, 32 for Telegram).

{text}

Reading it: with leases on, the second process adds no capacity (one token has one budget)
and costs none; it only stands by. With leases off each process paces itself to 29/s, so
together they exceed the token's 30/s: the 429s (each a 5 s hold on that chat, and on
Telegram a risk to the token) and the 409s of two pollers. After `kill -9` of the holder
sending pauses for the take-over (the lease's 8 s, `[storage] lease_seconds`), which the
ratio shows; the new holder hands back the dead one's claimed rows at once, so nothing
waits for the 30 s row leases. A second process is for failover, not for throughput; past
one token's rate use a channel, groups or paid broadcasts.
"""
    update_section("Fan-out across processes", body)
    print("\nwrote the 'Fan-out across processes' section of bench/RESULTS.md")
