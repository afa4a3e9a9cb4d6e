# ruff: noqa: F811 - the env fixture is imported from test_release
"""A photo sent with a press release that has results but no timetable goes with the
results post (#15): on Telegram sendPhoto with the post as its caption where it fits, else
the photo and then the text, never the photo instead of the text; a correction of the post
keeps the photo and its credit. Through the real PTB client and the fake Bot API."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest

from bot.core.markup import Post, line
from bot.core.notices import NotificationData
from bot.service.release import PASTE_TTL
from bot.service.results import with_photo
from bot.store.pastes import Paste
from tests.fakes.fake_telegram import SentMessage
from tests.photos import JPEG, PNG
from tests.test_release import (  # noqa: F401 - the fixtures
    ESTORIL,
    Env,
    _timedelta_retry_after,
    env,
    send_as_word,
)
from tests.test_telegram import STAFF_ID, USER


async def _fan(env: Env) -> None:
    env.fake.push_message(USER, USER, "/start")
    await env.fake.wait_until(lambda: any("Välkommen" in t for t in env.fake.texts(USER)))


def _results_post(env: Env) -> list[SentMessage]:
    """The fan's messages from the release's photo on."""
    sent = env.fake.messages[USER]
    first = next(n for n, m in enumerate(sent) if m.method == "sendPhoto")
    return sent[first:]


@pytest.mark.parametrize("env", ["estoril"], indirect=True)
async def test_a_results_release_photo_goes_with_the_results_post_credited(env: Env) -> None:
    await _fan(env)
    largest = await env.send_photo()
    draft = await send_as_word(env, ESTORIL)
    assert "📷 Bilden du skickade följer med resultatinlägget, med ”Foto: FIA WTCR”." in (
        draft.text or ""
    )
    await env.press(draft, "ok", "Publicerat")
    assert await env.app.store.pastes.get("telegram", str(STAFF_ID), env.clock.now()) is None
    photo, *after = _results_post(env)  # the post fits a caption: one message
    assert [m.text.splitlines()[0] for m in after if m.text] == ["Mästerskapsställning"]
    assert env.fake.photo_bytes(photo) == JPEG  # the bytes staff sent, uploaded
    assert env.fake.photo_uploads == [JPEG]
    assert largest not in (photo.photo, None)  # no file id of staff's message is kept
    caption = photo.caption or ""
    assert "Race 1: 15:e plats (2:a i WTCR Trophy)" in caption
    assert "Foto: FIA WTCR" in caption
    assert len(await env.app.store.results("wtcr-2021", "r2")) == 10

    # a correction revises the post: the photo stays, its caption is edited in place
    fix = await env.send("/result race2 andreas 18", "Publicera?")
    await env.press(fix, "ok", "Publicerat")
    assert photo.edits, "the results post was not revised"
    assert "Race 2: 18:e plats" in (photo.caption or "")
    assert "Foto: FIA WTCR" in (photo.caption or "")
    assert [m.method for m in _results_post(env)].count("sendPhoto") == 1


@pytest.mark.parametrize("env", ["estoril"], indirect=True)
async def test_a_post_longer_than_a_caption_goes_as_the_photo_then_the_text(env: Env) -> None:
    """Through the outbox like every post: the photo alone, then the whole text; revised,
    the text messages are edited and the photo stays."""
    await _fan(env)
    file_id = await env.send_photo()
    rows = tuple(line(f"{n}: Förare nummer {n} med ett långt namn, 100 p.") for n in range(1, 41))
    engine = env.app.engine

    def post(marker: str) -> Callable[[str, ZoneInfo], Post]:
        return lambda language, _tz: with_photo(
            Post(title=f"Tabell {marker}", lines=rows, language=language),
            {"telegram": file_id, "credit": "FIA WTCR"},
        )

    note = NotificationData(
        key="wtcr-2021/r2/long", kind="standings", due=env.clock.now(), expires=None,
        posts={}, series_id="wtcr-2021",
    )  # fmt: skip
    assert await engine.publish_or_revise(note, post("ett")) == 1
    await env.settle()
    photo, *texts = _results_post(env)
    assert (photo.photo, photo.caption) == (file_id, None)
    body = "\n".join(m.text or "" for m in texts)
    assert body.startswith("Tabell ett")
    assert "40: Förare nummer 40" in body
    assert body.rstrip().endswith("Foto: FIA WTCR")

    assert await engine.publish_or_revise(note, post("två")) == 1
    await env.settle()
    assert (texts[0].text or "").startswith("Tabell två")
    assert photo.edits == []  # still the photo alone
    assert photo.caption is None
    assert [m.method for m in _results_post(env)].count("sendPhoto") == 1


@pytest.mark.parametrize("env", ["estoril"], indirect=True)
async def test_a_photo_telegram_refuses_leaves_the_text_of_the_post(env: Env) -> None:
    """A kept photo whose file Telegram no longer knows: the post goes out as text."""
    await _fan(env)
    kept = Paste(None, {"telegram": "no-such-file"})  # kept before photos were bytes
    await env.app.store.pastes.put("telegram", str(STAFF_ID), kept, env.clock.now(), PASTE_TTL)
    draft = await send_as_word(env, ESTORIL)
    await env.press(draft, "ok", "Publicerat")
    sent = env.fake.messages[USER]
    assert not any(m.method == "sendPhoto" for m in sent)
    body = "\n".join(m.text or "" for m in sent)
    assert "Race 1: 15:e plats (2:a i WTCR Trophy)" in body
    assert env.fake.stats.status[400] >= 1  # the refusal the fake answered


@pytest.mark.parametrize("env", ["estoril"], indirect=True)
async def test_an_image_sent_as_a_file_is_the_photo_and_one_too_large_is_not_fetched(
    env: Env,
) -> None:
    """A PNG sent "as file" (uncompressed) is the release's photo, its bytes as sent; one
    over 10 MB is refused from the size Telegram declares, never downloaded."""
    await _fan(env)
    seen = len(env.fake.messages.get(STAFF_ID, []))
    env.fake.push_photo(STAFF_ID, STAFF_ID, JPEG + b"\0" * (10 * 2**20))
    await env.answer("Bilden är för stor (högst 10 MB)", seen)
    assert env.fake.downloads == []
    seen = len(env.fake.messages.get(STAFF_ID, []))
    env.fake.push_document(STAFF_ID, STAFF_ID, "estoril.png", PNG)
    await env.answer("Bilden följer med", seen)
    draft = await send_as_word(env, ESTORIL)
    await env.press(draft, "ok", "Publicerat")
    photo, *_ = _results_post(env)
    assert env.fake.photo_bytes(photo) == PNG
    assert env.fake.photo_uploads == [PNG]


@pytest.mark.parametrize("env", ["estoril"], indirect=True)
async def test_a_file_id_telegram_forgot_gets_the_bytes_uploaded_again(env: Env) -> None:
    await _fan(env)
    await env.send_photo()
    image = hashlib.sha256(JPEG).hexdigest()
    await env.app.store.pastes.set_telegram_file(image, "forgotten")  # as after a bot move
    note = NotificationData(
        key="wtcr-2021/r2/photo", kind="standings", due=env.clock.now(), expires=None,
        posts={}, series_id="wtcr-2021",
    )  # fmt: skip
    post = Post(title="Tabell", lines=(line("1: Andreas"),), language="sv")
    shown = with_photo(post, {"image": image, "credit": "FIA WTCR"})
    assert await env.app.engine.publish_or_revise(note, lambda _language, _tz: shown) == 1
    await env.settle()
    (photo,) = [m for m in env.fake.messages[USER] if m.method == "sendPhoto"]
    assert env.fake.photo_bytes(photo) == JPEG
    assert env.fake.photo_uploads == [JPEG]
    assert await env.app.store.pastes.telegram_file(image) == photo.photo  # the new upload's
