"""The outbox: notifications and one durable delivery row per (notification, target).

Queueing is idempotent (a repeat adds nothing), a revision queues edits of what was sent,
and a changed plan withdraws what is no longer due. Sending is ``bot.store.claims``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
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
        self._insert_deliveries: Executable = (
            insert(_DELIVERIES)
            .on_conflict_do_nothing(index_elements=["notification_key", "subscription_id"])
            .returning(_DELIVERIES.c.id)
        )

    async def known_notifications(self, keys: Iterable[str]) -> set[str]:
        wanted = list(keys)
        found: set[str] = set()
        async with self._db.read() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                found.update(
                    await conn.scalars(select(Notification.key).where(Notification.key.in_(chunk)))
                )
        return found

    async def enqueue(
        self, note: NotificationData, targets: Sequence[Target], now: datetime
    ) -> int:
        """Record the notification and one delivery per target; repeats add nothing.

        Plain rows into the tables (no per-row expression building), the deliveries as one
        executemany that SQLAlchemy sends as multi-row INSERTs: cheap for 5 or 5,000 rows.
        """
        notification = {
            "key": note.key,
            "kind": note.kind,
            "series_id": note.series_id,
            "session_key": note.session_key,
            "session_kind": note.session_kind,
            "lead": note.lead,
            "due": note.due,
            "expires": note.expires,
            "posts": note.posts,
            "version": 1,
            "created_at": now,
        }
        rows = [
            {
                "notification_key": note.key,
                "subscription_id": t.id,
                "platform": t.platform,
                "status": PENDING,
                "expires": note.expires or NEVER,
                "next_attempt_at": now,
                "attempts": 0,
                "sent_version": 0,
                "updated_at": now,
            }
            for t in targets
        ]
        async with self._db.write() as conn:
            await conn.execute(self._insert_notification, notification)
            if not rows:
                return 0
            return len((await conn.execute(self._insert_deliveries, rows)).all())

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

    async def delivery_counts(self, key_prefix: str | None = None) -> dict[str, int]:
        async with self._db.session() as db:
            query = select(Delivery.status, func.count()).group_by(Delivery.status)
            if key_prefix:
                query = query.where(Delivery.notification_key.startswith(key_prefix))
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
