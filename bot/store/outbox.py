"""The outbox: notifications and one durable delivery row per (notification, target).

Claimed with ``FOR UPDATE SKIP LOCKED`` (PostgreSQL) and a status-guarded
``UPDATE ... RETURNING`` (both), so several bot processes on one database never send the
same delivery twice. The hot paths use Core statements built once at import.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, case, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.expression import Executable

from bot.core.audience import Target
from bot.core.notices import NotificationData
from bot.store.db import Database
from bot.store.status import PENDING, SENDING, SENT, SUPERSEDED
from bot.store.subscriptions import target_columns, target_from
from bot.store.tables import Delivery, Notification, Subscription


@dataclass(frozen=True, slots=True)
class ClaimedDelivery:
    """A delivery this worker now owns until ``lease_until``; what to send and where."""

    id: int
    notification_key: str
    target: Target
    post_json: str
    expires: datetime | None
    attempts: int
    message_ids: tuple[str, ...]
    version: int
    sent_version: int

    @property
    def is_edit(self) -> bool:
        return bool(self.message_ids) and self.sent_version < self.version

    @property
    def idempotency_key(self) -> str:
        """The same for every attempt of this (notification, target): a platform that can
        recognise a repeated send by it (Discord's nonce) posts it once."""
        return f"{self.notification_key}#{self.target.id}"


@dataclass(frozen=True, slots=True)
class SentMark:
    """A send that went out: the delivery, the platform's message ids, the text version."""

    delivery_id: int
    message_ids: tuple[str, ...]
    version: int
    at: datetime


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    """Where one delivery of a notification stands: to which chat, sent or not, and why."""

    platform: str
    chat_id: str
    status: str
    message_ids: tuple[str, ...]
    attempts: int
    error: str | None


# -- the statements every reminder goes through, built once -----------------------------
# Building a SQLAlchemy statement costs about as much CPU as running it on SQLite, so the
# hot path binds parameters into statements made at import (the inserts, which differ by
# dialect, per Store). Bind names must not be column names in an UPDATE's SET.

_DELIVERIES = cast(Table, Delivery.__table__)
_NOTIFICATIONS = cast(Table, Notification.__table__)


#: Take up to ``c_limit`` ready rows, oldest due first: PostgreSQL locks the candidates
#: (SKIP LOCKED: concurrent workers take different rows); SQLite, which has no row locks,
#: relies on the status guard, checked again by the UPDATE itself.
_CLAIM = (
    update(Delivery)
    .where(
        Delivery.id.in_(
            select(Delivery.id)
            .where(
                Delivery.platform == bindparam("c_platform"),
                Delivery.status == PENDING,
                Delivery.next_attempt_at <= bindparam("c_now"),
            )
            .order_by(Delivery.next_attempt_at, Delivery.id)
            .limit(bindparam("c_limit"))
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        ),
        Delivery.status == PENDING,
    )
    .values(
        status=SENDING,
        claimed_by=bindparam("c_worker"),
        claimed_until=bindparam("c_until"),
        attempts=Delivery.attempts + 1,
        updated_at=bindparam("c_now"),
    )
    .returning(Delivery.id)
)

#: What to send for the claimed rows: the post, the target, the state of earlier sends.
_CLAIMED = (
    select(
        Delivery.id.label("delivery_id"),
        Delivery.expires.label("delivery_expires"),
        Delivery.attempts.label("delivery_attempts"),
        Delivery.message_ids.label("delivery_message_ids"),
        Delivery.sent_version.label("delivery_sent_version"),
        Notification.key.label("note_key"),
        Notification.posts.label("note_posts"),
        Notification.version.label("note_version"),
        *target_columns(),
    )
    .join(Notification, Notification.key == Delivery.notification_key)
    .join(Subscription, Subscription.id == Delivery.subscription_id)
    .where(Delivery.id.in_(bindparam("c_ids", expanding=True)))
    .order_by(Notification.due, Delivery.id)
)

#: The notification's current text version, for a row being marked.
_CURRENT_VERSION = (
    select(Notification.version)
    .where(Notification.key == Delivery.notification_key)
    .scalar_subquery()
)

#: Record a send of text version ``m_version``. If the notification was revised while the
#: row was out (claimed with the older text), the row goes back to pending with the new
#: message ids, so the next claim edits it to the newer text instead of leaving it stale.
#: A mark never overwrites a newer version's mark, and is written whoever holds the row
#: now: the send happened, so the row must not go out again.
_MARK_SENT = (
    update(Delivery)
    .where(Delivery.id == bindparam("m_id"), Delivery.sent_version <= bindparam("m_version"))
    .values(
        status=case((bindparam("m_version") < _CURRENT_VERSION, PENDING), else_=SENT),
        message_ids=bindparam("m_message_ids", type_=_DELIVERIES.c.message_ids.type),
        sent_version=bindparam("m_version"),
        sent_at=bindparam("m_at", type_=_DELIVERIES.c.sent_at.type),
        next_attempt_at=bindparam("m_at", type_=_DELIVERIES.c.next_attempt_at.type),
        claimed_by=None,
        claimed_until=None,
        error=None,
        updated_at=bindparam("m_at", type_=_DELIVERIES.c.updated_at.type),
    )
)

_NEXT_ATTEMPT = select(func.min(Delivery.next_attempt_at)).where(
    Delivery.platform == bindparam("n_platform"), Delivery.status == PENDING
)


class Outbox:
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
                "expires": note.expires,
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
        and queues the edit (see ``_MARK_SENT``). Returns the rows queued.
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
                    "expires": note[0],
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

    async def requeue_stale(self, now: datetime) -> int:
        """Hand back deliveries whose worker died mid-send (lease ran out)."""
        async with self._db.write() as conn:
            result = await conn.execute(
                update(Delivery)
                .where(Delivery.status == SENDING, Delivery.claimed_until < now)
                .values(status=PENDING, claimed_by=None, claimed_until=None, updated_at=now)
                .returning(Delivery.id)
            )
            return len(result.all())

    async def claim(
        self, platform: str, worker: str, now: datetime, limit: int, lease: timedelta
    ) -> list[ClaimedDelivery]:
        """Take up to ``limit`` ready deliveries for this worker, oldest due first.

        Two statements in one short transaction: a guarded UPDATE takes the rows (see
        ``_CLAIM``), a join reads what to send.
        """
        take = {
            "c_platform": platform,
            "c_now": now,
            "c_limit": limit,
            "c_worker": worker,
            "c_until": now + lease,
        }
        async with self._db.write() as conn:
            claimed_ids = [row[0] for row in (await conn.execute(_CLAIM, take)).all()]
            if not claimed_ids:
                return []
            rows = await conn.execute(_CLAIMED, {"c_ids": claimed_ids})
            out = []
            for row in rows.mappings():
                target = target_from(row)
                posts: dict[str, str] = row["note_posts"]
                post = (
                    posts.get(f"{target.language}|{target.timezone}")
                    or posts.get(target.language)
                    or next(iter(posts.values()))
                )
                out.append(
                    ClaimedDelivery(
                        id=row["delivery_id"],
                        notification_key=row["note_key"],
                        target=target,
                        post_json=post,
                        expires=row["delivery_expires"],
                        attempts=row["delivery_attempts"],
                        message_ids=tuple(row["delivery_message_ids"] or ()),
                        version=row["note_version"],
                        sent_version=row["delivery_sent_version"],
                    )
                )
            return out

    async def _finish(self, delivery_id: int, worker: str | None, **values: Any) -> bool:
        """Settle a claimed row; with ``worker``, only while that worker still holds it.

        A worker whose lease ran out (it was slow, or the database was away) must not put
        back a row another worker has sent meanwhile: that would send it twice.
        """
        query = update(Delivery).where(Delivery.id == delivery_id)
        if worker is not None:
            query = query.where(Delivery.claimed_by == worker, Delivery.status == SENDING)
        async with self._db.write() as conn:
            result = await conn.execute(query.values(**values).returning(Delivery.id))
            return bool(result.all())

    async def renew(
        self, delivery_ids: Sequence[int], worker: str, until: datetime, now: datetime
    ) -> set[int]:
        """Extend this worker's lease on rows it still holds (waiting to send, or sent and
        waiting for their mark), so no one hands them back while they are in hand."""
        if not delivery_ids:
            return set()
        async with self._db.write() as conn:
            result = await conn.execute(
                update(Delivery)
                .where(
                    Delivery.id.in_(list(delivery_ids)),
                    Delivery.claimed_by == worker,
                    Delivery.status == SENDING,
                )
                .values(claimed_until=until, updated_at=now)
                .returning(Delivery.id)
            )
            return {row[0] for row in result.all()}

    async def mark_sent(
        self, delivery_id: int, message_ids: Sequence[str], version: int, now: datetime
    ) -> None:
        await self.mark_sent_many([SentMark(delivery_id, tuple(message_ids), version, now)])

    async def mark_sent_many(self, marks: Sequence[SentMark]) -> None:
        """Record several sends in one transaction: one commit instead of one per send."""
        if not marks:
            return
        params = [
            {
                "m_id": mark.delivery_id,
                "m_message_ids": list(mark.message_ids),
                "m_version": mark.version,
                "m_at": mark.at,
            }
            for mark in marks
        ]
        async with self._db.write() as conn:
            await conn.execute(_MARK_SENT, params)

    async def mark_retry(
        self,
        delivery_id: int,
        at: datetime,
        error: str,
        now: datetime,
        worker: str | None = None,
    ) -> bool:
        return await self._finish(
            delivery_id,
            worker,
            status=PENDING,
            next_attempt_at=at,
            claimed_by=None,
            claimed_until=None,
            error=error[:500],
            updated_at=now,
        )

    async def mark_final(
        self,
        delivery_id: int,
        status: str,
        error: str,
        now: datetime,
        worker: str | None = None,
    ) -> bool:
        return await self._finish(
            delivery_id,
            worker,
            status=status,
            claimed_by=None,
            claimed_until=None,
            error=error[:500],
            updated_at=now,
        )

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

    async def next_attempt(self, platform: str) -> datetime | None:
        async with self._db.read() as conn:
            result: datetime | None = await conn.scalar(_NEXT_ATTEMPT, {"n_platform": platform})
            return result

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
