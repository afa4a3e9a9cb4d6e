"""Subscriptions: the chats and channels posted to, and the active targets kept in memory.

Every write here drops the in-memory copy of the active targets, so the next fire reads
the database again; ``TARGETS_MAX_AGE`` bounds how late a change made elsewhere is seen.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.audience import Target
from bot.core.model import SessionKind
from bot.store.db import Database
from bot.store.status import FAILED, PENDING, SENDING
from bot.store.tables import Delivery, Subscription

#: How long ``targets()`` may answer from memory. This process's own subscription changes
#: drop the copy at once; the age bounds how late a change made elsewhere (another process,
#: by hand in the database) is seen: like taking the audience that much before the due time.
TARGETS_MAX_AGE = 1.0

#: The subscription columns a Target is built from (also selected by the Core queries).
TARGET_COLUMNS = (
    "id",
    "platform",
    "chat_id",
    "chat_kind",
    "language",
    "timezone",
    "series",
    "kinds",
    "leads",
    "role_id",
    "guild_id",
    "title",
    "active",
    "channel_name",
    "admin_id",
    "spoilers",
    "quiet_from",
    "quiet_to",
    "digest",
    "ping_roles",
)


def target_from(row: Mapping[Any, Any]) -> Target:
    """Build a Target from plain column values (the hot paths skip the ORM)."""
    series, kinds, leads = row["series"], row["kinds"], row["leads"]
    return Target(
        id=row["id"],
        platform=row["platform"],
        chat_id=row["chat_id"],
        chat_kind=row["chat_kind"],
        language=row["language"],
        timezone=row["timezone"],
        series=tuple(series) if series is not None else None,
        kinds=tuple(SessionKind(k) for k in kinds) if kinds is not None else None,
        leads=tuple(int(m) for m in leads) if leads is not None else None,
        role_id=row["role_id"],
        guild_id=row["guild_id"],
        title=row["title"],
        channel_name=row["channel_name"],
        admin_id=row["admin_id"],
        active=bool(row["active"]),
        spoilers=bool(row["spoilers"]),
        quiet=_window(row["quiet_from"], row["quiet_to"]),
        digest=bool(row["digest"]),
        ping_roles=tuple((str(i), str(r)) for i, r in row["ping_roles"] or ()),
    )


def _window(start: int | None, end: int | None) -> tuple[int, int] | None:
    return (start, end) if start is not None and end is not None else None


def _target(row: Subscription) -> Target:
    return target_from({name: getattr(row, name) for name in TARGET_COLUMNS})


def target_columns() -> list[Any]:
    table = Subscription.__table__
    return [table.c[name] for name in TARGET_COLUMNS]


_TARGETS_ALL = select(*target_columns()).order_by(Subscription.id)
_TARGETS_ACTIVE = _TARGETS_ALL.where(Subscription.active.is_(True))


def _where_chat(platform: str, chat_id: str) -> Select[Subscription]:
    return select(Subscription).where(
        Subscription.platform == platform, Subscription.chat_id == chat_id
    )


class Subscriptions:
    """Targets by (platform, chat): subscribe, update, deactivate, move; the targets cache."""

    def __init__(self, db: Database) -> None:
        self._db = db
        # The active targets, read once and shared by the fires of a busy moment.
        self._targets: tuple[Target, ...] | None = None
        self._targets_read_at = 0.0
        self._targets_generation = 0

    @asynccontextmanager
    async def _changing(self) -> AsyncIterator[AsyncSession]:
        """A write to subscriptions: the targets read from memory are dropped after it."""
        try:
            async with self._db.writing() as db:
                yield db
        finally:
            self._targets = None
            self._targets_generation += 1

    async def subscribe(self, platform: str, chat_id: str, now: datetime, **fields: Any) -> Target:
        """Create or reactivate a subscription; only the given fields change."""
        async with self._changing() as db:
            row = await db.scalar(_where_chat(platform, chat_id))
            if row is None:
                row = Subscription(platform=platform, chat_id=chat_id, created_at=now)
                db.add(row)
            for name, value in fields.items():
                setattr(row, name, list(value) if isinstance(value, tuple) else value)
            row.active = True
            row.inactive_reason = None
            row.updated_at = now
            await db.flush()
            return _target(row)

    async def update(
        self, platform: str, chat_id: str, now: datetime, **fields: Any
    ) -> Target | None:
        async with self._changing() as db:
            row = await db.scalar(_where_chat(platform, chat_id))
            if row is None:
                return None
            for name, value in fields.items():
                setattr(row, name, list(value) if isinstance(value, tuple) else value)
            row.updated_at = now
            return _target(row)

    async def get(self, platform: str, chat_id: str) -> Target | None:
        async with self._db.session() as db:
            row = await db.scalar(_where_chat(platform, chat_id))
            return _target(row) if row else None

    async def deactivate(self, subscription_id: int, reason: str, now: datetime) -> None:
        """Stop posting to a target (blocked, kicked, channel gone) and drop its queue."""
        async with self._changing() as db:
            await db.execute(
                update(Subscription)
                .where(Subscription.id == subscription_id)
                .values(active=False, inactive_reason=reason[:200], updated_at=now)
            )
            await db.execute(
                update(Delivery)
                .where(
                    Delivery.subscription_id == subscription_id,
                    Delivery.status.in_((PENDING, SENDING)),
                )
                .values(status=FAILED, error=f"target inactive: {reason}"[:500], updated_at=now)
            )

    async def move_chat(
        self, platform: str, old_chat_id: str, new_chat_id: str, now: datetime
    ) -> None:
        """Follow a Telegram group that became a supergroup to its new id."""
        async with self._changing() as db:
            existing = await db.scalar(_where_chat(platform, new_chat_id))
            if existing is not None:
                await db.execute(
                    update(Subscription)
                    .where(Subscription.platform == platform, Subscription.chat_id == old_chat_id)
                    .values(active=False, inactive_reason="migrated", updated_at=now)
                )
                return
            await db.execute(
                update(Subscription)
                .where(Subscription.platform == platform, Subscription.chat_id == old_chat_id)
                .values(chat_id=new_chat_id, chat_kind="supergroup", updated_at=now)
            )

    async def targets(self, *, active_only: bool = True) -> list[Target]:
        """Subscriptions to post to; the active ones come from memory when fresh enough.

        Every write to subscriptions through this object drops the copy, so the next call
        reads the database again; see ``TARGETS_MAX_AGE`` for changes made elsewhere.
        """
        started = time.monotonic()
        if (
            active_only
            and self._targets is not None
            and started - self._targets_read_at < TARGETS_MAX_AGE
        ):
            return list(self._targets)
        generation = self._targets_generation
        query = _TARGETS_ACTIVE if active_only else _TARGETS_ALL
        async with self._db.read() as conn:
            found = [target_from(row) for row in (await conn.execute(query)).mappings()]
        if active_only and generation == self._targets_generation:  # no change meanwhile
            self._targets, self._targets_read_at = tuple(found), started
        return found
