"""Pending drafts: a staff action waiting for its author's confirmation, taken once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import delete, select

from bot.store.db import Database
from bot.store.tables import PendingAction


class Draft(NamedTuple):
    """A taken draft: what to carry out, with its arguments as stored (JSON)."""

    action: str
    payload: dict[str, Any]


class Drafts:
    """Staff drafts awaiting Publish: stored with a lifetime, taken by their author once."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def put(
        self,
        token: str,
        platform: str,
        user_id: str,
        action: str,
        payload: dict[str, Any],
        now: datetime,
        ttl: timedelta,
    ) -> None:
        async with self._db.writing() as db:
            await db.execute(delete(PendingAction).where(PendingAction.expires_at < now))
            db.add(
                PendingAction(
                    token=token,
                    platform=platform,
                    user_id=user_id,
                    action=action,
                    payload=payload,
                    created_at=now,
                    expires_at=now + ttl,
                )
            )

    async def take(self, token: str, platform: str, user_id: str, now: datetime) -> Draft | None:
        """Remove and return a pending action; only its author may take it, only once."""
        async with self._db.writing() as db:
            result = await db.execute(
                delete(PendingAction)
                .where(
                    PendingAction.token == token,
                    PendingAction.platform == platform,
                    PendingAction.user_id == user_id,
                    PendingAction.expires_at >= now,
                )
                .returning(PendingAction.action, PendingAction.payload)
            )
            row = result.first()
            return Draft(row[0], row[1]) if row else None

    async def latest(self, platform: str, user_id: str, now: datetime) -> str | None:
        async with self._db.session() as db:
            token: str | None = await db.scalar(
                select(PendingAction.token)
                .where(
                    PendingAction.platform == platform,
                    PendingAction.user_id == user_id,
                    PendingAction.expires_at >= now,
                )
                .order_by(PendingAction.created_at.desc())
                .limit(1)
            )
            return token
