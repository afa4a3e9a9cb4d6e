"""Subscriptions: the chats and channels posted to, and the active targets kept in memory.

The active targets live in memory and are kept current incrementally: every insert or
update of a subscription raises its ``revision`` (a trigger, migration 0003), and a sync
re-reads only the rows whose revision is past the last one seen (an index range), not all
of them: at 100k subscribers a full read costs about a second of CPU (issue #16). A full
read, done once at the start and again every ``FULL_SYNC_EVERY`` for what revisions cannot
show (a row deleted by hand), goes in chunks of ``CHUNK`` rows by id, so the event loop
is never held for more than one chunk.

This process's own writes mark the copy stale, so the next ``targets()`` syncs first;
``TARGETS_MAX_AGE`` bounds how late a change made elsewhere (another process, by hand in
the database) is seen.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import BindParameter, Integer, Select, bindparam, func, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from bot.core.audience import Target
from bot.core.model import SessionKind
from bot.store.db import Database, normalize_url
from bot.store.status import FAILED, PENDING, SENDING
from bot.store.tables import Delivery, Subscription

#: How long ``targets()`` may answer from memory. This process's own subscription changes
#: are synced at once; the age bounds how late a change made elsewhere (another process,
#: by hand in the database) is seen: like taking the audience that much before the due time.
TARGETS_MAX_AGE = 1.0
#: How often the whole copy is read again (rows deleted by hand raise no revision).
FULL_SYNC_EVERY = 600.0
#: Rows per chunk of a full read: about 10 ms of row handling on the event loop.
CHUNK = 1000
#: A sync re-reads this many revisions before the newest seen: PostgreSQL hands out
#: revisions from a sequence, so a transaction may commit a lower one after a higher.
REVISION_SLACK = 64

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
    "thread_id",
    "pinned_id",
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
        thread_id=row["thread_id"],
        pinned_id=row["pinned_id"],
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


_after: BindParameter[int] = bindparam("after", type_=Integer())
_since: BindParameter[int] = bindparam("since", type_=Integer())


_TARGETS_ALL = select(*target_columns()).order_by(Subscription.id)
#: One chunk of the active targets by id (the primary key), for a full read.
_CHUNK = (
    select(*target_columns())
    .where(Subscription.active.is_(True), Subscription.id > _after)
    .order_by(Subscription.id)
    .limit(CHUNK)
)
#: Every row changed since a revision, active or not (an index range).
_CHANGED = (
    select(*target_columns(), Subscription.revision)
    .where(Subscription.revision > _since)
    .order_by(Subscription.revision)
    .limit(CHUNK)
)
_NEWEST = select(func.coalesce(func.max(Subscription.revision), 0))


#: Active chats per platform and kind (``racebot check``, the start-up capacity line).
CENSUS = (
    select(Subscription.platform, Subscription.chat_kind, func.count())
    .where(Subscription.active.is_(True))
    .group_by(Subscription.platform, Subscription.chat_kind)
)


def census_of(rows: Any) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for platform, kind, count in rows:
        found.setdefault(platform, {})[kind] = int(count)
    return found


async def read_census(url: str) -> dict[str, dict[str, int]]:
    """``Subscriptions.census`` for a tool that must not migrate or create the database:
    a SQLite file that does not exist yet has no subscribers."""
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite") and not Path(parsed.database or "").is_file():  # noqa: ASYNC240 - a tool, once
        return {}
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return census_of((await conn.execute(CENSUS)).all())
    finally:
        await engine.dispose()


def _where_chat(platform: str, chat_id: str) -> Select[Subscription]:
    return select(Subscription).where(
        Subscription.platform == platform, Subscription.chat_id == chat_id
    )


class Subscriptions:
    """Targets by (platform, chat): subscribe, update, deactivate, move; the targets cache."""

    def __init__(self, db: Database) -> None:
        self._db = db
        # The active targets by id, in id order, read once and then kept in sync.
        self._by_id: dict[int, Target] | None = None
        self._ordered: tuple[Target, ...] | None = None  # the same as a tuple, built lazily
        self._unordered = False  # an id went in behind a higher one: sort before use
        self._revision = 0  # the newest revision seen
        self._synced_at = 0.0
        self._full_at = 0.0
        self._stale = False  # this process changed a subscription since the last sync
        self._sync_lock = asyncio.Lock()

    @asynccontextmanager
    async def _changing(self) -> AsyncIterator[AsyncSession]:
        """A write to subscriptions: the next ``targets()`` syncs the copy first."""
        try:
            async with self._db.writing() as db:
                yield db
        finally:
            self._stale = True

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

    async def census(self) -> dict[str, dict[str, int]]:
        """Active chats per platform and chat kind."""
        async with self._db.read() as conn:
            return census_of((await conn.execute(CENSUS)).all())

    async def targets(self, *, active_only: bool = True) -> list[Target]:
        """Subscriptions to post to; the active ones from memory, synced when stale.

        A sync reads only what changed (see the module doc), so it costs about as much as
        the changes, not the audience; the list returned is the caller's to change.
        """
        if not active_only:
            async with self._db.read() as conn:
                return [target_from(row) for row in (await conn.execute(_TARGETS_ALL)).mappings()]
        if self._needs_sync():
            async with self._sync_lock:  # one sync at a time; the others then share it
                if self._needs_sync():
                    await self._sync(time.monotonic())
        assert self._by_id is not None
        if self._ordered is None:
            ordered = tuple(self._by_id.values())
            if self._unordered:  # an old id came back (a re-subscribe): rare
                ordered = tuple(sorted(ordered, key=lambda t: t.id))
                self._by_id = {t.id: t for t in ordered}
                self._unordered = False
            self._ordered = ordered
        return list(self._ordered)

    def _needs_sync(self) -> bool:
        age = time.monotonic() - self._synced_at
        return self._by_id is None or self._stale or age >= TARGETS_MAX_AGE

    async def _sync(self, started: float) -> None:
        self._stale = False  # a write from here on marks the copy stale again
        try:
            if self._by_id is None or started - self._full_at >= FULL_SYNC_EVERY:
                await self._read_all(started)
            await self._read_changed()
        except BaseException:
            self._stale = True  # the database went away meanwhile: sync again next time
            raise
        self._synced_at = started

    async def _read_all(self, started: float) -> None:
        """Every active target, a chunk at a time (the loop runs between chunks)."""
        async with self._db.read() as conn:
            newest = int(await conn.scalar(_NEWEST) or 0)
        found: dict[int, Target] = {}
        known = self._by_id or {}
        after = 0
        while True:
            async with self._db.read() as conn:
                rows = (await conn.execute(_CHUNK, {"after": after})).mappings().all()
            for row in rows:
                target = target_from(row)
                # The object already held when nothing changed: the new one is freed at
                # once, so a resync does not grow the heap the garbage collector scans.
                kept = known.get(target.id)
                found[target.id] = kept if kept == target else target
            if len(rows) < CHUNK:
                break
            after = rows[-1]["id"]
        # Changes made while the chunks were read have revisions past ``newest``: the
        # read of what changed, right after, applies them.
        self._by_id, self._ordered = found, None
        self._revision = newest
        self._full_at = started

    async def _read_changed(self) -> None:
        assert self._by_id is not None
        since = max(0, self._revision - REVISION_SLACK)
        while True:
            async with self._db.read() as conn:
                rows = (await conn.execute(_CHANGED, {"since": since})).mappings().all()
            for row in rows:
                target = target_from(row)
                if self._by_id.get(target.id) == target:
                    continue
                self._ordered = None
                if target.active:
                    if target.id not in self._by_id and self._by_id:
                        # Appended at the end of the dict: out of id order unless newest.
                        self._unordered |= target.id < next(reversed(self._by_id))
                    self._by_id[target.id] = target
                else:
                    self._by_id.pop(target.id, None)
            if not rows:
                return
            since = int(rows[-1]["revision"])
            self._revision = max(self._revision, since)
            if len(rows) < CHUNK:
                return
