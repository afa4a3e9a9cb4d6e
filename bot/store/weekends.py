"""Weekends published from press releases: versioned rows, and the release applied whole.

Each publish of a (series, round) adds a version; the newest is in force. ``apply`` writes
a whole release (weekends, results, standings and the audit entry) in one transaction:
either all of it is recorded or none of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from bot.store.db import Database
from bot.store.results import write_results, write_standings
from bot.store.tables import AuditEntry, ReleasePhoto, WeekendRow


@dataclass(frozen=True, slots=True)
class StoredWeekend:
    """One version of a weekend as stored: its series, its ``[[events]]`` TOML, who, when."""

    series_id: str
    series_name: str
    season: int
    round: int
    event_id: str
    block: str
    version: int = 1
    photo: dict[str, Any] | None = None
    created_at: datetime | None = None
    created_by: str = ""


@dataclass(frozen=True, slots=True)
class SessionResults:
    """One session's results to record, as ``RaceResults.save`` takes them."""

    series_id: str
    event_id: str
    session_id: str
    rows: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Standings:
    series_id: str
    event_id: str | None
    tables: list[Any]


@dataclass(frozen=True, slots=True)
class ReleaseWrite:
    """Everything one published release records."""

    weekends: Sequence[StoredWeekend] = ()
    results: Sequence[SessionResults] = ()
    standings: Sequence[Standings] = ()
    detail: dict[str, Any] = field(default_factory=dict)
    #: (series, event) -> the photo that goes with that weekend's results post.
    result_photos: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)


def _stored(row: WeekendRow) -> StoredWeekend:
    return StoredWeekend(
        series_id=row.series_id,
        series_name=row.series_name,
        season=row.season,
        round=row.round,
        event_id=row.event_id,
        block=row.block,
        version=row.version,
        photo=row.photo,
        created_at=row.created_at,
        created_by=row.created_by,
    )


class Weekends:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def current(self) -> list[StoredWeekend]:
        """The newest version of every stored weekend."""
        newest = (
            select(WeekendRow.series_id, WeekendRow.round, func.max(WeekendRow.version).label("v"))
            .group_by(WeekendRow.series_id, WeekendRow.round)
            .subquery()
        )
        query = select(WeekendRow).join(
            newest,
            (WeekendRow.series_id == newest.c.series_id)
            & (WeekendRow.round == newest.c.round)
            & (WeekendRow.version == newest.c.v),
        )
        async with self._db.session() as db:
            rows = await db.scalars(query.order_by(WeekendRow.series_id, WeekendRow.round))
            return [_stored(r) for r in rows]

    async def history(self, series_id: str, round_: int) -> list[StoredWeekend]:
        """Every version of one weekend, oldest first."""
        async with self._db.session() as db:
            rows = await db.scalars(
                select(WeekendRow)
                .where(WeekendRow.series_id == series_id, WeekendRow.round == round_)
                .order_by(WeekendRow.version)
            )
            return [_stored(r) for r in rows]

    async def apply(
        self,
        release: ReleaseWrite,
        *,
        platform: str,
        user_id: str,
        user_name: str | None,
        now: datetime,
    ) -> list[StoredWeekend]:
        """Record the whole release in one transaction; the weekends as stored."""
        by = user_name or user_id
        stored: list[StoredWeekend] = []
        async with self._db.writing() as db:
            for weekend in release.weekends:
                version = await db.scalar(
                    select(func.max(WeekendRow.version)).where(
                        WeekendRow.series_id == weekend.series_id,
                        WeekendRow.round == weekend.round,
                    )
                )
                row = WeekendRow(
                    series_id=weekend.series_id,
                    series_name=weekend.series_name,
                    season=weekend.season,
                    round=weekend.round,
                    event_id=weekend.event_id,
                    version=(version or 0) + 1,
                    block=weekend.block,
                    photo=weekend.photo,
                    created_at=now,
                    created_by=f"{platform}:{user_id} {by}",
                )
                db.add(row)
                stored.append(_stored(row))
            for result in release.results:
                await write_results(
                    db, result.series_id, result.event_id, result.session_id, result.rows, by, now
                )
            for table in release.standings:
                write_standings(db, table.series_id, table.event_id, table.tables, by, now)
            for (series_id, event_id), photo in release.result_photos.items():
                await db.merge(
                    ReleasePhoto(
                        series_id=series_id, event_id=event_id, photo=photo, created_at=now
                    )
                )
            db.add(
                AuditEntry(
                    at=now,
                    platform=platform,
                    user_id=user_id,
                    user_name=user_name,
                    action="release",
                    detail={
                        **release.detail,
                        "weekends": [f"{w.series_id}/{w.event_id} v{w.version}" for w in stored],
                    },
                )
            )
        return stored
