"""`racebot demo`: the Jarama 2020 season finale replayed on a fast virtual clock.

A newcomer sees the preview, every reminder, each "LIVE NU" with links and a staff
delay's change notice, in under a minute, with no accounts and a throwaway database.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bot.app import App
from bot.config import BotConfig, Config, StorageConfig, WebConfig
from bot.core.clock import VirtualClock
from bot.core.markup import plain_text
from bot.platforms.console import ConsoleAdapter, console_of
from bot.service.types import Caller
from bot.timers import ClockTimer

SCHEDULES = Path(__file__).resolve().parent.parent / "schedules"
START = datetime(2020, 11, 5, 16, 55, tzinfo=UTC)  # Thursday evening before the weekend
END = datetime(2020, 11, 7, 14, 0, tzinfo=UTC)  # after Race 2
DELAY_AT = datetime(2020, 11, 7, 12, 30, tzinfo=UTC)  # staff push Race 2 back 10 minutes


async def run_demo(speed: float = 0.15, schedules: Path = SCHEDULES) -> None:
    with tempfile.TemporaryDirectory() as folder:
        config = Config(
            bot=BotConfig(schedules=schedules),
            storage=StorageConfig(url=f"sqlite:///{folder}/demo.db"),
            web=WebConfig(enabled=False),
        )
        clock = VirtualClock(START)
        app = App(config, clock=clock, timer=ClockTimer(clock), idle_poll=3600)
        print("racebot demo: TCR Europe 2020, deltävling 6, Jarama — virtuell klocka\n")
        await app.start()
        console = console_of(app.adapters)
        staff = console.caller("demo-staff", "Teamet")
        delayed = False
        try:
            while True:
                await app.settle()
                deadline = clock.next_deadline()
                if not delayed and (deadline is None or deadline >= DELAY_AT):
                    await clock.advance_to(DELAY_AT)
                    await _staff_delay(app, console, staff)
                    delayed = True
                    continue
                if deadline is None or deadline > END:
                    break
                await clock.advance_to(deadline)
                await app.settle()
                await asyncio.sleep(speed)
        finally:
            await app.stop()
        print("Slut på demon. Kör `racebot shell` för att prata med boten själv.")


async def _staff_delay(app: App, console: ConsoleAdapter, staff: Caller) -> None:
    print(">>> Teamet skriver: /delay race2 10\n")
    draft = await console.command(staff, "/delay race2 10")
    print(plain_text(draft.post, app.engine.home), "\n")
    print(">>> Teamet trycker Publicera\n")
    done = await console.command(staff, f"/publish {draft.confirm or ''}")
    print(plain_text(done.post, app.engine.home), "\n")
    await app.settle()


def main() -> None:  # pragma: no cover - convenience entry
    asyncio.run(run_demo(speed=float(sys.argv[1]) if len(sys.argv) > 1 else 0.15))
