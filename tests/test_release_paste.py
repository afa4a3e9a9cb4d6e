"""A release pasted between /release and /done survives a restart (#15): the messages and
the photo are kept in the database (``release_pastes``) for 24 hours, taken by /done and
Publish, dropped by /cancel. The real PTB client polls the fake Bot API; two Apps run one
after the other on the same database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import Config
from bot.core.clock import VirtualClock
from bot.service.release import PASTE_TTL
from tests.fakes.fake_telegram import FakeTelegram
from tests.helpers import running_app
from tests.photos import JPEG
from tests.test_release import (
    JARAMA,
    SEEDS_SENT,
    Env,
    draft_sessions,
    schedules_without,
    seed_sessions,
)
from tests.test_telegram import STAFF_ID, telegram_config

START = SEEDS_SENT["jarama"][2]


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


def _config(fake: FakeTelegram, tmp_path: Path, db_url: str) -> Config:
    config = telegram_config(fake, tmp_path, schedules_without(tmp_path, ["tcr-europe-2020.toml"]))
    config.storage.url = db_url
    return config


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(
        global_rate=None, per_chat_interval=None, group_per_minute=None
    ) as fake:
        fake.add_private_chat(STAFF_ID, "Staffan", username="staffan")
        yield fake


async def test_a_paste_continues_after_a_restart_and_done_drafts_all_of_it(
    fake: FakeTelegram, tmp_path: Path, db_url: str
) -> None:
    config = _config(fake, tmp_path, db_url)
    clock = VirtualClock(START)
    lines = JARAMA.splitlines()
    async with running_app(config, clock) as app:
        chat = Env(app=app, clock=clock, fake=fake, config=config)
        said = await chat.send("/release", "/done")
        assert "24 timmar" in (said.text or "")  # the staff member is told how long
        await chat.send("\n".join(lines[:40]), "Fått 40 rader")
        await chat.send_photo()
        kept = await app.store.pastes.get("telegram", str(STAFF_ID), clock.now())
        assert kept is not None
        assert kept.parts == ["\n".join(lines[:40])]
    await clock.advance_to(START + timedelta(hours=3))  # the bot was away three hours
    async with running_app(config, clock) as app:
        chat = Env(app=app, clock=clock, fake=fake, config=config)
        await chat.send("\n".join(lines[40:]), f"Fått {len(lines)} rader")
        draft = await chat.send("/done", "Publicera?")
        text = draft.text or ""
        assert draft_sessions(text) == seed_sessions(JARAMA)  # the timetable of part one
        assert "Publicerar tabellen Teammästerskapstabell – Totalt (Topp tre) (3 rader)" in text
        assert "📷 Bilden du skickade följer med förhandsvisningen" in text  # kept too
        kept = await app.store.pastes.get("telegram", str(STAFF_ID), clock.now())
        assert kept is not None
        assert kept.parts is None  # /done took the text
        assert kept.photo == {"image": hashlib.sha256(JPEG).hexdigest()}  # it waits for Publish
        again = await chat.send("/done", "Inget pressmeddelande att läsa")
        assert "Publicera?" not in (again.text or "")


async def test_a_paste_expires_after_a_day_and_cancel_drops_it(
    fake: FakeTelegram, tmp_path: Path, db_url: str
) -> None:
    config = _config(fake, tmp_path, db_url)
    clock = VirtualClock(START)
    lines = JARAMA.splitlines()
    async with running_app(config, clock) as app:
        chat = Env(app=app, clock=clock, fake=fake, config=config)
        await chat.send("/release", "/done")
        await chat.send("\n".join(lines[:40]), "Fått 40 rader")
        await clock.advance_to(START + PASTE_TTL + timedelta(minutes=1))
        # a day later the paste is gone: a plain message is no part of a release any more
        seen = len(fake.messages.get(STAFF_ID, []))
        fake.push_message(STAFF_ID, STAFF_ID, "\n".join(lines[40:]))
        await chat.send("/done", "Inget pressmeddelande att läsa")
        assert not any("Fått" in (m.text or "") for m in fake.messages[STAFF_ID][seen:])

        await chat.send("/release", "/done")
        await chat.send("\n".join(lines[:40]), "Fått 40 rader")
        await chat.send("/cancel", "Pressmeddelandet du klistrade in är slängt.")
        assert await app.store.pastes.get("telegram", str(STAFF_ID), clock.now()) is None
        await chat.send("/done", "Inget pressmeddelande att läsa")
        # with no paste, /cancel is the session cancel again: it asks which session
        await chat.send("/cancel", "Vilket pass")
