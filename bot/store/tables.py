"""Database schema: subscriptions, the notification outbox, session state, results, audit,
staff added in chat.

Instants are stored as naive UTC and handed back aware (``UTCDateTime``) so SQLite and
PostgreSQL behave the same and nothing ever meets the host's zone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

#: The deadline of a delivery that has none (a result): after every real one, on every
#: database (SQLite and PostgreSQL sort NULLs differently).
NEVER = datetime(9999, 1, 1, tzinfo=UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC in Python, naive UTC in the database."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use aware UTC")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Subscription(Base):
    """A chat that receives posts: a Telegram chat, a Discord channel or a Discord DM."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        UniqueConstraint("platform", "chat_id", name="uq_subscriptions_target"),
        Index("ix_subscriptions_revision", "revision"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    chat_kind: Mapped[str] = mapped_column(String(16), default="private")
    title: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2), default="sv")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Stockholm")
    series: Mapped[list[Any] | None] = mapped_column(JSON, default=None)
    kinds: Mapped[list[Any] | None] = mapped_column(JSON, default=None)
    leads: Mapped[list[Any] | None] = mapped_column(JSON, default=None)
    role_id: Mapped[str | None] = mapped_column(String(64))
    guild_id: Mapped[str | None] = mapped_column(String(64))
    #: A Discord reminder channel's name and the admin who set it up (for notices).
    channel_name: Mapped[str | None] = mapped_column(String(100))
    admin_id: Mapped[str | None] = mapped_column(String(64))
    #: The fan's weekend (#14): hide places in results; quiet hours as minutes of the day
    #: in ``timezone`` (both set or both None); a daily digest instead of practice reminders.
    spoilers: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    quiet_from: Mapped[int | None] = mapped_column(Integer)
    quiet_to: Mapped[int | None] = mapped_column(Integer)
    digest: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    thread_id: Mapped[str | None] = mapped_column(String(32))
    pinned_id: Mapped[str | None] = mapped_column(String(64))
    #: A Discord channel's roles per interest beyond ``role_id``: [[interest, role id]].
    ping_roles: Mapped[list[Any] | None] = mapped_column(JSON, default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    inactive_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    #: Raised by a database trigger on every insert and update (migration 0003), so a
    #: process re-reads only what changed since it last looked.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Notification(Base):
    """One thing to tell fans, rendered once per language, keyed deterministically."""

    __tablename__ = "notifications"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    series_id: Mapped[str | None] = mapped_column(String(64))
    session_key: Mapped[str | None] = mapped_column(String(200))
    session_kind: Mapped[str | None] = mapped_column(String(16))
    lead: Mapped[int | None] = mapped_column(Integer)
    due: Mapped[datetime]
    expires: Mapped[datetime | None]
    posts: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]
    #: False while its deliveries are still being written (a fan-out goes in batches); a
    #: fire cut off by a crash is then fired again, adding only the missing rows.
    queued: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class Delivery(Base):
    """The outbox: one row per (notification, target); the unique key makes posting idempotent."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("notification_key", "subscription_id", name="uq_deliveries_once"),
        Index("ix_deliveries_ready", "platform", "status", "next_attempt_at"),
        Index("ix_deliveries_settled", "status", "updated_at"),
        Index("ix_deliveries_deadline", "platform", "status", "expires"),
        Index("ix_deliveries_subscription", "subscription_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    notification_key: Mapped[str] = mapped_column(
        String(200), ForeignKey("notifications.key", ondelete="CASCADE")
    )
    subscription_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("subscriptions.id", ondelete="CASCADE")
    )
    platform: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    #: When this delivery stops being useful (``NEVER`` if it does not): its deadline.
    expires: Mapped[datetime | None]
    next_attempt_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]
    message_ids: Mapped[list[Any] | None] = mapped_column(JSON, default=None)
    sent_version: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]


class SessionState(Base):
    """Staff overrides of a session (delay, cancel) and its calendar revision."""

    __tablename__ = "session_state"

    session_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    start_override: Mapped[datetime | None]
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    fingerprint: Mapped[str] = mapped_column(String(128), default="")
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    modified_at: Mapped[datetime]


class ResultRow(Base):
    __tablename__ = "results"

    series_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    driver_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str | None] = mapped_column(String(8))
    class_positions: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    note: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[datetime]
    updated_by: Mapped[str | None] = mapped_column(String(200))


class StandingsRow(Base):
    __tablename__ = "standings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    series_id: Mapped[str] = mapped_column(String(64))
    event_id: Mapped[str | None] = mapped_column(String(64))
    tables: Mapped[list[Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    created_by: Mapped[str | None] = mapped_column(String(200))


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(64))
    user_name: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)


class PendingAction(Base):
    """A broadcast waiting for the staff member's Publish/Cancel, durable across restarts."""

    __tablename__ = "pending_actions"

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class StaffMember(Base):
    """A staff member added in chat (``/staff add``), beside those the config lists."""

    __tablename__ = "staff_members"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    added_at: Mapped[datetime]
    added_by: Mapped[str] = mapped_column(String(64))


