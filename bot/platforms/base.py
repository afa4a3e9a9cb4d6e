"""What every chat platform adapter provides to the core, and how it reports failures.

Adapters translate their library's exceptions into these four outcomes so the delivery
worker can treat Telegram, Discord and the console the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from bot.core.audience import Target
from bot.core.markup import Post

if TYPE_CHECKING:
    from bot.service.commands import Commands


class DeliveryError(Exception):
    """Base for a send that did not go through."""


class RetryLater(DeliveryError):
    """Rate limited (429): try again after ``seconds``, not before."""

    def __init__(self, seconds: float, message: str = "rate limited") -> None:
        super().__init__(message)
        self.seconds = seconds


class TransientFailure(DeliveryError):
    """5xx, timeout, connection reset: retry with backoff."""


class TargetGone(DeliveryError):
    """Blocked, kicked, channel deleted, no permission: stop posting there."""


class ChatMoved(DeliveryError):
    """A Telegram group became a supergroup with a new id; resend there."""

    def __init__(self, new_chat_id: str) -> None:
        super().__init__(f"chat moved to {new_chat_id}")
        self.new_chat_id = new_chat_id


@dataclass(frozen=True, slots=True)
class Limits:
    """Send rates the platform allows; the worker stays under all of them."""

    global_per_second: float
    per_chat_interval: float = 0.0
    group_interval: float = 0.0
    concurrency: int = 32


class Sender(Protocol):
    """The outbound half of an adapter: post and edit messages."""

    name: str
    limits: Limits

    async def send(self, target: Target, post: Post, *, key: str = "") -> list[str]:
        """Post; return the platform's message ids (a long post may need several).

        ``key`` is the same for every attempt of one delivery; a platform that can refuse
        a repeat by it (Discord's enforce_nonce) uses it, so a send whose answer was lost
        and is retried still posts once.
        """
        ...

    async def edit(self, target: Target, message_ids: list[str], post: Post) -> list[str]:
        """Replace earlier posts' content; return the ids now holding it."""
        ...


class Adapter(Sender, Protocol):
    """A chat platform: the outbound Sender plus the inbound side that feeds Commands."""

    async def start(self, commands: Commands) -> None:
        """Connect and begin receiving commands (on the running loop, never blocking it)."""
        ...

    async def stop(self) -> None: ...


class Background:
    """Follow-up requests after a post that must not hold up the fan-out (pinning the
    weekend preview): run as tasks, cancelled when the adapter stops."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, work: Coroutine[Any, Any, None], name: str) -> None:
        task = asyncio.create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def idle(self) -> None:
        """Wait for what was spawned so far (tests and shutdown)."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
