"""Release photos' bytes (up to 10 MB each) are deleted once nothing names them: a photo
staff sent with a release they cancelled, or replaced by another, does not stay in the
database for ever; one that a paste, a weekend, a results post or a queued notification
still names is kept. SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest

from bot.core.clock import VirtualClock
from bot.core.markup import Post
from bot.housekeeping import UNUSED_PHOTO_KEPT, Housekeeper
from bot.store.pastes import Image, Paste
from bot.store.store import NotificationData, Store
from bot.store.tables import ReleasePhoto, WeekendRow
from tests.helpers import utc

T0 = utc(2026, 10, 5, 9, 0)  # a Monday: the release goes out, the photo with it
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def image(label: str) -> Image:
    data = JPEG + label.encode()
    return Image(hashlib.sha256(data).hexdigest(), "image/jpeg", data)


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    opened = await Store.open(db_url)
    yield opened
    await opened.close()


async def keep(store: Store, who: str, photo: Image, at: datetime, *, then_clear: bool) -> None:
    """Staff send a photo (kept with their paste), and maybe cancel the release after."""
    paste = Paste(["Tidsschema …"], {"image": photo.id, "credit": "FIA WTCR"})
    day = timedelta(hours=24)
    await store.pastes.put("telegram", who, paste, at, day, photo)
    if then_clear:
        await store.pastes.put("telegram", who, Paste(None, None), at, day)


async def test_only_photos_nothing_names_are_deleted(store: Store) -> None:
    pasting, cancelled, queued, weekend, results, young = (
        image(n) for n in ("pasting", "cancelled", "queued", "weekend", "results", "young")
    )
    await keep(store, "1", pasting, T0, then_clear=False)  # a paste waiting for /done
    for n, photo in enumerate((cancelled, queued, weekend, results), start=2):
        await keep(store, str(n), photo, T0, then_clear=True)
    thursday = T0 + timedelta(days=3)
    await keep(store, "9", young, thursday, then_clear=True)
    await keep(store, "1", pasting, thursday, then_clear=False)  # still pasting (24 h more)
    # The queued preview names its photo in the post's extras, as Photo.extra() writes it.
    preview = Post(title="TCR Europe – deltävling 6", extra={"photo_image": queued.id})
    await store.enqueue(
        NotificationData(
            key="tcr/r6/preview",
            kind="preview",
            due=T0,
            expires=T0 + timedelta(days=4),
            posts={"sv": preview.to_json()},
        ),
        [],
        T0,
    )
    async with store.db.writing() as db:
        db.add(
            WeekendRow(
                series_id="tcr",
                series_name="TCR Europe",
                season=2026,
                round=6,
                event_id="r6",
                version=1,
                block="[[events]]",
                photo={"image": weekend.id, "credit": "FIA WTCR"},
                created_at=T0,
                created_by="telegram:1",
            )
        )
        db.add(
            ReleasePhoto(series_id="tcr", event_id="r5", photo={"image": results.id}, created_at=T0)
        )

    clock = VirtualClock(thursday + timedelta(hours=12))
    assert clock.now() - thursday < UNUSED_PHOTO_KEPT < clock.now() - T0
    await Housekeeper(store, clock, keep=timedelta(days=30)).sweep()

    for photo in (pasting, queued, weekend, results, young):
        assert await store.pastes.image(photo.id) is not None, photo.data[-8:]
    assert await store.pastes.image(cancelled.id) is None  # its release was cancelled
    cutoff = clock.now() - UNUSED_PHOTO_KEPT
    assert await store.prune_images(cutoff) == 0  # nothing else goes

    # Once the paste is taken (/done, /cancel), its photo goes too.
    await store.pastes.put("telegram", "1", Paste(None, None), clock.now(), timedelta(hours=1))
    assert await store.prune_images(cutoff) == 1
    assert await store.pastes.image(pasting.id) is None
