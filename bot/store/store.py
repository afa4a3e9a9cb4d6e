"""The one storage interface: SQLAlchemy 2 (async) on SQLite by default, PostgreSQL by URL.

Every method is a short transaction. The outbox is claimed with ``FOR UPDATE SKIP LOCKED``
(PostgreSQL) and a status-guarded ``UPDATE ... RETURNING`` (both), so several bot
processes on one database never send the same delivery twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    async_sessionmaker,
    create_async_engine,
)

from bot.core.audience import Target
from bot.core.model import SessionKind
from bot.store import migrate
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

PENDING, SENDING, SENT, FAILED, EXPIRED, SUPERSEDED = (
    "pending",
    "sending",
    "sent",
    "failed",
    "expired",
    "superseded",
)


@dataclass(frozen=True, slots=True)
class NotificationData:
    key: str
    kind: str
    due: datetime
    expires: datetime | None
    posts: dict[str, str]  # language -> Post JSON
    series_id: str | None = None
    session_key: str | None = None
    session_kind: str | None = None
    lead: int | None = None


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


@dataclass(frozen=True, slots=True)
class SessionStateInfo:
    session_key: str
    start_override: datetime | None
    cancelled: bool
    fingerprint: str
    sequence: int
    modified_at: datetime


def normalize_url(url: str) -> str:
    """Accept plain sqlite:/// and postgresql:// URLs and pick the async drivers."""
    parsed = make_url(url)
    if parsed.drivername in ("sqlite", "sqlite+pysqlite"):
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    return parsed.render_as_string(hide_password=False)


def _target(row: Subscription) -> Target:
    return Target(
        id=row.id,
        platform=row.platform,
        chat_id=row.chat_id,
        chat_kind=row.chat_kind,
        language=row.language,
        timezone=row.timezone,
        series=tuple(row.series) if row.series is not None else None,
        kinds=tuple(SessionKind(k) for k in row.kinds) if row.kinds is not None else None,
        leads=tuple(int(m) for m in row.leads) if row.leads is not None else None,
        role_id=row.role_id,
        guild_id=row.guild_id,
        title=row.title,
        active=row.active,
    )


