"""The outbox: notifications and one durable delivery row per (notification, target).

Queueing is idempotent (a repeat adds nothing), a revision queues edits of what was sent,
and a changed plan withdraws what is no longer due. Sending is ``bot.store.claims``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import cast

from sqlalchemy import String, Table, bindparam, delete, func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.expression import Executable

from bot.core.audience import Target
from bot.core.notices import NotificationData
from bot.store.db import Database
from bot.store.status import EXPIRED, FAILED, PENDING, SENT, SUPERSEDED
from bot.store.tables import NEVER, Delivery, Notification, Subscription


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    """Where one delivery of a notification stands: to which chat, sent or not, and why."""

    platform: str
    chat_id: str
    status: str
    message_ids: tuple[str, ...]
    attempts: int
    error: str | None


#: Rows in a final state: nothing will send them again, so age may delete them.
SETTLED = (SENT, EXPIRED, SUPERSEDED, FAILED)

#: Rows in the first batch of a fan-out (sent at once), then in each later one.
FIRST_BATCH = 100
BATCH = 500
#: Loop turns given to the woken worker after the first batch (its wake-up to its claim).
HANDOFF_TURNS = 8

# The inserts differ by dialect, so each Outbox builds them once; plain rows go in
# without per-row expression building (see ``enqueue``).
_DELIVERIES = cast(Table, Delivery.__table__)
_NOTIFICATIONS = cast(Table, Notification.__table__)


class Outbox:
    """Queueing: the notification row and its deliveries, revisions, withdrawals."""

    def __init__(self, db: Database) -> None:
        self._db = db
        insert = postgresql.insert if db.is_postgres else sqlite.insert
        self._insert_notification: Executable = insert(_NOTIFICATIONS).on_conflict_do_nothing(
            index_elements=["key"]
        )
        # One batch of deliveries: a row per subscription id, constants bound once.
        columns = ["notification_key", "subscription_id", "platform", "status", "expires"]
        columns += ["next_attempt_at", "attempts", "sent_version", "updated_at"]
        rows = select(
            bindparam("key", type_=String()),
            Subscription.id,
            Subscription.platform,
            literal(PENDING),
            bindparam("expires", type_=_DELIVERIES.c.expires.type),
            bindparam("now", type_=_DELIVERIES.c.next_attempt_at.type),
            literal(0),
            literal(0),
            bindparam("now", type_=_DELIVERIES.c.updated_at.type),
        ).where(Subscription.id.in_(bindparam("ids", expanding=True)))
        self._queue_rows: Executable = (
            insert(_DELIVERIES)
            .from_select(columns, rows)
            .on_conflict_do_nothing(index_elements=["notification_key", "subscription_id"])
        )
        self._insert_deliveries: Executable = (
            insert(_DELIVERIES)
            .on_conflict_do_nothing(index_elements=["notification_key", "subscription_id"])
            .returning(_DELIVERIES.c.id)
        )

    async def known_notifications(self, keys: Iterable[str]) -> set[str]:
        """The keys among ``keys`` whose rows are all queued (a fire cut off half way by a
        crash is not known: firing it again adds the rows it had not written yet)."""
        wanted = list(keys)
        found: set[str] = set()
        async with self._db.read() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                found.update(
                    await conn.scalars(
                        select(Notification.key).where(
                            Notification.key.in_(chunk), Notification.queued.is_(True)
                        )
                    )
                )
        return found

    async def enqueue(
        self,
        note: NotificationData,
        targets: Iterable[Target] | AsyncIterable[Sequence[Target]],
        now: datetime,
        *,
        on_batch: Callable[[Sequence[Target]], None] | None = None,
        posts_for: Callable[[Sequence[Target]], dict[str, str]] | None = None,
    ) -> int:
        """Record the notification and one delivery per target; repeats add nothing.

        Streamed: the rows go in batches, each its own short transaction (the first one
        small, with the notification row), and ``on_batch`` is called after each with its
        targets, so the worker starts sending the first fans' rows while the rest are still
        being written: fire -> first send stays about constant at any audience size (issue
        #16: ~2 s at 50k in one transaction). ``targets`` is read lazily, a batch at a
        time: a caller may pass a generator, or an async source of chunks that chooses the
        audience as it goes and lets the loop run between chunks (a rare audience among
        100k subscribers is otherwise one long synchronous scan for its first batch).
        ``posts_for(batch)`` names the post variants a batch needs that were not handed
        out before (``note.posts`` and earlier batches'); they join the notification's
        posts in the batch's own transaction, before its rows exist. Each batch is one
        ``INSERT ... SELECT`` over subscription ids, so the row values are bound once per
        batch, not once per row. The notification counts as known (``queued``) only once
        every batch is in.
        """
        values = {"key": note.key, "expires": note.expires or NEVER, "now": now}
        batches = _batches(targets)
        batch: list[Target] = await anext(batches, [])
        posts = dict(note.posts)
        if posts_for is not None:
            posts.update(posts_for(batch))
        notification = {
            "key": note.key,
            "kind": note.kind,
            "series_id": note.series_id,
            "session_key": note.session_key,
            "session_kind": note.session_kind,
            "lead": note.lead,
            "due": note.due,
            "expires": note.expires,
            "posts": posts,
            "version": 1,
            "created_at": now,
            "queued": False,
        }
        added = 0
        first = True
        while batch or first:
            more = posts_for(batch) if posts_for is not None and not first else {}
            async with self._db.write() as conn:
                if first:
                    await conn.execute(self._insert_notification, notification)
                if more:  # variants new to this batch; a repeat keeps what is stored
                    await self._add_posts(conn, note.key, more)
                if batch:
                    ids = [t.id for t in batch]
                    result = await conn.execute(self._queue_rows, {**values, "ids": ids})
                    added += max(result.rowcount or 0, 0)
            if on_batch is not None and batch:
                on_batch(batch)
                if first:
                    # Let the woken worker queue its claim for the write lock before the
                    # next batch takes it (SQLite's writes take turns, first come first).
                    for _ in range(HANDOFF_TURNS):
                        await asyncio.sleep(0)
            first = False
            batch = await anext(batches, [])
        async with self._db.write() as conn:
            await conn.execute(
                update(Notification).where(Notification.key == note.key).values(queued=True)
            )
        return added

    @staticmethod
    async def _add_posts(conn: AsyncConnection, key: str, more: dict[str, str]) -> None:
        """Add the variants in ``more`` the stored notification does not have yet."""
        stored = await conn.scalar(select(Notification.posts).where(Notification.key == key))
        merged = {**more, **(stored or {})}
        if merged != stored:
            await conn.execute(
                update(Notification).where(Notification.key == key).values(posts=merged)
            )

    async def revise_notification(
        self,
        key: str,
        posts: dict[str, str],
        now: datetime,
        targets: Sequence[Target] = (),
    ) -> int:
        """Correct a notification's text: sent deliveries are queued for an edit, and each
        of ``targets`` that never had a row (subscribed since the first publish) gets one.

        A row out for sending right now keeps its claim; its mark sees the newer version
        and queues the edit (see ``bot.store.claims._MARK_SENT``). Returns the rows queued.
        """
        async with self._db.write() as conn:
            note = (
                await conn.execute(select(Notification.expires).where(Notification.key == key))
            ).first()
            if note is None:
                return 0
            await conn.execute(
                update(Notification)
                .where(Notification.key == key)
                .values(posts=posts, version=Notification.version + 1)
            )
            result = await conn.execute(
                update(Delivery)
                .where(Delivery.notification_key == key, Delivery.status == SENT)
                .values(status=PENDING, next_attempt_at=now, updated_at=now)
                .returning(Delivery.id)
            )
            changed = len(result.all())
            rows = [
                {
                    "notification_key": key,
                    "subscription_id": t.id,
                    "platform": t.platform,
                    "status": PENDING,
                    "expires": note[0] or NEVER,
                    "next_attempt_at": now,
                    "attempts": 0,
                    "sent_version": 0,
                    "updated_at": now,
                }
                for t in targets
            ]
            if rows:  # an existing row (sent, failed, ...) is left as it is
                changed += len((await conn.execute(self._insert_deliveries, rows)).all())
            return changed

    async def supersede_unplanned(self, keep: set[str], now: datetime) -> int:
        """Withdraw unsent reminders the current plan no longer has (delayed, removed)."""
        async with self._db.writing() as db:
            pending = set(
                await db.scalars(
                    select(Delivery.notification_key)
                    .join(Notification, Notification.key == Delivery.notification_key)
                    .where(
                        Delivery.status == PENDING,
                        Notification.kind.in_(("lead", "live", "preview")),
                    )
                    .distinct()
                )
            )
            stale = sorted(pending - keep)
            if not stale:
                return 0
            result = await db.execute(
                update(Delivery)
                .where(Delivery.notification_key.in_(stale), Delivery.status == PENDING)
                .values(status=SUPERSEDED, updated_at=now)
                .returning(Delivery.id)
            )
            return len(result.all())

    async def prune(self, before: datetime, limit: int = 500) -> int:
        """Delete up to ``limit`` settled deliveries last changed before ``before``.

        One short transaction found through ``ix_deliveries_settled``; the caller repeats
        it, so the write lock (SQLite) is free between batches for claims and marks. The
        notification rows stay (small, and they keep a fire from repeating).
        """
        chosen = (
            select(Delivery.id)
            .where(Delivery.status.in_(SETTLED), Delivery.updated_at < before)
            .limit(limit)
            .scalar_subquery()
        )
        async with self._db.write() as conn:
            result = await conn.execute(delete(Delivery).where(Delivery.id.in_(chosen)))
            return int(result.rowcount or 0)

    async def delivery_counts(
        self, key_prefix: str | None = None, *, platform: str | None = None
    ) -> dict[str, int]:
        """Deliveries by status (of one notification prefix, of one platform)."""
        async with self._db.session() as db:
            query = select(Delivery.status, func.count()).group_by(Delivery.status)
            if key_prefix:
                query = query.where(Delivery.notification_key.startswith(key_prefix))
            if platform:
                query = query.where(Delivery.platform == platform)
            return {status: count for status, count in (await db.execute(query)).all()}

    async def deliveries_for(self, key: str) -> list[DeliveryRecord]:
        """Every delivery of one notification, in the order they were queued (tools, tests)."""
        async with self._db.session() as db:
            rows = await db.execute(
                select(Delivery, Subscription)
                .join(Subscription, Subscription.id == Delivery.subscription_id)
                .where(Delivery.notification_key == key)
                .order_by(Delivery.id)
            )
            return [
                DeliveryRecord(
                    platform=d.platform,
                    chat_id=s.chat_id,
                    status=d.status,
                    message_ids=tuple(d.message_ids or ()),
                    attempts=d.attempts,
                    error=d.error,
                )
                for d, s in rows.all()
            ]


async def _batches(
    targets: Iterable[Target] | AsyncIterable[Sequence[Target]],
) -> AsyncIterator[list[Target]]:
    """The audience cut into batches: the first one small (``FIRST_BATCH``), the rest
    ``BATCH``; never an empty one. From an async source the first batch goes as soon as
    one chunk has given any target, so a rare audience's first rows do not wait for a scan
    of every subscriber."""
    if not isinstance(targets, AsyncIterable):
        source = iter(targets)
        size = FIRST_BATCH
        while batch := list(islice(source, size)):
            yield batch
            size = BATCH
        return
    buffer: list[Target] = []
    size = FIRST_BATCH
    async for chunk in targets:
        buffer.extend(chunk)
        while len(buffer) >= size or (size == FIRST_BATCH and buffer):
            batch, buffer = buffer[:size], buffer[size:]
            yield batch
            size = BATCH
    if buffer:
        yield buffer
