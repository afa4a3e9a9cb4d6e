"""The one database handle every store aggregate shares: the engine, the transaction styles,
this process's SQLite writer queue, and the health every write reports to.

Two transaction styles on purpose: ORM sessions (``writing``/``session``) for the small
read-modify-write paths, Core connections (``write``/``read``) for the hot outbox paths,
where building ORM objects would cost as much as the SQL itself.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, PoolResetState, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.store import migrate
from bot.store.health import Health, is_outage


def normalize_url(url: str) -> str:
    """Accept plain sqlite:/// and postgresql:// URLs and pick the async drivers."""
    parsed = make_url(url)
    if parsed.drivername in ("sqlite", "sqlite+pysqlite"):
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    return parsed.render_as_string(hide_password=False)


def _left_open(dbapi_conn: Any) -> bool:
    """Whether SQLAlchemy's aiosqlite connection is inside a transaction (True if unsure)."""
    try:
        return bool(dbapi_conn._connection.in_transaction)  # aiosqlite reads it in place
    except Exception:
        return True


async def open_engine(url: str) -> AsyncEngine:
    """Connect, create the SQLite file's folder if needed, and migrate in place."""
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite") and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - once at start
    # A ping per checkout finds PostgreSQL connections the server dropped; a SQLite
    # file cannot drop one, and the ping would be one more thread hop per transaction.
    sqlite_url = parsed.drivername.startswith("sqlite")
    engine = create_async_engine(
        url,
        pool_pre_ping=not sqlite_url,
        pool_reset_on_return=None if sqlite_url else "rollback",
    )
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine.sync_engine, "reset")
        def _reset(dbapi_conn: Any, _record: Any, state: PoolResetState) -> None:
            # The pool's default is a ROLLBACK on every return: one more thread hop
            # after each commit. Roll back only a transaction left open.
            if not state.terminate_only and state.asyncio_safe and _left_open(dbapi_conn):
                dbapi_conn.rollback()

        @event.listens_for(engine.sync_engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

    async with engine.begin() as conn:
        await conn.run_sync(_upgrade)
    return engine


def _upgrade(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":  # processes starting at once take turns
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext('racebot:migrate'))"))
    migrate.upgrade(connection)


class Database:
    """The engine and the ways to use it; every aggregate writes through ``writing``/``write``
    so this process's writers queue (SQLite) and every outcome reaches ``health``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)
        self.is_postgres = engine.dialect.name == "postgresql"
        # SQLite lets one connection write at a time and makes the others poll in its busy
        # handler, which sleeps in growing steps (1, 2, 5, 10 ms ...). Queueing this
        # process's writers on a lock instead hands the database over without those sleeps;
        # other processes still meet busy_timeout.
        self._write_lock = None if self.is_postgres else asyncio.Lock()
        #: Whether the database answers; every write reports here (see bot.store.health).
        self.health = Health()

    async def close(self) -> None:
        await self.engine.dispose()

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[AsyncSession]:
        """An ORM transaction that writes, queued behind this process's other writers."""
        async with self.queued(), self.sessions.begin() as db:
            yield db

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """A Core transaction that writes; the hot outbox paths skip the ORM's overhead."""
        async with self.queued(), self.engine.begin() as conn:
            yield conn

    @asynccontextmanager
    async def queued(self) -> AsyncIterator[None]:
        """One write: queued behind this process's others (SQLite), reported to ``health``."""
        async with self._write_lock or contextlib.nullcontext():
            try:
                yield
            except Exception as exc:
                if is_outage(exc):
                    self.health.failed("write", exc)
                raise
        self.health.ok()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A read the delivery path depends on; a failure marks the database degraded (only
        a write clears it: a full disk still reads)."""
        try:
            async with self.engine.connect() as conn:
                yield conn
        except Exception as exc:
            if is_outage(exc):
                self.health.failed("read", exc)
            raise

    def session(self) -> AsyncSession:
        """A plain ORM session for reads that only tools and answers use (not health-tracked,
        as before the split)."""
        return self.sessions()