class Store:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)
        self.is_postgres = engine.dialect.name == "postgresql"

    @classmethod
    async def open(cls, url: str) -> Store:
        """Connect, create the SQLite file's folder if needed, and migrate in place."""
        url = normalize_url(url)
        parsed = make_url(url)
        if parsed.drivername.startswith("sqlite") and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - once at start
        engine = create_async_engine(url, pool_pre_ping=True)
        if engine.dialect.name == "sqlite":
            from sqlalchemy import event

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

    def _insert(self, table: Any) -> Any:
        return postgresql.insert(table) if self.is_postgres else sqlite.insert(table)

    # -- subscriptions -------------------------------------------------------------------

    async def subscribe(self, platform: str, chat_id: str, now: datetime, **fields: Any) -> Target:
        """Create or reactivate a subscription; only the given fields change."""
        async with self._sessions.begin() as db:
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
        async with self._sessions.begin() as db:
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
        async with self._sessions.begin() as db:
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
        async with self._sessions.begin() as db:
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
        async with self._sessions() as db:
            query = select(Subscription).order_by(Subscription.id)
            if active_only:
                query = query.where(Subscription.active.is_(True))
            return [_target(row) for row in await db.scalars(query)]

    # -- notifications and the outbox ---------------------------------------------------

    async def known_notifications(self, keys: Iterable[str]) -> set[str]:
        wanted = list(keys)
        found: set[str] = set()
        async with self._sessions() as db:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                found.update(
                    await db.scalars(select(Notification.key).where(Notification.key.in_(chunk)))
                )
        return found

    async def enqueue(
        self, note: NotificationData, targets: Sequence[Target], now: datetime
    ) -> int:
        """Record the notification and one delivery per target; repeats add nothing."""
        async with self._sessions.begin() as db:
            await db.execute(
                self._insert(Notification)
                .values(
                    key=note.key,
                    kind=note.kind,
                    series_id=note.series_id,
                    session_key=note.session_key,
                    session_kind=note.session_kind,
                    lead=note.lead,
                    due=note.due,
                    expires=note.expires,
                    posts=note.posts,
                    version=1,
                    created_at=now,
                )
                .on_conflict_do_nothing(index_elements=["key"])
            )
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
            added = 0
            for start in range(0, len(rows), 500):
                result = await db.execute(
                    self._insert(Delivery)
                    .values(rows[start : start + 500])
                    .on_conflict_do_nothing(index_elements=["notification_key", "subscription_id"])
                    .returning(Delivery.id)
                )
                added += len(result.all())
            return added

    async def revise_notification(self, key: str, posts: dict[str, str], now: datetime) -> int:
        """Correct a notification's text: sent deliveries are queued for an edit."""
        async with self._sessions.begin() as db:
            note = await db.get(Notification, key)
            if note is None:
                return 0
            note.posts = posts
            note.version += 1
            result = await db.execute(
                update(Delivery)
                .where(Delivery.notification_key == key, Delivery.status == SENT)
                .values(status=PENDING, next_attempt_at=now, updated_at=now)
                .returning(Delivery.id)
            )
            return len(result.all())

    async def requeue_stale(self, now: datetime) -> int:
        """Hand back deliveries whose worker died mid-send (lease ran out)."""
        async with self._sessions.begin() as db:
            result = await db.execute(
                update(Delivery)
                .where(Delivery.status == SENDING, Delivery.claimed_until < now)
                .values(status=PENDING, claimed_by=None, claimed_until=None, updated_at=now)
                .returning(Delivery.id)
            )
            return len(result.all())

    async def claim(
        self, platform: str, worker: str, now: datetime, limit: int, lease: timedelta
    ) -> list[ClaimedDelivery]:
        """Take up to ``limit`` ready deliveries for this worker, oldest due first."""
        async with self._sessions.begin() as db:
            candidates = (
                select(Delivery.id)
                .where(
                    Delivery.platform == platform,
                    Delivery.status == PENDING,
                    Delivery.next_attempt_at <= now,
                )
                .order_by(Delivery.next_attempt_at, Delivery.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
            ids = list(await db.scalars(candidates))
            if not ids:
                return []
            claimed = await db.execute(
                update(Delivery)
                .where(Delivery.id.in_(ids), Delivery.status == PENDING)
                .values(
                    status=SENDING,
                    claimed_by=worker,
                    claimed_until=now + lease,
                    attempts=Delivery.attempts + 1,
                    updated_at=now,
                )
                .returning(Delivery.id)
            )
            claimed_ids = [row[0] for row in claimed.all()]
            if not claimed_ids:
                return []
            rows = await db.execute(
                select(Delivery, Notification, Subscription)
                .join(Notification, Notification.key == Delivery.notification_key)
                .join(Subscription, Subscription.id == Delivery.subscription_id)
                .where(Delivery.id.in_(claimed_ids))
                .order_by(Notification.due, Delivery.id)
            )
            out = []
            for delivery, note, sub in rows.all():
                target = _target(sub)
                post = (
                    note.posts.get(f"{target.language}|{target.timezone}")
                    or note.posts.get(target.language)
                    or next(iter(note.posts.values()))
                )
                out.append(
                    ClaimedDelivery(
                        id=delivery.id,
                        notification_key=note.key,
                        target=target,
                        post_json=post,
                        expires=delivery.expires,
                        attempts=delivery.attempts,
                        message_ids=tuple(delivery.message_ids or ()),
                        version=note.version,
                        sent_version=delivery.sent_version,
                    )
                )
            return out

    async def _finish(self, delivery_id: int, worker: str | None, **values: Any) -> bool:
        async with self._sessions.begin() as db:
            query = update(Delivery).where(Delivery.id == delivery_id)
            if worker is not None:
                query = query.where(Delivery.claimed_by == worker)
            result = await db.execute(query.values(**values).returning(Delivery.id))
            return bool(result.all())

    async def mark_sent(
        self, delivery_id: int, message_ids: Sequence[str], version: int, now: datetime
    ) -> None:
        await self._finish(
            delivery_id,
            None,
            status=SENT,
            message_ids=list(message_ids),
            sent_version=version,
            sent_at=now,
            claimed_by=None,
            claimed_until=None,
            error=None,
            updated_at=now,
        )

    async def mark_retry(self, delivery_id: int, at: datetime, error: str, now: datetime) -> None:
        await self._finish(
            delivery_id,
            None,
            status=PENDING,
            next_attempt_at=at,
            claimed_by=None,
            claimed_until=None,
            error=error[:500],
            updated_at=now,
        )

    async def mark_final(self, delivery_id: int, status: str, error: str, now: datetime) -> None:
        await self._finish(
            delivery_id,
            None,
            status=status,
            claimed_by=None,
            claimed_until=None,
            error=error[:500],
            updated_at=now,
        )

    async def supersede_unplanned(self, keep: set[str], now: datetime) -> int:
        """Withdraw unsent reminders the current plan no longer has (delayed, removed)."""
        async with self._sessions.begin() as db:
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
        async with self._sessions() as db:
            result: datetime | None = await db.scalar(
                select(func.min(Delivery.next_attempt_at)).where(
                    Delivery.platform == platform, Delivery.status == PENDING
                )
            )
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
        async with self._sessions.begin() as db:
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
        async with self._sessions.begin() as db:
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
    ) -> None:
        """Replace the given drivers' results for one session in one transaction."""
        async with self._sessions.begin() as db:
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
        async with self._sessions.begin() as db:
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
        async with self._sessions.begin() as db:
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
        async with self._sessions.begin() as db:
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
        async with self._sessions.begin() as db:
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
    "SessionStateInfo",
    "Store",
]
