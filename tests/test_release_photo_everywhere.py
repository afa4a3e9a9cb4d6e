"""A release photo sent on one platform goes with the weekend preview on both (#15), days
later: the bot downloads the bytes once when staff send them (Telegram getFile and the file
URL under ``[telegram] base_url``; the Discord attachment, whose signed CDN link expires
within a day) and keeps them in the database. At send time Telegram gets them uploaded
(multipart) once per notification, every later chat the upload's file id; Discord gets
them as ``files[0]`` with the embed image ``attachment://photo.<ext>``.

The real PTB and discord.py clients against the fake Bot API and the fake Discord, in one
App on virtual time; the fakes record the bytes they received.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

import bot.platforms.discord as discord_module
from bot.config import Config, DiscordConfig
from bot.core.clock import VirtualClock
from bot.platforms.discord import DiscordAdapter
from bot.store.tables import ReleaseImage
from tests.discord.test_release import AFTER_ESTORIL, _images
from tests.discord.world import ALERT_ROLE, ALERTS, GENERAL, GUILD, MECHANIC, OWNER, TEAM_ROLE
from tests.discord.world import Env as DiscordEnv
from tests.fakes.fake_discord import FakeDiscord
from tests.fakes.fake_telegram import FakeTelegram, SentMessage
from tests.helpers import SCHEDULES, database_url, running_app
from tests.photos import JPEG, PNG
from tests.test_release import ESTORIL, JARAMA, word_file
from tests.test_release import Env as TelegramEnv
from tests.test_telegram import STAFF_ID, telegram_config

#: Tuesday of the Jarama week: the preview goes out on Friday morning, three days later.
TUESDAY = datetime(2020, 11, 3, 8, tzinfo=UTC)
FRIDAY = datetime(2020, 11, 6, 9, 0, tzinfo=UTC)
#: Four Telegram fans: one notification, four chats, one upload.
FANS = (1001, 1002, 1003, 1004)


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@dataclass
class World:
    telegram: TelegramEnv
    discord: DiscordEnv

    @property
    def tg(self) -> FakeTelegram:
        return self.telegram.fake

    @property
    def dc(self) -> FakeDiscord:
        return self.discord.fake


@pytest.fixture
async def world(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> AsyncIterator[World]:
    quick = functools.partial(DiscordAdapter, guild_ready_timeout=0.05)
    monkeypatch.setattr(discord_module, "DiscordAdapter", quick)
    async with (
        FakeTelegram(global_rate=None, per_chat_interval=None, group_per_minute=None) as tg,
        FakeDiscord() as dc,
    ):
        for n, fan in enumerate(FANS):
            tg.add_private_chat(fan, f"Fan {n}", username=f"fan{n}")
        tg.add_private_chat(STAFF_ID, "Staffan", username="staffan")
        dc.add_guild(GUILD, "Bäckman fans", owner_id=OWNER)
        dc.add_text_channel(GUILD, GENERAL, "general")
        dc.add_text_channel(GUILD, ALERTS, "alerts")
        dc.add_role(GUILD, ALERT_ROLE, "Race alerts")
        dc.add_role(GUILD, TEAM_ROLE, "Team")
        dc.add_member(GUILD, OWNER, "Owner", manage_guild=True)
        dc.add_member(GUILD, MECHANIC, "Mechanic", roles=[TEAM_ROLE])
        base = telegram_config(tg, tmp_path, SCHEDULES, database_url(request, tmp_path))
        config = Config(
            storage=base.storage,
            telegram=base.telegram,
            discord=DiscordConfig(token=dc.token, api_base=f"{dc.url}/api/v10", staff_role="Team"),
            bot=base.bot,
            web=base.web,
        )
        clock = VirtualClock(getattr(request, "param", TUESDAY))
        dc.now = clock.now  # the CDN links expire on virtual time
        async with running_app(config, clock) as app:
            yield World(
                TelegramEnv(app=app, clock=clock, fake=tg, config=config),
                DiscordEnv(app=app, clock=clock, fake=dc),
            )


async def _fans(world: World) -> None:
    for fan in FANS:
        world.tg.push_message(fan, fan, "/start")
    for fan in FANS:
        await world.tg.wait_until(
            lambda fan=fan: any("Välkommen" in t for t in world.tg.texts(fan))
        )  # type: ignore[misc]
    await world.discord.setup_alerts()
    world.discord.grant_staff_commands()


def _photos(world: World, fan: int) -> list[SentMessage]:
    return [m for m in world.tg.messages.get(fan, []) if m.method == "sendPhoto"]


async def _publish_on_discord(world: World, options: dict[str, Any]) -> None:
    draft = await world.discord.command(MECHANIC, "release", options)
    ids = [c["custom_id"] for row in draft.components for c in row["components"]]
    ok = next(i for i in ids if i.startswith("rb:ok:"))
    assert draft.original_id is not None
    click = await world.dc.click_button(GUILD, GENERAL, MECHANIC, draft.original_id, ok)
    await click.wait_response()
    await world.telegram.settle()


def _assert_everywhere(world: World, image: bytes, credit: str = "TCR Europe") -> None:
    """Every fan's preview carries ``image``: each Telegram chat one photo, uploaded once
    (the first chat) and then sent by that upload's file id; the Discord embed its own
    attachment with the same bytes."""
    photos = [_photos(world, fan) for fan in FANS]
    assert all(len(p) == 1 for p in photos), [len(p) for p in photos]
    assert [world.tg.photo_bytes(p[0]) for p in photos] == [image] * len(FANS)
    assert world.tg.photo_uploads == [image]  # one upload for the whole notification
    assert len({p[0].photo for p in photos}) == 1  # the later chats reused its file id
    assert all(f"Foto: {credit}" in (p[0].caption or "") for p in photos)
    ((shown, description),) = _images(world.discord, ALERTS)
    assert shown == image
    assert description.rstrip().endswith(f"Foto: {credit}")


async def test_a_photo_sent_on_telegram_shows_on_both_platforms_three_days_later(
    db_url: str, world: World
) -> None:
    """Sent on Tuesday, corrected the same day without the photo (the correction keeps
    it), previewed on Friday."""
    await _fans(world)
    await world.telegram.send_photo()  # JPEG, in staff's private chat
    assert world.tg.downloads, "the photo was not downloaded when staff sent it"
    draft = await world.telegram.send(f"/release {JARAMA[:3900]}", "Publicera?")
    assert "📷 Bilden du skickade följer med förhandsvisningen" in (draft.text or "")
    await world.telegram.press(draft, "ok", "Publicerat")
    fix = await world.telegram.send(f"/release {JARAMA[:3900].replace('10:50', '11:05')}", "?")
    assert "📷" not in (fix.text or "")  # no photo sent with the correction
    await world.telegram.press(fix, "ok", "Publicerat")
    stored = await world.telegram.weekends()
    assert [w.photo for w in stored] == [
        {"image": hashlib.sha256(JPEG).hexdigest(), "credit": "TCR Europe"}
    ]
    downloads = len(world.tg.downloads)
    await world.telegram.run_to(FRIDAY)
    _assert_everywhere(world, JPEG)
    assert all("11:05" in (_photos(world, fan)[0].caption or "") for fan in FANS)
    assert len(world.tg.downloads) == downloads  # nothing is fetched from Telegram at send


async def test_a_photo_sent_on_discord_shows_on_both_platforms_three_days_later(
    world: World,
) -> None:
    await _fans(world)
    await _publish_on_discord(world, {"text": JARAMA[:5900], "photo": ("jarama.png", PNG)})
    (stored,) = await world.telegram.weekends()
    assert stored.photo == {"image": hashlib.sha256(PNG).hexdigest(), "credit": "TCR Europe"}
    await world.telegram.run_to(FRIDAY)
    _assert_everywhere(world, PNG)
    assert world.tg.photo_urls == []  # no Discord link was handed to Telegram


@pytest.mark.parametrize("world", [AFTER_ESTORIL], indirect=True)
async def test_a_results_correction_keeps_the_photo_on_both_platforms(world: World) -> None:
    """A results release with a photo attached on Discord; a correction sent on Telegram
    edits both posts, and each still shows the same bytes (Discord: uploaded again with
    the edit, the attachments then the new file alone)."""
    await _fans(world)
    options = {"file": ("Estoril.docx", word_file(ESTORIL)), "photo": ("estoril.png", PNG)}
    await _publish_on_discord(world, options)
    _assert_everywhere(world, PNG, "FIA WTCR")
    fix = await world.telegram.send("/result race2 andreas 18", "Publicera?")
    await world.telegram.press(fix, "ok", "Publicerat")
    await world.telegram.settle()
    for fan in FANS:
        (photo,) = _photos(world, fan)
        assert photo.edits, "the Telegram results post was not revised"
        assert "Race 2: 18:e plats" in (photo.caption or "")
    (post,) = [m for m in world.dc.messages[ALERTS] if m["attachments"]]
    assert post["edits"], "the Discord results post was not revised"
    assert "Race 2: 18:e plats" in post["embeds"][0]["description"]
    assert [a["filename"] for a in post["attachments"]] == ["photo.png"]
    _assert_everywhere(world, PNG, "FIA WTCR")


async def test_a_photo_over_the_size_limit_is_refused_unread(world: World) -> None:
    big = PNG + b"\0" * (10 * 2**20)
    world.discord.grant_staff_commands()
    answer = await world.discord.command(MECHANIC, "release", {"photo": ("huge.png", big)})
    assert "Bilden är för stor (högst 10 MB)" in (answer.content or "") + str(answer.embeds)
    assert await world.telegram.app.store.pastes.get("discord", str(MECHANIC), TUESDAY) is None


async def test_an_attachment_that_is_no_image_is_refused(world: World) -> None:
    world.discord.grant_staff_commands()
    fake_png = ("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    answer = await world.discord.command(MECHANIC, "release", {"photo": fake_png})
    assert "Det där är ingen bild" in (answer.content or "") + str(answer.embeds)
    assert await world.telegram.app.store.pastes.get("discord", str(MECHANIC), TUESDAY) is None


async def test_the_database_failing_while_the_photo_is_kept_keeps_none_of_it(
    db_url: str, world: World
) -> None:
    """The bytes are written first; the paste that names them fails (the database goes
    away mid-transaction): staff are told to send it again, and neither is kept."""
    store = world.telegram.app.store
    failing = True

    def away(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if failing and "release_pastes" in statement and not statement.startswith("SELECT"):
            raise OperationalError(statement, {}, ConnectionRefusedError("db down"))

    event.listen(store.engine.sync_engine, "before_cursor_execute", away)
    try:
        seen = len(world.tg.messages.get(STAFF_ID, []))
        world.tg.push_photo(STAFF_ID, STAFF_ID, JPEG)
        answer = await world.telegram.answer("Bilden kunde inte sparas", seen)
        assert "skicka den igen om en stund" in (answer.text or "")
        assert await store.pastes.get("telegram", str(STAFF_ID), TUESDAY) is None
        async with store.db.session() as db:
            assert await db.scalar(select(func.count()).select_from(ReleaseImage)) == 0
        failing = False
        await world.telegram.send_photo()  # back: sent again, kept
    finally:
        event.remove(store.engine.sync_engine, "before_cursor_execute", away)
    kept = await store.pastes.get("telegram", str(STAFF_ID), TUESDAY)
    assert kept is not None
    assert kept.photo == {"image": hashlib.sha256(JPEG).hexdigest()}
    image = await store.pastes.image(hashlib.sha256(JPEG).hexdigest())
    assert image is not None
    assert (image.data, image.content_type) == (JPEG, "image/jpeg")
