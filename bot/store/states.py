"""Session states: staff overrides (new start, cancelled) and the calendar's revision
counters (SEQUENCE bumps when a session's time or status changes)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.core.notices import SessionStateInfo
from bot.store.db import Database
from bot.store.tables import SessionState


class SessionStates:
    """Per-session rows: what staff changed and how often the calendar saw it change."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def all(self) -> dict[str, SessionStateInfo]:
        async with self._db.session() as db:
            return {
                row.session_key: SessionStateInfo(
                    row.session_key,
                    row.start_override,
                    row.cancelled,
                    row.fingerprint,
                    row.sequence,
                    row.modified_at,
                )
                for row in await db.scalars(select(SessionState))
            }

    async def set_override(
        self,
        session_key: str,
        now: datetime,
        *,
        start: datetime | None = None,
        cancelled: bool | None = None,
    ) -> None:
        async with self._db.writing() as db:
            row = await db.get(SessionState, session_key)
            if row is None:
                row = SessionState(
                    session_key=session_key, fingerprint="", sequence=0, modified_at=now
                )
                db.add(row)
            if start is not None:
                row.start_override = start
            if cancelled is not None:
                row.cancelled = cancelled

    async def record_fingerprints(
        self, fingerprints: dict[str, str], now: datetime
    ) -> dict[str, SessionStateInfo]:
        """Bump SEQUENCE for every session whose time or status changed since last seen.

        Another process may insert the same new sessions meanwhile (two starting at once):
        the loser's insert fails on the key, and its second read finds the winner's rows."""
        try:
            return await self._record(fingerprints, now)
        except IntegrityError:
            return await self._record(fingerprints, now)

    async def _record(
        self, fingerprints: dict[str, str], now: datetime
    ) -> dict[str, SessionStateInfo]:
        async with self._db.writing() as db:
            rows = {row.session_key: row for row in await db.scalars(select(SessionState))}
            for key, fingerprint in fingerprints.items():
                row = rows.get(key)
                if row is None:
                    row = SessionState(
                        session_key=key, fingerprint=fingerprint, sequence=0, modified_at=now
                    )
                    db.add(row)
                    rows[key] = row
                elif row.fingerprint != fingerprint:
                    if row.fingerprint:
                        row.sequence += 1
                        row.modified_at = now
                    row.fingerprint = fingerprint
            return {
                key: SessionStateInfo(
                    key, r.start_override, r.cancelled, r.fingerprint, r.sequence, r.modified_at
                )
                for key, r in rows.items()
            }
