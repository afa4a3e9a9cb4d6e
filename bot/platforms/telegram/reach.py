"""Whether the Bot API answers this process's long polls: the signal a lease holder reads
to hand the token to a standby when its own way to Telegram is down (``bot.leases``).

PTB retries getUpdates by itself and tells its error callback about some failures only
(a timed-out poll never), so the poll's own request object keeps the score: each
getUpdates that got an HTTP answer ends an outage, each that did not (a network error, a
timeout) starts one or lets it go on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from telegram.error import NetworkError
from telegram.request import HTTPXRequest


class Reach:
    """Since when the Bot API has not answered a poll (monotonic seconds), if it has not."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._failing_since: float | None = None

    def answered(self) -> None:
        self._failing_since = None

    def failed(self) -> None:
        if self._failing_since is None:
            self._failing_since = self._monotonic()

    def unreachable_for(self) -> float:
        """Seconds every poll has failed for (0 while they are answered)."""
        since = self._failing_since
        return 0.0 if since is None else self._monotonic() - since


class PollRequest(HTTPXRequest):
    """PTB's request for getUpdates (one connection, as PTB's default), keeping ``reach``."""

    def __init__(self, reach: Reach, **kwargs: Any) -> None:
        super().__init__(connection_pool_size=1, **kwargs)
        self.reach = reach

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        try:
            answer = await super().do_request(*args, **kwargs)
        except NetworkError:  # TimedOut included: no answer from the Bot API
            self.reach.failed()
            raise
        self.reach.answered()  # any HTTP status: the Bot API is there
        return answer
