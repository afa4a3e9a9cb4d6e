"""Whether the database answers, said once per change, and the one backoff used to retry it.

The Store reports every write (and the reads the delivery path depends on) here: the
first failure logs one line and makes the state degraded; the next successful write logs
one line and clears it. /healthz and /metrics read it; the delivery worker pauses claiming
while it is degraded; every retry of the database waits on ``Backoff`` (capped, jittered),
so a database that stays away costs a few log lines, not a log line per loop turn.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass, field

from sqlalchemy.exc import (
    DataError,
    IntegrityError,
    NoSuchColumnError,
    ProgrammingError,
    SQLAlchemyError,
)

log = logging.getLogger("bot.store")

#: Errors that are a bug in what we asked, not the database going away: never retried.
_BUGS = (IntegrityError, ProgrammingError, DataError, NoSuchColumnError)


def is_outage(exc: BaseException) -> bool:
    """True for a database that is unreachable, shutting down, full or read-only.

    SQLAlchemy wraps driver errors (asyncpg's connection errors, SQLite's "database or
    disk is full"); a refused connection may surface as a plain OSError.
    """
    if isinstance(exc, _BUGS):
        return False
    return isinstance(exc, SQLAlchemyError | OSError | ConnectionError | TimeoutError) or (
        type(exc).__module__.startswith("asyncpg")
    )


@dataclass
class Health:
    """The database's state as this process sees it (monotonic seconds, not the clock:
    the injected clock may be virtual, an outage lasts in real time)."""

    degraded: bool = False
    reason: str = ""
    since: float = 0.0
    outages: int = 0
    failures: int = 0
    #: Sends that went out and are waiting to be recorded, per platform.
    unrecorded: dict[str, int] = field(default_factory=dict)

    def failed(self, what: str, exc: BaseException) -> None:
        self.failures += 1
        if self.degraded:
            return
        self.degraded = True
        self.reason = f"database {what} failed: {_short(exc)}"
        self.since = time.monotonic()
        self.outages += 1
        log.error("database unavailable: %s; retrying with backoff", self.reason)

    def ok(self) -> None:
        if not self.degraded:
            return
        away = time.monotonic() - self.since
        self.degraded = False
        self.reason = ""
        log.warning("database back after %.1f s", away)

    def degraded_seconds(self) -> float:
        return time.monotonic() - self.since if self.degraded else 0.0

    def snapshot(self) -> dict[str, object]:
        return {
            "database": "degraded" if self.degraded else "ok",
            "reason": self.reason,
            "degraded_seconds": round(self.degraded_seconds(), 1),
            "unrecorded_sends": sum(self.unrecorded.values()),
        }


def _short(exc: BaseException) -> str:
    """The first line of an error, without SQLAlchemy's background link."""
    text = str(getattr(exc, "orig", None) or exc) or type(exc).__name__
    return text.splitlines()[0][:200]


class Backoff:
    """Capped exponential backoff with jitter: first ~``base`` s, doubling to ``cap`` s.

    Each wait is drawn from [half, full] of the step so processes that lost the database
    together do not come back in lockstep.
    """

    def __init__(self, base: float = 0.2, cap: float = 5.0) -> None:
        self.base = base
        self.cap = cap
        self.attempt = 0

    def next(self) -> float:
        step = min(self.cap, self.base * 2.0**self.attempt)
        self.attempt += 1
        return step * (0.5 + random.random() / 2)

    def reset(self) -> None:
        self.attempt = 0
