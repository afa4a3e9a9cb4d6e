"""The one storage interface: SQLAlchemy 2 (async) on SQLite by default, PostgreSQL by URL.

Every method is a short transaction. The outbox is claimed with ``FOR UPDATE SKIP LOCKED``
(PostgreSQL) and a status-guarded ``UPDATE ... RETURNING`` (both), so several bot
processes on one database never send the same delivery twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import (
    Connection,
    PoolResetState,
    Table,
    bindparam,
    case,
    delete,
    event,
    func,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.sql.expression import Executable

from bot.core.audience import Target
from bot.core.model import SessionKind
from bot.core.notices import NotificationData, SessionStateInfo
from bot.store import migrate
from bot.store.health import Health, is_outage
from bot.store.tables import (
    AuditEntry,
    Delivery,
    Notification,
    PendingAction,
    ResultRow,
    SessionState,
    StandingsRow,
    Subscription,
)

#: How long ``targets()`` may answer from memory. This process's own subscription changes
#: drop the copy at once; the age bounds how late a change made elsewhere (another process,
#: by hand in the database) is seen: like taking the audience that much before the due time.
TARGETS_MAX_AGE = 1.0

PENDING, SENDING, SENT, FAILED, EXPIRED, SUPERSEDED = (
    "pending",
    "sending",
    "sent",
    "failed",
    "expired",
    "superseded",
)


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


def normalize_url(url: str) -> str:
    """Accept plain sqlite:/// and postgresql:// URLs and pick the async drivers."""
    parsed = make_url(url)
    if parsed.drivername in ("sqlite", "sqlite+pysqlite"):
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    return parsed.render_as_string(hide_password=False)


#: The subscription columns a Target is built from (also selected by the Core queries).
_TARGET_COLUMNS = (
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
)


def _target(row: Subscription) -> Target:
    return _target_from({name: getattr(row, name) for name in _TARGET_COLUMNS})


def _target_from(row: Mapping[Any, Any]) -> Target:
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
    )


def _left_open(dbapi_conn: Any) -> bool:
    """Whether SQLAlchemy's aiosqlite connection is inside a transaction (True if unsure)."""
    try:
        return bool(dbapi_conn._connection.in_transaction)  # aiosqlite reads it in place
    except Exception:
        return True


def _target_columns() -> list[Any]:
    table = Subscription.__table__
    return [table.c[name] for name in _TARGET_COLUMNS]


# -- the statements every reminder goes through, built once -----------------------------
# Building a SQLAlchemy statement costs about as much CPU as running it on SQLite, so the
# hot path binds parameters into statements made at import (the inserts, which differ by
# dialect, per Store). Bind names must not be column names in an UPDATE's SET.

_DELIVERIES = cast(Table, Delivery.__table__)
_NOTIFICATIONS = cast(Table, Notification.__table__)

_TARGETS_ALL = select(*_target_columns()).order_by(Subscription.id)
_TARGETS_ACTIVE = _TARGETS_ALL.where(Subscription.active.is_(True))

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
        *_target_columns(),
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


