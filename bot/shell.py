"""`racebot shell`: a local chat on the terminal, one line = one message from you.

You are both fan and staff. Commands go through the same core as Telegram and Discord;
replies and posts are printed. Works typed or piped (`printf '/next\\n' | racebot shell`).
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime

from bot.app import App
from bot.config import Config, WebConfig
from bot.core.clock import SystemClock, VirtualClock, require_utc
from bot.core.errors import UserError
from bot.core.markup import plain_text
from bot.service.types import Caller
from bot.timers import ClockTimer

HELP = (
    "Skriv /help för kommandon, /quit för att avsluta. Ett meddelande på flera rader: "
    "avsluta första raden med << och sista med en rad med bara en punkt.\n"
    "(Type /help; /quit to leave. Multi-line message: end the first line with << and "
    "finish with a line holding a single dot.)"
)


async def run_shell(config: Config, start: str | None = None) -> None:
    clock: VirtualClock | SystemClock
    if start:
        try:
            clock = VirtualClock(require_utc(datetime.fromisoformat(start)))
        except ValueError as exc:
            raise UserError(
                f"--at {start!r}: {exc}", "write e.g. 2020-11-07T10:00:00+01:00"
            ) from exc
    else:
        clock = SystemClock()
    local = config.model_copy(update={"web": WebConfig(enabled=False)})  # no port clash with run
    app = App(local, clock=clock, timer=ClockTimer(clock), console_target=False)
    await app.start()
    me = Caller("console", "console", "local", "du", is_staff=True, language=config.bot.language)
    interactive = sys.stdin.isatty()
    print(HELP)
    try:
        while True:
            if interactive:
                print("> ", end="", flush=True)
            text = await asyncio.to_thread(sys.stdin.readline)
            if not text:
                break
            text = text.strip()
            if not text:
                continue
            if text in ("/quit", "/exit"):
                break
            if not text.startswith("/"):
                print("Kommandon börjar med / — " + HELP)
                continue
            if text.endswith("<<"):
                text = text[:-2].rstrip() + " " + await _read_block()
            name, _, args = text[1:].partition(" ")
            reply = await app.commands.handle(me, name, args)
            print(plain_text(reply.post))
            if reply.confirm:
                print(
                    f"(/publish för att publicera, /abort för att avbryta — utkast {reply.confirm})"
                )
            print()
            await app.settle()
    finally:
        await app.settle()
        await app.stop()


async def _read_block() -> str:
    """The lines of a multi-line message, up to a line holding a single dot."""
    lines: list[str] = []
    while True:
        raw = await asyncio.to_thread(sys.stdin.readline)
        if not raw or raw.strip() == ".":
            return "\n".join(lines)
        lines.append(raw.rstrip("\n"))
