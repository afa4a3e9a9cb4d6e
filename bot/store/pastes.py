"""A press release being pasted (/release … /done) and the photo sent with it, per staff
member: one row each, kept across restarts until taken, cleared, or expired."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select

from bot.store.db import Database
from bot.store.tables import ReleasePaste, ReleasePhoto


@dataclass(frozen=True, slots=True)
class Paste:
    """What is kept for one staff member: the messages so far (None: not pasting) and the
    photo that goes with the release."""

    parts: list[str] | None
    photo: dict[str, Any] | None


class ReleasePastes:
    """The release_pastes table (each method one short transaction)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, platform: str, user_id: str, now: datetime) -> Paste | None:
        """What is kept for the user, None when nothing is (or it expired)."""
        async with self._db.session() as db:
            row = await db.get(ReleasePaste, (platform, user_id))
            if row is None or row.expires_at < now:
                return None
            return Paste(list(row.parts) if row.parts is not None else None, row.photo)

    async def put(
        self, platform: str, user_id: str, paste: Paste, now: datetime, ttl: timedelta
    ) -> None:
        """Keep ``paste`` for ``ttl`` from now (a paste with nothing in it is removed)."""
        async with self._db.writing() as db:
            await db.execute(delete(ReleasePaste).where(ReleasePaste.expires_at < now))
            row = await db.get(ReleasePaste, (platform, user_id))
            if paste.parts is None and paste.photo is None:
                if row is not None:
                    await db.delete(row)
                return
            if row is None:
                row = ReleasePaste(platform=platform, user_id=user_id)
                db.add(row)
            row.parts, row.photo, row.expires_at = paste.parts, paste.photo, now + ttl

    async def photo_for(self, series_id: str, event_id: str) -> dict[str, Any] | None:
        """The photo a published release sent with this weekend's results post."""
        async with self._db.session() as db:
            photo: dict[str, Any] | None = await db.scalar(
                select(ReleasePhoto.photo).where(
                    ReleasePhoto.series_id == series_id, ReleasePhoto.event_id == event_id
                )
            )
            return photo
