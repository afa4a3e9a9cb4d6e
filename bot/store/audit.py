"""The audit log: who did what staff action, when, and with which details."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.store.db import Database
from bot.store.tables import AuditEntry


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One staff action as logged: who, where, what, when, with which details."""

    at: datetime
    platform: str
    user_id: str
    user_name: str | None
    action: str
    detail: dict[str, Any]


class AuditLog:
    """Append-only record of staff actions, read newest first."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(
        self,
        platform: str,
        user_id: str,
        user_name: str | None,
        action: str,
        detail: dict[str, Any],
        now: datetime,
    ) -> None:
        async with self._db.writing() as db:
            db.add(
                AuditEntry(
                    at=now,
                    platform=platform,
                    user_id=user_id,
                    user_name=user_name,
                    action=action,
                    detail=detail,
                )
            )

    async def newest(self, limit: int = 50) -> list[AuditRecord]:
        async with self._db.session() as db:
            rows = await db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
            return [
                AuditRecord(
                    at=r.at,
                    platform=r.platform,
                    user_id=r.user_id,
                    user_name=r.user_name,
                    action=r.action,
                    detail=r.detail,
                )
                for r in rows
            ]
