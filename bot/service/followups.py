"""Work a command leaves for after its answer: the asker reads the answer first.

A chat that subscribes inside a weekend's preview window gets the preview at once
(``Engine.catch_up``), through the outbox like every broadcast. Queued while the command
runs, the delivery worker could send it before the adapter has sent the command's answer,
and the fan would read the preview above its "Välkommen". So a use case hands such work to
``after_answer``: inside ``answering()`` (an adapter's handling of one command) it waits
until the answer went out, or was dropped or failed, and then runs; anywhere else (the
CLI, a test of the service alone) it runs at once.

One mechanism for every platform: the adapter opens ``answering()`` around the command
and hands it the answer's sends (``sent``); the steps themselves stay in the service and
go through the outbox and its rate budget as before. No sleeping, nothing bypassed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextvars import ContextVar

log = logging.getLogger(__name__)

Step = Callable[[], Awaitable[object]]

_open: ContextVar[FollowUps | None] = ContextVar("followups", default=None)
#: Steps waiting for an answer, kept here so the loop does not drop their task.
_waiting: set[asyncio.Task[None]] = set()
#: Commands whose steps have not run yet (``busy``); one cut short (cancelled at a stop)
#: is forgotten with its event loop.
_unfinished: weakref.WeakSet[FollowUps] = weakref.WeakSet()


def busy() -> bool:
    """Whether some command's steps are still to run on this event loop (``App.settle``
    waits for them)."""
    loop = asyncio.get_running_loop()
    return any(f.loop is loop for f in list(_unfinished))


class FollowUps:
    """The steps one command left for after its answer."""

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.steps: list[Step] = []
        self._answers: list[Awaitable[object]] = []

    def sent(self, answers: Iterable[Awaitable[object]]) -> None:
        """The answer's sends (futures of the answer lane): the steps wait for them."""
        self._answers.extend(answers)

    async def run(self) -> None:
        """Wait for the answer's sends, whatever their outcome, then run each step; a
        failing step is logged and does not stop the next."""
        steps, answers = self.steps, self._answers
        self.steps, self._answers = [], []
        try:
            if answers:
                await asyncio.gather(*answers, return_exceptions=True)
            for step in steps:
                try:
                    await step()
                except Exception:
                    log.exception("a step after an answer failed")
        finally:
            _unfinished.discard(self)


async def after_answer(step: Step) -> None:
    """Run ``step`` once the current command's answer is sent (or dropped); at once when
    no answer is being made."""
    followups = _open.get()
    if followups is None:
        await step()
    else:
        followups.steps.append(step)
        _unfinished.add(followups)  # busy from now until its steps have run


@contextlib.asynccontextmanager
async def answering(*, wait: bool = False) -> AsyncIterator[FollowUps]:
    """Collect the steps of the command run inside; on leaving, run them after the sends
    given to ``sent`` — in the background (``wait=False``: the handler returns while its
    answer waits for a slot) or before returning. A command that raised runs its steps
    at once: what it saved stays saved, and nothing of its answer is coming."""
    followups = FollowUps()
    token = _open.set(followups)
    try:
        yield followups
    except Exception:
        _open.reset(token)
        await followups.run()
        raise
    except BaseException:  # cancelled (a stop): nothing more runs for this command
        _open.reset(token)
        _unfinished.discard(followups)
        raise
    _open.reset(token)
    if wait:
        await followups.run()
    elif followups.steps:
        task = asyncio.create_task(followups.run(), name="after-answer")
        _waiting.add(task)
        task.add_done_callback(_waiting.discard)
