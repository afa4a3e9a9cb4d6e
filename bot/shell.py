"""`racebot shell`: a local chat on the terminal, one line = one message from you.

You are both fan and staff. Commands go through the same core as Telegram and Discord;
replies and posts are printed. Works typed or piped (`printf '/next\\n' | racebot shell`).

Safe by default: the shell works on a scratch database of its own (discarded at exit) and
never connects to Telegram or Discord, so a /cancel or /announce tried here reaches no fan
and no public feed. Acting on a real database takes an explicit ``--database URL``; what
is published there is delivered by the next ``racebot run`` on that database.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from bot.app import App
from bot.config import Config, DiscordConfig, StorageConfig, TelegramConfig, WebConfig
from bot.core.clock import SystemClock, VirtualClock, require_utc
from bot.core.errors import UserError
from bot.platforms.console import console_of
from bot.startup import safe_url
from bot.timers import ClockTimer

HELP = (
    "Skriv /help för kommandon, /quit för att avsluta. Ett meddelande på flera rader: "
    "avsluta första raden med << och sista med en rad med bara en punkt.\n"
    "(Type /help; /quit to leave. Multi-line message: end the first line with << and "
    "finish with a line holding a single dot.)"
)


AT_HINT = (
    "give a date, a time and a UTC offset, e.g. --at 2020-11-07T10:00:00+01:00 "
    "(Swedish winter time) or --at 2020-11-07T09:00:00Z (UTC)"
)


def parse_start(text: str) -> datetime:
    """``--at``: an ISO 8601 instant with an offset; a bare date or time is refused, not guessed."""
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise UserError(f"--at {text}: not an ISO 8601 date and time", AT_HINT) from exc
    if parsed.utcoffset() is None:
        raise UserError(f"--at {text}: no UTC offset, and racebot does not guess the zone", AT_HINT)
    return require_utc(parsed)


async def run_shell(config: Config, start: str | None = None, database: str | None = None) -> None:
    if database is not None:
        print(
            f"shell: on the database {safe_url(database)}: what you publish here is sent to "
            "its subscribers by the next racebot run",
            file=sys.stderr,
        )
        await _run_shell(config, start, database, scratch=False)
        return
    with tempfile.TemporaryDirectory(prefix="racebot-shell-") as scratch:
        print(
            "shell: on a scratch database, discarded at exit "
            "(racebot shell --database URL acts on a real one)",
            file=sys.stderr,
        )
        await _run_shell(config, start, f"sqlite:///{Path(scratch) / 'shell.db'}", scratch=True)


async def _run_shell(config: Config, start: str | None, database: str, *, scratch: bool) -> None:
    # ``is not None``: an empty --at "" is refused like any other bad time, not ignored.
    clock: VirtualClock | SystemClock = (
        VirtualClock(parse_start(start)) if start is not None else SystemClock()
    )
    local = config.model_copy(  # no port clash with run, no platform: posts are printed
        update={
            "web": WebConfig(enabled=False),
            "storage": StorageConfig(url=database),
            "telegram": TelegramConfig(),
            "discord": DiscordConfig(),
        }
    )
    # On the scratch database the console is the one subscriber: you see what fans would.
    app = App(local, clock=clock, timer=ClockTimer(clock), console_target=scratch)
    await app.start()
    console = console_of(app.adapters)
    me = console.caller("local", "du", language=config.bot.language)
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
            reply = await console.command(me, text)
            print(await console.shown(me, reply))
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
