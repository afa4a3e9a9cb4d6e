"""The embedded default platform: posts are printed, so the bot runs with no accounts."""

from __future__ import annotations

import itertools
import sys
from typing import TextIO

from bot.core.audience import Target
from bot.core.clock import Clock
from bot.core.markup import Post, plain_text
from bot.core.timeutil import SWEDISH_TIME, short_day
from bot.platforms.base import Limits


class ConsoleSender:
    """Prints each post with a header naming the chat it would go to."""

    name = "console"
    limits = Limits(global_per_second=1000.0, concurrency=1)

    def __init__(self, out: TextIO | None = None, clock: Clock | None = None) -> None:
        self.out = out or sys.stdout
        self.clock = clock
        self._ids = itertools.count(1)
        self.posts: list[tuple[str, Post]] = []

    async def send(self, target: Target, post: Post, *, key: str = "") -> list[str]:
        message_id = str(next(self._ids))
        self.posts.append((target.chat_id, post))
        self._print(f"── {target.title or target.chat_id} · #{message_id}", post, target)
        return [message_id]

    async def edit(self, target: Target, message_ids: list[str], post: Post) -> list[str]:
        self.posts.append((target.chat_id, post))
        header = f"── {target.title or target.chat_id} · #{message_ids[0]} (uppdaterad)"
        self._print(header, post, target)
        return message_ids

    def _print(self, header: str, post: Post, target: Target) -> None:
        if self.clock is not None:
            now = self.clock.now().astimezone(SWEDISH_TIME)
            header = f"{header} · [{short_day(now.date(), 'sv')} {now:%H:%M}]"
        self.out.write(f"{header}\n{plain_text(post, target.tz)}\n\n")
        self.out.flush()