class Store:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)
        self.is_postgres = engine.dialect.name == "postgresql"
        # SQLite lets one connection write at a time and makes the others poll in its busy
        # handler, which sleeps in growing steps (1, 2, 5, 10 ms ...). Queueing this
        # process's writers on a lock instead hands the database over without those sleeps;
        # other processes still meet busy_timeout.
        self._write_lock = None if self.is_postgres else asyncio.Lock()
        #: Whether the database answers; every write reports here (see bot.store.health).
        self.health = Health()
        # The active targets, read once and shared by the fires of a busy moment.
        self._targets: tuple[Target, ...] | None = None
        self._targets_read_at = 0.0
        self._targets_generation = 0
        insert = postgresql.insert if self.is_postgres else sqlite.insert
        self._insert_notification: Executable = insert(_NOTIFICATIONS).on_conflict_do_nothing(
            index_elements=["key"]
        )
        self._insert_deliveries: Executable = (
            insert(_DELIVERIES)
            .on_conflict_do_nothing(index_elements=["notification_key", "subscription_id"])
            .returning(_DELIVERIES.c.id)
        )

    @classmethod
    async def open(cls, url: str) -> Store:
        """Connect, create the SQLite file's folder if needed, and migrate in place."""
        url = normalize_url(url)
        parsed = make_url(url)
        if parsed.drivername.startswith("sqlite") and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - once at start
        # A ping per checkout finds PostgreSQL connections the server dropped; a SQLite
        # file cannot drop one, and the ping would be one more thread hop per transaction.
        sqlite_url = parsed.drivername.startswith("sqlite")
        engine = create_async_engine(
            url,
            pool_pre_ping=not sqlite_url,
            pool_reset_on_return=None if sqlite_url else "rollback",
        )
        if engine.dialect.name == "sqlite":

            @event.listens_for(engine.sync_engine, "reset")
            def _reset(dbapi_conn: Any, _record: Any, state: PoolResetState) -> None:
                # The pool's default is a ROLLBACK on every return: one more thread hop
                # after each commit. Roll back only a transaction left open.
                if not state.terminate_only and state.asyncio_safe and _left_open(dbapi_conn):
                    dbapi_conn.rollback()

            @event.listens_for(engine.sync_engine, "connect")
            def _pragmas(dbapi_conn: Any, _record: Any) -> None:
                cursor = dbapi_conn.cursor()
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA busy_timeout=5000")
                cursor.close()

        async with engine.begin() as conn:
            await conn.run_sync(_upgrade)
        return cls(engine)

    async def close(self) -> None:
        await self.engine.dispose()

    @asynccontextmanager
    async def _writing(self) -> AsyncIterator[AsyncSession]:
        """An ORM transaction that writes, queued behind this process's other writers."""
        async with self._queued(), self._sessions.begin() as db:
            yield db

    @asynccontextmanager
    async def _changing_subscriptions(self) -> AsyncIterator[AsyncSession]:
        """A write to subscriptions: the targets read from memory are dropped after it."""
        try:
            async with self._writing() as db:
                yield db
        finally:
            self._targets = None
            self._targets_generation += 1

    @asynccontextmanager
    async def _write(self) -> AsyncIterator[AsyncConnection]:
        """A Core transaction that writes; the hot outbox paths skip the ORM's overhead."""
        async with self._queued(), self.engine.begin() as conn:
            yield conn

    @asynccontextmanager
    async def _queued(self) -> AsyncIterator[None]:
        """One write: queued behind this process's others (SQLite), reported to ``health``."""
        async with self._write_lock or contextlib.nullcontext():
            try:
                yield
            except Exception as exc:
                if is_outage(exc):
                    self.health.failed("write", exc)
                raise
        self.health.ok()

    @asynccontextmanager
    async def _read(self) -> AsyncIterator[AsyncConnection]:
        """A read the delivery path depends on; a failure marks the database degraded (only
        a write clears it: a full disk still reads)."""
        try:
            async with self.engine.connect() as conn:
                yield conn
        except Exception as exc:
            if is_outage(exc):
                self.health.failed("read", exc)
            raise

    # -- subscriptions -------------------------------------------------------------------

    async def subscribe(self, platform: str, chat_id: str, now: datetime, **fields: Any) -> Target:
        """Create or reactivate a subscription; only the given fields change."""
        async with self._changing_subscriptions() as db:
            row = await db.scalar(
                select(Subscription).where(
                    Subscription.platform == platform, Subscription.chat_id == chat_id
                )
            )
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

    async def update_subscription(
        self, platform: str, chat_id: str, now: datetime, **fields: Any
    ) -> Target | None:
        async with self._changing_subscriptions() as db:
            row = await db.scalar(
                select(Subscription).where(
                    Subscription.platform == platform, Subscription.chat_id == chat_id
                )
            )
            if row is None:
                return None
            for name, value in fields.items():
                setattr(row, name, list(value) if isinstance(value, tuple) else value)
            row.updated_at = now
            return _target(row)

    async def get_subscription(self, platform: str, chat_id: str) -> Target | None:
        async with self._sessions() as db:
            row = await db.scalar(
                select(Subscription).where(
                    Subscription.platform == platform, Subscription.chat_id == chat_id
                )
            )
            return _target(row) if row else None

    async def deactivate(self, subscription_id: int, reason: str, now: datetime) -> None:
        """Stop posting to a target (blocked, kicked, channel gone) and drop its queue."""
        async with self._changing_subscriptions() as db:
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
        async with self._changing_subscriptions() as db:
            existing = await db.scalar(
                select(Subscription).where(
                    Subscription.platform == platform, Subscription.chat_id == new_chat_id
                )
            )
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

        Every write to subscriptions through this Store drops the copy, so the next call
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
        async with self._read() as conn:
            found = [_target_from(row) for row in (await conn.execute(query)).mappings()]
        if active_only and generation == self._targets_generation:  # no change meanwhile
            self._targets, self._targets_read_at = tuple(found), started
        return found

    # -- notifications and the outbox ---------------------------------------------------

    async def known_notifications(self, keys: Iterable[str]) -> set[str]:
        wanted = list(keys)
        found: set[str] = set()
        async with self._read() as conn:
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
        async with self._write() as conn:
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
        async with self._write() as conn:
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
        async with self._write() as conn:
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
        async with self._write() as conn:
            claimed_ids = [row[0] for row in (await conn.execute(_CLAIM, take)).all()]
            if not claimed_ids:
                return []
            rows = await conn.execute(_CLAIMED, {"c_ids": claimed_ids})
            out = []
            for row in rows.mappings():
                target = _target_from(row)
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
        async with self._write() as conn:
            result = await conn.execute(query.values(**values).returning(Delivery.id))
            return bool(result.all())

    async def renew(
        self, delivery_ids: Sequence[int], worker: str, until: datetime, now: datetime
    ) -> set[int]:
        """Extend this worker's lease on rows it still holds (waiting to send, or sent and
        waiting for their mark), so no one hands them back while they are in hand."""
        if not delivery_ids:
            return set()
        async with self._write() as conn:
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
        async with self._write() as conn:
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
        async with self._writing() as db:
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
        async with self._read() as conn:
            result: datetime | None = await conn.scalar(_NEXT_ATTEMPT, {"n_platform": platform})
            return result

    async def delivery_counts(self, key_prefix: str | None = None) -> dict[str, int]:
        async with self._sessions() as db:
            query = select(Delivery.status, func.count()).group_by(Delivery.status)
            if key_prefix:
                query = query.where(Delivery.notification_key.startswith(key_prefix))
            return {status: count for status, count in (await db.execute(query)).all()}

    async def deliveries_for(self, key: str) -> list[dict[str, Any]]:
        async with self._sessions() as db:
            rows = await db.execute(
                select(Delivery, Subscription)
                .join(Subscription, Subscription.id == Delivery.subscription_id)
                .where(Delivery.notification_key == key)
                .order_by(Delivery.id)
            )
            return [
                {
                    "platform": d.platform,
                    "chat_id": s.chat_id,
                    "status": d.status,
                    "message_ids": d.message_ids or [],
                    "attempts": d.attempts,
                    "error": d.error,
                }
                for d, s in rows.all()
            ]

    # -- sessions: staff overrides and calendar revisions -------------------------------

    async def session_states(self) -> dict[str, SessionStateInfo]:
        async with self._sessions() as db:
            return {
                row.session_key: SessionStateInfo(
                    row.session_key,
                    row.start_override,
                    row.cancelled,
                    row.fingerprint,
                    row.sequence,
                    row.modified_at,
                )
                for row in await db.scalars(select(SessionState))
            }

    async def set_override(
        self,
        session_key: str,
        now: datetime,
        *,
        start: datetime | None = None,
        cancelled: bool | None = None,
    ) -> None:
        async with self._writing() as db:
            row = await db.get(SessionState, session_key)
            if row is None:
                row = SessionState(
                    session_key=session_key, fingerprint="", sequence=0, modified_at=now
                )
                db.add(row)
            if start is not None:
                row.start_override = start
            if cancelled is not None:
                row.cancelled = cancelled

    async def record_fingerprints(
        self, fingerprints: dict[str, str], now: datetime
    ) -> dict[str, SessionStateInfo]:
        """Bump SEQUENCE for every session whose time or status changed since last seen."""
        async with self._writing() as db:
            rows = {row.session_key: row for row in await db.scalars(select(SessionState))}
            for key, fingerprint in fingerprints.items():
                row = rows.get(key)
                if row is None:
                    row = SessionState(
                        session_key=key, fingerprint=fingerprint, sequence=0, modified_at=now
                    )
                    db.add(row)
                    rows[key] = row
                elif row.fingerprint != fingerprint:
                    if row.fingerprint:
                        row.sequence += 1
                        row.modified_at = now
                    row.fingerprint = fingerprint
            return {
                key: SessionStateInfo(
                    key, r.start_override, r.cancelled, r.fingerprint, r.sequence, r.modified_at
                )
                for key, r in rows.items()
            }

    # -- results and standings ----------------------------------------------------------

    async def save_results(
        self,
        series_id: str,
        event_id: str,
        session_id: str,
        results: Sequence[dict[str, Any]],
        by: str,
        now: datetime,
        *,
        removed: Sequence[str] = (),
    ) -> None:
        """Replace the given drivers' results and delete the ``removed`` drivers' results
        for one session, in one transaction."""
        async with self._writing() as db:
            if removed:
                await db.execute(
                    delete(ResultRow).where(
                        ResultRow.series_id == series_id,
                        ResultRow.event_id == event_id,
                        ResultRow.session_id == session_id,
                        ResultRow.driver_id.in_(removed),
                    )
                )
            for item in results:
                await db.merge(
                    ResultRow(
                        series_id=series_id,
                        event_id=event_id,
                        session_id=session_id,
                        driver_id=item["driver_id"],
                        position=item.get("position"),
                        status=item.get("status"),
                        class_positions=item.get("class_positions") or None,
                        note=item.get("note"),
                        updated_at=now,
                        updated_by=by,
                    )
                )

    async def results(self, series_id: str, event_id: str) -> list[dict[str, Any]]:
        async with self._sessions() as db:
            rows = await db.scalars(
                select(ResultRow).where(
                    ResultRow.series_id == series_id, ResultRow.event_id == event_id
                )
            )
            return [
                {
                    "session_id": r.session_id,
                    "driver_id": r.driver_id,
                    "position": r.position,
                    "status": r.status,
                    "class_positions": r.class_positions or {},
                    "note": r.note,
                    "updated_at": r.updated_at,
                }
                for r in rows
            ]

    async def latest_results_event(self) -> tuple[str, str] | None:
        async with self._sessions() as db:
            row = (
                await db.execute(
                    select(ResultRow.series_id, ResultRow.event_id)
                    .order_by(ResultRow.updated_at.desc())
                    .limit(1)
                )
            ).first()
            return (row[0], row[1]) if row else None

    async def save_standings(
        self, series_id: str, event_id: str | None, tables: list[Any], by: str, now: datetime
    ) -> None:
        async with self._writing() as db:
            db.add(
                StandingsRow(
                    series_id=series_id,
                    event_id=event_id,
                    tables=tables,
                    created_at=now,
                    created_by=by,
                )
            )

    async def latest_standings(self, series_id: str | None = None) -> tuple[str, list[Any]] | None:
        async with self._sessions() as db:
            query = select(StandingsRow).order_by(StandingsRow.id.desc()).limit(1)
            if series_id:
                query = query.where(StandingsRow.series_id == series_id)
            row = await db.scalar(query)
            return (row.series_id, row.tables) if row else None

    # -- audit log and pending confirmations --------------------------------------------

    async def audit(
        self,
        platform: str,
        user_id: str,
        user_name: str | None,
        action: str,
        detail: dict[str, Any],
        now: datetime,
    ) -> None:
        async with self._writing() as db:
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

    async def audit_log(self, limit: int = 50) -> list[dict[str, Any]]:
        async with self._sessions() as db:
            rows = await db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
            return [
                {
                    "at": r.at,
                    "platform": r.platform,
                    "user_id": r.user_id,
                    "user_name": r.user_name,
                    "action": r.action,
                    "detail": r.detail,
                }
                for r in rows
            ]

    async def put_pending(
        self,
        token: str,
        platform: str,
        user_id: str,
        action: str,
        payload: dict[str, Any],
        now: datetime,
        ttl: timedelta,
    ) -> None:
        async with self._writing() as db:
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

    async def take_pending(
        self, token: str, platform: str, user_id: str, now: datetime
    ) -> tuple[str, dict[str, Any]] | None:
        """Remove and return a pending action; only its author may take it, only once."""
        async with self._writing() as db:
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
            return (row[0], row[1]) if row else None

    async def latest_pending(self, platform: str, user_id: str, now: datetime) -> str | None:
        async with self._sessions() as db:
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


def _upgrade(connection: Connection) -> None:
    migrate.upgrade(connection)


__all__ = [
    "EXPIRED",
    "FAILED",
    "PENDING",
    "SENDING",
    "SENT",
    "SUPERSEDED",
    "ClaimedDelivery",
    "NotificationData",
    "SentMark",
    "SessionStateInfo",
    "Store",
]
