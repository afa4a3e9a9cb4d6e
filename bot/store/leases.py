"""Leases: which process may use a platform's bot token right now (see ``bot.leases``).

One row per lease name. ``take`` is one atomic upsert: it inserts the row, or renews it
for the same holder, or takes it over when it has run out; it never takes a lease another
holder still has. Time is the database's (``now=None``), so the processes' own clocks
need not agree; tests pass an injected ``now`` instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Interval, case, delete, func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import ColumnElement

from bot.store.db import Database
from bot.store.tables import LeaseRow


def standby_name(name: str) -> str:
    """The row a process standing by for lease ``name`` keeps (``bot.leases``)."""
    return f"{name}/standby"


@dataclass(frozen=True, slots=True)
class LeaseState:
    holder: str
    expires_at: datetime
    acquired_at: datetime


class Leases:
    def __init__(self, db: Database) -> None:
        self._db = db

    def _at(self, now: datetime | None, plus: timedelta = timedelta(0)) -> ColumnElement[Any]:
        """``now`` (+ ``plus``) as SQL: the given instant, else the database's clock."""
        if now is not None:
            return literal(now + plus, LeaseRow.expires_at.type)
        if not self._db.is_postgres:
            raise ValueError("SQLite has no clock shared between processes: pass now")
        at = func.timezone("UTC", func.statement_timestamp())  # naive UTC, as stored
        return at + literal(plus, Interval()) if plus else at

    async def take(
        self, name: str, holder: str, ttl: timedelta, now: datetime | None = None
    ) -> bool:
        """Hold ``name`` for ``ttl`` from now: True if ``holder`` has it (new or renewed)."""
        at = self._at(now)
        dialect = postgresql if self._db.is_postgres else sqlite
        insert = dialect.insert(LeaseRow).values(
            name=name, holder=holder, expires_at=self._at(now, ttl), acquired_at=at
        )
        table = LeaseRow.__table__.c
        query = insert.on_conflict_do_update(
            index_elements=[table.name],
            set_={
                "holder": insert.excluded.holder,
                "expires_at": insert.excluded.expires_at,
                # Renewed: it was acquired then; taken over: now.
                "acquired_at": case(
                    (table.holder == holder, table.acquired_at),
                    else_=insert.excluded.acquired_at,
                ),
            },
            where=(table.holder == holder) | (table.expires_at < at),
        ).returning(table.holder)
        async with self._db.write() as conn:
            row = (await conn.execute(query)).first()
        return row is not None and row[0] == holder

    async def release(
        self, name: str, holder: str, linger: timedelta = timedelta(0), now: datetime | None = None
    ) -> bool:
        """Give ``name`` up; ``linger`` keeps others out a little longer (a long poll this
        holder cut off is still held by the platform that long)."""
        table = LeaseRow.__table__.c
        async with self._db.write() as conn:
            if linger <= timedelta(0):
                result = await conn.execute(
                    delete(LeaseRow)
                    .where(table.name == name, table.holder == holder)
                    .returning(table.name)
                )
            else:
                result = await conn.execute(
                    update(LeaseRow)
                    .where(table.name == name, table.holder == holder)
                    .values(expires_at=self._at(now, linger))
                    .returning(table.name)
                )
            return result.first() is not None

    async def standing_by(self, name: str, holder: str, now: datetime | None = None) -> bool:
        """Whether a process other than ``holder`` stands by for ``name`` now: its presence
        row (``standby_name``, kept with ``take`` on a short ttl) has not run out."""
        table = LeaseRow.__table__.c
        query = select(table.name).where(
            table.name == standby_name(name),
            table.holder != holder,
            table.expires_at > self._at(now),
        )
        async with self._db.read() as conn:
            return (await conn.execute(query)).first() is not None

    async def state(self, name: str) -> LeaseState | None:
        table = LeaseRow.__table__.c
        async with self._db.read() as conn:
            row = (
                await conn.execute(
                    select(table.holder, table.expires_at, table.acquired_at).where(
                        table.name == name
                    )
                )
            ).first()
        return None if row is None else LeaseState(row[0], row[1], row[2])
