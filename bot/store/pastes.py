"""A press release being pasted (/release … /done) and the photo sent with it, per staff
member: one row each, kept across restarts until taken, cleared, or expired. The photo's
bytes are a ``release_images`` row (named by their SHA-256), written in the same
transaction as the paste that refers to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, cast, delete, exists, select, update

from bot.store.db import Database
from bot.store.tables import (
    Notification,
    ReleaseImage,
    ReleasePaste,
    ReleasePhoto,
    WeekendRow,
)


@dataclass(frozen=True, slots=True)
class Paste:
    """What is kept for one staff member: the messages so far (None: not pasting) and the
    photo that goes with the release."""

    parts: list[str] | None
    photo: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class Image:
    """A release photo's bytes as staff sent them, and Telegram's id of its first upload."""

    id: str
    content_type: str
    data: bytes
    telegram_file_id: str | None = None


class ReleasePastes:
    """The release_pastes table (each method one short transaction)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, platform: str, user_id: str, now: datetime) -> Paste | None:
        """What is kept for the user, None when nothing is (or it expired)."""
        async with self._db.session() as db:
            row = await db.get(ReleasePaste, (platform, user_id))
            if row is None or row.expires_at < now:
                return None
            return Paste(list(row.parts) if row.parts is not None else None, row.photo)

    async def put(
        self,
        platform: str,
        user_id: str,
        paste: Paste,
        now: datetime,
        ttl: timedelta,
        image: Image | None = None,
    ) -> None:
        """Keep ``paste`` for ``ttl`` from now (a paste with nothing in it is removed);
        ``image``, the bytes its photo names, is stored with it or not at all."""
        async with self._db.writing() as db:
            if image is not None and await db.get(ReleaseImage, image.id) is None:
                db.add(
                    ReleaseImage(
                        id=image.id,
                        content_type=image.content_type,
                        data=image.data,
                        created_at=now,
                    )
                )
                await db.flush()  # the bytes first: a failure after leaves neither
            await db.execute(delete(ReleasePaste).where(ReleasePaste.expires_at < now))
            row = await db.get(ReleasePaste, (platform, user_id))
            if paste.parts is None and paste.photo is None:
                if row is not None:
                    await db.delete(row)
                return
            if row is None:
                row = ReleasePaste(platform=platform, user_id=user_id)
                db.add(row)
            row.parts, row.photo, row.expires_at = paste.parts, paste.photo, now + ttl

    async def photo_for(self, series_id: str, event_id: str) -> dict[str, Any] | None:
        """The photo a published release sent with this weekend's results post."""
        async with self._db.session() as db:
            photo: dict[str, Any] | None = await db.scalar(
                select(ReleasePhoto.photo).where(
                    ReleasePhoto.series_id == series_id, ReleasePhoto.event_id == event_id
                )
            )
            return photo

    async def image(self, image_id: str) -> Image | None:
        """A release photo's bytes (None: no such image)."""
        async with self._db.session() as db:
            row = await db.get(ReleaseImage, image_id)
            if row is None:
                return None
            return Image(row.id, row.content_type, bytes(row.data), row.telegram_file_id)

    async def telegram_file(self, image_id: str) -> str | None:
        """Telegram's file id of the image's first upload, if it was uploaded."""
        async with self._db.session() as db:
            found: str | None = await db.scalar(
                select(ReleaseImage.telegram_file_id).where(ReleaseImage.id == image_id)
            )
            return found

    async def set_telegram_file(self, image_id: str, file_id: str | None) -> None:
        """Keep (or, with None, forget) Telegram's file id of the image."""
        async with self._db.writing() as db:
            await db.execute(
                update(ReleaseImage)
                .where(ReleaseImage.id == image_id)
                .values(telegram_file_id=file_id)
            )

    async def prune_images(self, before: datetime) -> int:
        """Delete the bytes of photos nothing names any more, stored before ``before``: a
        photo sent with a release that was cancelled, or sent again in its place (up to
        10 MB each). Kept while a paste, a published weekend (any version), a results post
        or a queued notification names its id; the id is a SHA-256, so finding it in the
        JSON as text cannot match anything else."""
        named_by = [
            cast(ReleasePaste.photo, String),
            cast(ReleasePhoto.photo, String),
            cast(WeekendRow.photo, String),
            cast(Notification.posts, String),
        ]
        unused = [~exists().where(column.contains(ReleaseImage.id)) for column in named_by]
        async with self._db.writing() as db:
            result = await db.execute(
                delete(ReleaseImage).where(ReleaseImage.created_at < before, *unused)
            )
            return max(result.rowcount or 0, 0)  # type: ignore[attr-defined]
