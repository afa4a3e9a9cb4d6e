"""Command answers from the real `racebot run` at Telegram's limits: a /start burst, a
group's window, and an answer in the middle of a big fan-out.

Runs the real process (``python -m bot.cli run``) against the in-process fake Bot API with
its default limits (30/s overall, 1/s per private chat, 20/min per group; 429 with the time
until the window has room). Reports, per scenario: fans, answered, lost, duplicated, 429s,
and answer latency (from the moment the update was queued in the fake to the answer's
acceptance there, which includes the bot's long-poll pickup).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench._common import machine_note, percentile, table, today, update_section
from bot.core.markup import Post
from bot.store.store import NotificationData, Store
from tests.fakes.fake_telegram import FakeTelegram
from tests.helpers import SCHEDULES, bulk_subscribe
from tests.process import Racebot, write_config

FIRST = 50_000
HEADING = "Command answers (send path)"


def _config(tmp: Path, fake: FakeTelegram) -> Path:
    return write_config(
        tmp,
        f'[bot]\nschedules = "{SCHEDULES}"\n\n[storage]\nurl = "sqlite:///{tmp}/racebot.db"\n\n'
        f'[web]\nenabled = false\n\n[telegram]\ntoken = "{fake.token}"\n'
        f'base_url = "{fake.url}/bot"\n',
    )


def _answers(fake: FakeTelegram, chat: int, needle: str) -> list[float]:
    return [m.at for m in fake.messages.get(chat, []) if needle in (m.text or "")]


async def _polling(bot: Racebot, fake: FakeTelegram) -> None:
    await bot.wait_for(lambda: fake.stats.requests["getUpdates"] >= 1, 30, "the first poll")


def _row(name: str, tried: int, counts: list[int], lat: list[float], f: FakeTelegram) -> list[str]:
    lost = sum(1 for n in counts if n == 0)
    duplicated = sum(n - 1 for n in counts if n > 1)
    return [
        name,
        str(tried),
        str(tried - lost),
        str(lost),
        str(duplicated),
        str(f.stats.flood_429s),
        f"{percentile(lat, 50):.2f}",
        f"{percentile(lat, 99):.2f}",
        f"{max(lat):.2f}" if lat else "-",
    ]


async def start_burst(fans: int) -> list[str]:
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        async with FakeTelegram() as fake:
            for i in range(fans):
                fake.add_private_chat(FIRST + i, f"Fan {i}")
            async with Racebot(tmp, "run", "--config", str(_config(tmp, fake))) as bot:
                await _polling(bot, fake)
                pushed = asyncio.get_running_loop().time()
                for i in range(fans):
                    fake.push_message(FIRST + i, FIRST + i, "/start")
                await bot.wait_for(
                    lambda: all(_answers(fake, FIRST + i, "Välkommen") for i in range(fans)),
                    fans / 10 + 30,
                    "every welcome",
                )
                await asyncio.sleep(1.5)
            counts = [len(_answers(fake, FIRST + i, "Välkommen")) for i in range(fans)]
            lat = [a[0] - pushed for i in range(fans) if (a := _answers(fake, FIRST + i, "Välk"))]
            return _row(f"{fans} × /start within one poll", fans, counts, lat, fake)


async def answers_in_fan_out(subscribers: int, questions: int) -> list[str]:
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        asker = 9_999
        async with FakeTelegram() as fake:
            for i in range(subscribers):
                fake.add_private_chat(FIRST + i, f"Fan {i}")
            fake.add_private_chat(asker, "Frågvis")
            now = datetime.now(UTC)
            store = await Store.open(f"sqlite:///{tmp}/racebot.db")
            try:
                await bulk_subscribe(
                    store, "telegram", [str(FIRST + i) for i in range(subscribers)], now
                )
                note = NotificationData(
                    key="announce/bench",
                    kind="announce",
                    due=now,
                    expires=now + timedelta(days=1),
                    posts={"sv": Post(title="Stort utskick").to_json()},
                )
                await store.enqueue(note, await store.targets(), now)
            finally:
                await store.close()
            loop = asyncio.get_running_loop()
            lat: list[float] = []
            async with Racebot(tmp, "run", "--config", str(_config(tmp, fake))) as bot:
                await bot.wait_for(
                    lambda: (
                        sum(bool(fake.messages.get(FIRST + i)) for i in range(subscribers)) >= 30
                    ),
                    30,
                    "the fan-out",
                )
                for _ in range(questions):
                    before = len(fake.messages.get(asker, []))
                    asked = loop.time()
                    fake.push_message(asker, asker, "/next")
                    await bot.wait_for(
                        lambda b=before: len(fake.messages.get(asker, [])) > b, 10, "answer"
                    )
                    lat.append(fake.messages[asker][-1].at - asked)
                    await asyncio.sleep(1.05)
            total = len(fake.messages.get(asker, []))  # one answer per question, else extra
            counts = [1] * (questions - 1) + [1 + total - questions]
            return _row(
                f"/next during a fan-out to {subscribers} chats", questions, counts, lat, fake
            )


async def run(fans: int, subscribers: int, questions: int) -> str:
    rows = [await start_burst(fans), await answers_in_fan_out(subscribers, questions)]
    headers = ["scenario", "tried", "answered", "lost", "duplicated", "429s", "p50 s", "p99 s"]
    headers.append("max s")
    return (
        f"{today()}; {machine_note().split(' (')[0]}. The real `racebot run` process against "
        "the fake Bot API (in the bench process) at its default limits; latency is from the "
        "update being queued to the answer "
        "being accepted. The budget is 29/s, so a burst of N answers needs ~N/29 s.\n\n"
        + table(headers, rows)
        + "\n\nBefore the one send path (issue #11, answers sent straight to the Bot API): "
        "the same 300 × /start drew 125–185 × 429 and 120–180 fans never got a welcome."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fans", type=int, default=300)
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--questions", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    body = asyncio.run(run(args.fans, args.subscribers, args.questions))
    print(body)
    if not args.no_write:
        update_section(HEADING, body)


if __name__ == "__main__":
    main()
