"""The console platform: posts are printed, commands are typed lines, no account needed.

It is also the smallest complete adapter, the example to copy for a new platform: it
implements ``bot.platforms.base.Adapter`` (``start``/``stop`` for the inbound side,
``send``/``edit`` for posts), is built as ``ConsoleAdapter(config, clock)`` and has one
line in ``bot.platforms.registry``. Inbound it only parses text into a command name and
arguments for the shared ``Commands`` and returns the ``Reply``; the rules live there.
"""

from __future__ import annotations

import dataclasses
import itertools
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from bot.config import Config
from bot.core.audience import Target
from bot.core.clock import Clock
from bot.core.markup import Post, plain_text
from bot.core.texts import texts
from bot.core.timeutil import short_day
from bot.platforms.registry import platform
from bot.service.commands import split_command
from bot.service.types import Caller, Reply

if TYPE_CHECKING:
    from bot.service.commands import Commands

NAME = "console"


class ConsoleAdapter:
    """Prints each post with a header naming the chat it would go to."""

    name = NAME

    def __init__(
        self, config: Config | None = None, clock: Clock | None = None, *, out: TextIO | None = None
    ) -> None:
        self.limits = platform(NAME).limits(config or Config())
        self.out = out or sys.stdout
        self.clock = clock
        self._ids = itertools.count(1)
        self.posts: list[tuple[str, Post]] = []
        self.commands: Commands | None = None

    # -- inbound ---------------------------------------------------------------------------

    async def start(self, commands: Commands) -> None:
        """Nothing to connect: typed lines arrive through ``command``."""
        self.commands = commands

    async def stop(self) -> None:
        self.commands = None

    def caller(self, user_id: str, user_name: str, *, language: str = "sv") -> Caller:
        """Someone at this terminal: staff, since they run the bot themselves."""
        return Caller(NAME, NAME, user_id, user_name, is_staff=True, language=language)

    async def command(self, caller: Caller, line: str) -> Reply:
        """One typed ``/name arguments`` line, parsed once and handed to the service; like
        Telegram, the chat's own language (``/settings language en``) wins over the caller's."""
        if self.commands is None:
            raise RuntimeError("console adapter is not started")
        current = await self.commands.chat_settings(NAME, caller.chat_id)
        if current is not None:
            caller = dataclasses.replace(caller, language=current.language)
        typed = split_command(line if line.lstrip().startswith("/") else f"/{line.strip()}")
        if typed is None:
            return await self.commands.handle(caller, "", "")
        return await self.commands.handle(caller, typed.name, typed.args)

    async def shown(self, caller: Caller, reply: Reply) -> str:
        """A reply as the chat reads it: its times in the chat's zone (``/settings tz``)."""
        if self.commands is None:
            raise RuntimeError("console adapter is not started")
        return plain_text(reply.post, await self.commands.reader_zone(NAME, caller.chat_id))

    # -- outbound (Sender) -----------------------------------------------------------------

    async def send(self, target: Target, post: Post, *, key: str = "") -> list[str]:
        message_id = str(next(self._ids))
        self.posts.append((target.chat_id, post))
        self._print(f"── {target.title or target.chat_id} · #{message_id}", post, target)
        return [message_id]

    async def edit(self, target: Target, message_ids: list[str], post: Post) -> list[str]:
        self.posts.append((target.chat_id, post))
        marker = texts(target.language).render.updated
        header = f"── {target.title or target.chat_id} · #{message_ids[0]} · {marker}"
        self._print(header, post, target)
        return message_ids

    def _print(self, header: str, post: Post, target: Target) -> None:
        if self.clock is not None:
            now = self.clock.now().astimezone(target.tz)
            header = f"{header} · [{short_day(now.date(), target.language)} {now:%H:%M}]"
        self.out.write(f"{header}\n{plain_text(post, target.tz)}\n\n")
        self.out.flush()


def console_of(adapters: Iterable[object]) -> ConsoleAdapter:
    """The console among a started app's adapters: typed lines go in through it."""
    for adapter in adapters:
        if isinstance(adapter, ConsoleAdapter):
            return adapter
    raise RuntimeError("the console platform is not on (a platform token is set)")


#: The name this class had while it only printed; kept for callers that send only.
ConsoleSender = ConsoleAdapter
