"""The sending side of the outbox: a worker claims ready deliveries under a lease, renews
it while they are in hand, and marks each sent, to retry, or final.

Claimed with ``FOR UPDATE SKIP LOCKED`` (PostgreSQL) and a status-guarded
``UPDATE ... RETURNING`` (both), so several bot processes on one database never send the
same delivery twice. A worker whose lease ran out is handed back by ``requeue_stale``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, bindparam, case, func, select, update

from bot.core.audience import Target
from bot.store.db import Database
from bot.store.status import PENDING, SENDING, SENT
from bot.store.subscriptions import target_columns, target_from
from bot.store.tables import NEVER, Delivery, Notification, Subscription


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
    #: When the notification was due (the worker measures how late it went out).
    due: datetime | None = None

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


# -- the statements every send goes through, built once ---------------------------------
# Building a SQLAlchemy statement costs about as much CPU as running it on SQLite, so the
# hot path binds parameters into statements made at import. Bind names must not be
# column names in an UPDATE's SET.

_DELIVERIES = cast(Table, Delivery.__table__)

#: Take up to ``c_limit`` ready rows, earliest deadline first (``expires``): a lead reminder
#: that stops being useful in 5 minutes goes before an announcement good for a day, and the
#: next session's reminders do not wait behind an unfinished fan-out. Read in deadline order
#: from ``ix_deliveries_deadline``; ``next_attempt_at`` is only a filter there (wrapped, so
#: SQLite does not prefer the range on it and then sort every ready row). PostgreSQL locks
#: the candidates (SKIP LOCKED: concurrent workers take different rows); SQLite, which has
#: no row locks, relies on the status guard, checked again by the UPDATE itself.
_CHOSEN = (
    select(Delivery.id)
    .where(
        Delivery.platform == bindparam("c_platform"),
        Delivery.status == PENDING,
        func.coalesce(Delivery.next_attempt_at, Delivery.next_attempt_at)
        <= bindparam("c_now", type_=_DELIVERIES.c.next_attempt_at.type),
    )
    .order_by(Delivery.expires, Delivery.id)
    .limit(bindparam("c_limit"))
    .with_for_update(skip_locked=True)
    # A CTE runs once: as a plain IN (subquery) PostgreSQL may run a LIMIT ... FOR UPDATE
    # subquery again per candidate row and take more than the limit.
    .cte("chosen")
)
_CLAIM = (
    update(Delivery)
    .where(Delivery.id.in_(select(_CHOSEN.c.id)), Delivery.status == PENDING)
    .values(
        status=SENDING,
        claimed_by=bindparam("c_worker"),
        claimed_until=bindparam("c_until"),
        attempts=Delivery.attempts + 1,
        updated_at=bindparam("c_now", type_=_DELIVERIES.c.updated_at.type),
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
        Notification.due.label("note_due"),
        *target_columns(),
    )
    .join(Notification, Notification.key == Delivery.notification_key)
    .join(Subscription, Subscription.id == Delivery.subscription_id)
    .where(Delivery.id.in_(bindparam("c_ids", expanding=True)))
    .order_by(Delivery.expires, Delivery.id)
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


def _deadline(expires: datetime | None) -> datetime | None:
    return None if expires is None or expires >= NEVER else expires


class Claims:
    """The worker's side: claim under a lease, renew, hand back, mark the outcome."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def requeue_stale(self, now: datetime) -> int:
        """Hand back deliveries whose worker died mid-send (lease ran out)."""
        return await self._hand_back(now, Delivery.claimed_until < now)

    async def take_over(self, platform: str, worker: str, now: datetime) -> int:
        """Hand back every row of ``platform`` another worker has out for sending: called
        by the new holder of the platform's lease (``bot.leases``), whose predecessor has
        stopped sending (stood down or died), so its rows need not wait for their lease."""
        return await self._hand_back(
            now, Delivery.platform == platform, Delivery.claimed_by != worker
        )

    async def _hand_back(self, now: datetime, *which: ColumnElement[bool]) -> int:
        async with self._db.write() as conn:
            result = await conn.execute(
                update(Delivery)
                .where(Delivery.status == SENDING, *which)
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
                        expires=_deadline(row["delivery_expires"]),
                        attempts=row["delivery_attempts"],
                        message_ids=tuple(row["delivery_message_ids"] or ()),
                        version=row["note_version"],
                        sent_version=row["delivery_sent_version"],
                        due=row["note_due"],
                    )
                )
            return out

    async def _finish(
        self,
        delivery_id: int,
        worker: str | None,
        status: str,
        error: str,
        now: datetime,
        **values: Any,
    ) -> bool:
        """Settle a claimed row (released, the error kept); with ``worker``, only while that
        worker still holds it.

        A worker whose lease ran out (it was slow, or the database was away) must not put
        back a row another worker has sent meanwhile: that would send it twice.
        """
        query = update(Delivery).where(Delivery.id == delivery_id)
        if worker is not None:
            query = query.where(Delivery.claimed_by == worker, Delivery.status == SENDING)
        async with self._db.write() as conn:
            result = await conn.execute(
                query.values(
                    status=status,
                    claimed_by=None,
                    claimed_until=None,
                    error=error[:500],
                    updated_at=now,
                    **values,
                ).returning(Delivery.id)
            )
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
        return await self._finish(delivery_id, worker, PENDING, error, now, next_attempt_at=at)

    async def mark_final(
        self,
        delivery_id: int,
        status: str,
        error: str,
        now: datetime,
        worker: str | None = None,
    ) -> bool:
        return await self._finish(delivery_id, worker, status, error, now)

    async def next_attempt(self, platform: str) -> datetime | None:
        async with self._db.read() as conn:
            result: datetime | None = await conn.scalar(_NEXT_ATTEMPT, {"n_platform": platform})
            return result
