"""Results and standings as staff entered them; the newest standings row wins."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.db import Database
from bot.store.tables import ResultRow, StandingsRow


@dataclass(frozen=True, slots=True)
class StoredResult:
    """One driver's recorded outcome of one session, as staff last entered it."""

    session_id: str
    driver_id: str
    position: int | None
    status: str | None
    class_positions: dict[str, int]
    note: str | None
    updated_at: datetime


class ResultsEvent(NamedTuple):
    """The weekend whose results were entered last."""

    series_id: str
    event_id: str


class StoredStandings(NamedTuple):
    """The newest standings tables of a series, as staff pasted them (JSON)."""

    series_id: str
    tables: list[Any]


async def write_results(
    db: AsyncSession,
    series_id: str,
    event_id: str,
    session_id: str,
    results: Sequence[dict[str, Any]],
    by: str,
    now: datetime,
    removed: Sequence[str] = (),
) -> None:
    """One session's results written in the caller's transaction (see ``RaceResults.save``)."""
    if removed:
        await db.execute(
            delete(ResultRow).where(
                ResultRow.series_id == series_id,
                ResultRow.event_id == event_id,
                ResultRow.session_id == session_id,
                ResultRow.driver_id.in_(removed),
            )
        )
    for item in results:
        await db.merge(
            ResultRow(
                series_id=series_id,
                event_id=event_id,
                session_id=session_id,
                driver_id=item["driver_id"],
                position=item.get("position"),
                status=item.get("status"),
                class_positions=item.get("class_positions") or None,
                note=item.get("note"),
                updated_at=now,
                updated_by=by,
            )
        )


def write_standings(
    db: AsyncSession,
    series_id: str,
    event_id: str | None,
    tables: list[Any],
    by: str,
    now: datetime,
) -> None:
    """One standings paste added in the caller's transaction; the newest row wins."""
    db.add(
        StandingsRow(
            series_id=series_id, event_id=event_id, tables=tables, created_at=now, created_by=by
        )
    )


class RaceResults:
    """Results per (series, weekend, session, driver) and the standings tables history."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def save(
        self,
        series_id: str,
        event_id: str,
        session_id: str,
        results: Sequence[dict[str, Any]],
        by: str,
        now: datetime,
        *,
        removed: Sequence[str] = (),
    ) -> None:
        """Replace the given drivers' results and delete the ``removed`` drivers' results
        for one session, in one transaction."""
        async with self._db.writing() as db:
            await write_results(db, series_id, event_id, session_id, results, by, now, removed)

    async def for_event(self, series_id: str, event_id: str) -> list[StoredResult]:
        async with self._db.session() as db:
            rows = await db.scalars(
                select(ResultRow).where(
                    ResultRow.series_id == series_id, ResultRow.event_id == event_id
                )
            )
            return [
                StoredResult(
                    session_id=r.session_id,
                    driver_id=r.driver_id,
                    position=r.position,
                    status=r.status,
                    class_positions=dict(r.class_positions or {}),
                    note=r.note,
                    updated_at=r.updated_at,
                )
                for r in rows
            ]

    async def latest_event(self) -> ResultsEvent | None:
        async with self._db.session() as db:
            row = (
                await db.execute(
                    select(ResultRow.series_id, ResultRow.event_id)
                    .order_by(ResultRow.updated_at.desc())
                    .limit(1)
                )
            ).first()
            return ResultsEvent(row[0], row[1]) if row else None

    async def save_standings(
        self, series_id: str, event_id: str | None, tables: list[Any], by: str, now: datetime
    ) -> None:
        async with self._db.writing() as db:
            write_standings(db, series_id, event_id, tables, by, now)

    async def latest_standings(self, series_id: str | None = None) -> StoredStandings | None:
        async with self._db.session() as db:
            query = select(StandingsRow).order_by(StandingsRow.id.desc()).limit(1)
            if series_id:
                query = query.where(StandingsRow.series_id == series_id)
            row = await db.scalar(query)
            return StoredStandings(row.series_id, row.tables) if row else None
