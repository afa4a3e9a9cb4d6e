"""Staff added in chat: who may use the staff commands beyond the config's list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from bot.store.db import Database
from bot.store.tables import StaffMember


@dataclass(frozen=True, slots=True)
class StaffRecord:
    platform: str
    user_id: str
    added_at: datetime
    added_by: str


class StaffMembers:
    """The staff_members table: add, remove, list (each a short transaction)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, platform: str, user_id: str, added_by: str, now: datetime) -> bool:
        """Add one; False when they are already there (nothing changes)."""
        async with self._db.writing() as db:
            if await db.get(StaffMember, (platform, user_id)) is not None:
                return False
            db.add(StaffMember(platform=platform, user_id=user_id, added_at=now, added_by=added_by))
            return True

    async def remove(self, platform: str, user_id: str) -> bool:
        """Remove one; False when they were not there."""
        async with self._db.writing() as db:
            gone = await db.execute(
                delete(StaffMember).where(
                    StaffMember.platform == platform, StaffMember.user_id == user_id
                )
            )
            return bool(getattr(gone, "rowcount", 0))

    async def all(self) -> list[StaffRecord]:
        async with self._db.session() as db:
            rows = await db.scalars(
                select(StaffMember).order_by(StaffMember.platform, StaffMember.added_at)
            )
            return [StaffRecord(r.platform, r.user_id, r.added_at, r.added_by) for r in rows]