class WeekendRow(Base):
    """A weekend staff published from a press release: one version per publish, the newest
    of each (series, round) in force (see bot.authoring.weekends for the merge rule)."""

    __tablename__ = "weekends"
    __table_args__ = (
        UniqueConstraint("series_id", "round", "version", name="uq_weekends_version"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    series_id: Mapped[str] = mapped_column(String(64))
    series_name: Mapped[str] = mapped_column(String(200))
    season: Mapped[int] = mapped_column(Integer)
    round: Mapped[int] = mapped_column(Integer)
    event_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    block: Mapped[str] = mapped_column(Text)
    #: The photo sent with the release: {"telegram": file_id, "credit": "FIA WTCR"}.
    photo: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(200))


class ServerEvent(Base):
    """A Discord server's scheduled event the bot made for a session (#19): its id there,
    so events are matched by id rather than by a tag in their text, and a digest of what
    was last sent, so a sync edits only an event whose text or time changed. An
    ``event_id`` of None: the event is gone and stays gone (deleted by an admin, or Discord
    refused a start in the past) until the session leaves the coming weekend."""

    __tablename__ = "server_events"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    guild_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    event_id: Mapped[str | None] = mapped_column(String(64))
    digest: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime]


class ReleasePaste(Base):
    """A press release being pasted between /release and /done, and the photo staff sent
    with it: kept across restarts until /done, /cancel or ``expires_at``."""

    __tablename__ = "release_pastes"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: The messages so far; None when only a photo is kept (no /release yet).
    parts: Mapped[list[str] | None] = mapped_column(JSON, default=None)
    #: {"telegram": file_id} or {"discord": url}: the photo that goes with the release.
    photo: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    expires_at: Mapped[datetime]


class ReleasePhoto(Base):
    """The photo a published release sent with a weekend's results post, so a correction
    of that post keeps it."""

    __tablename__ = "release_photos"

    series_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    photo: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]


class ReleaseImage(Base):
    """A release photo's bytes, downloaded once when staff sent it (a Discord CDN link
    expires within a day, a Telegram file link carries the bot's token): each platform
    uploads these. ``telegram_file_id`` is Telegram's id of the first upload, so the next
    chats of a notification send that instead of the bytes again."""

    __tablename__ = "release_images"

    #: The SHA-256 of the bytes (hex): the same photo sent twice is one row.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    telegram_file_id: Mapped[str | None] = mapped_column(String(255), default=None)
    created_at: Mapped[datetime]


class LeaseRow(Base):
    """Who may use a platform's bot token right now (``bot.leases``): one row per
    (platform, token fingerprint), never the token itself."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[datetime]
    acquired_at: Mapped[datetime]
