"""Discord servers' scheduled events the bot made: session key → event id and digest."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from bot.store.db import Database
from bot.store.tables import ServerEvent


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event made for a session: its id (None: gone for good) and what was last sent."""

    event_id: str | None
    digest: str | None = None


class ServerEvents:
    """The server_events table: read one server's rows, remember one, forget some."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def for_guild(self, platform: str, guild_id: str) -> dict[str, StoredEvent]:
        async with self._db.session() as db:
            rows = await db.scalars(
                select(ServerEvent).where(
                    ServerEvent.platform == platform, ServerEvent.guild_id == guild_id
                )
            )
            return {r.session_key: StoredEvent(r.event_id, r.digest) for r in rows}

    async def remember(
        self, platform: str, guild_id: str, session_key: str, event: StoredEvent, now: datetime
    ) -> None:
        async with self._db.writing() as db:
            row = await db.get(ServerEvent, (platform, guild_id, session_key))
            if row is None:
                row = ServerEvent(platform=platform, guild_id=guild_id, session_key=session_key)
                db.add(row)
            row.event_id = event.event_id
            row.digest = event.digest
            row.updated_at = now

    async def forget(self, platform: str, guild_id: str, session_keys: Collection[str]) -> None:
        if not session_keys:
            return
        async with self._db.writing() as db:
            await db.execute(
                delete(ServerEvent).where(
                    ServerEvent.platform == platform,
                    ServerEvent.guild_id == guild_id,
                    ServerEvent.session_key.in_(list(session_keys)),
                )
            )
