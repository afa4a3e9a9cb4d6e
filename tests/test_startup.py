"""A platform that cannot start says why and how to fix it, and nothing is left running."""

from __future__ import annotations

import functools
import logging
import socket
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest

import bot.platforms.discord as discord_module
from bot.app import App
from bot.config import Config, DiscordConfig, TelegramConfig, WebConfig
from bot.core.clock import VirtualClock
from bot.core.errors import PlatformError
from bot.platforms.discord import DiscordAdapter
from tests.fakes.fake_discord import FakeDiscord
from tests.fakes.fake_telegram import FakeTelegram
from tests.helpers import SCHEDULES, ScriptedSender, eventually, make_config, running_app, utc
from tests.process import free_port


def closed_port() -> int:
    """A loopback port nobody listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_refused_discord_token_is_named(tmp_path: Path) -> None:
    async with FakeDiscord() as fake:
        config = make_config(tmp_path).model_copy(
            update={"discord": DiscordConfig(token="WRONG", api_base=f"{fake.url}/api/v10")}
        )
        app = App(config)
        with pytest.raises(PlatformError) as caught:
            await app.start()
        await app.stop()
    assert str(caught.value) == (
        "discord: the token was refused\n"
        "  hint: check RACEBOT_DISCORD_TOKEN or [discord] token (Developer Portal → Bot)"
    )


async def test_a_refused_telegram_token_is_named(tmp_path: Path) -> None:
    async with FakeTelegram() as fake:
        config = make_config(tmp_path).model_copy(
            update={"telegram": TelegramConfig(token="1:WRONG", base_url=f"{fake.url}/bot")}
        )
        app = App(config)
        with pytest.raises(PlatformError, match="telegram: the token was refused"):
            await app.start()
        await app.stop()


async def health(port: int) -> tuple[int, dict[str, Any]]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}/healthz") as response,
    ):
        return response.status, await response.json()


def web_on(config: Config, port: int) -> Config:
    return config.model_copy(update={"web": WebConfig(enabled=True, port=port)})


async def test_telegram_away_at_start_is_retried_while_the_rest_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    caplog.set_level(logging.INFO)
    web, bot_api = free_port(), closed_port()
    late = FakeTelegram(port=bot_api)
    late.add_private_chat(1001, "Anna")
    base = f"http://127.0.0.1:{bot_api}/bot"
    config = web_on(make_config(tmp_path), web).model_copy(
        update={"telegram": TelegramConfig(token=late.token, base_url=base)}
    )
    async with FakeDiscord() as discord_fake:
        config = config.model_copy(
            update={
                "discord": DiscordConfig(
                    token=discord_fake.token, api_base=f"{discord_fake.url}/api/v10"
                )
            }
        )
        app = App(config, reconnect=(0.02, 0.05))
        try:
            await app.start()  # does not raise: the web server and Discord are up
            status, body = await health(web)
            assert status == 503
            assert body["status"] == "degraded"
            assert body["platforms"]["discord"] == {"status": "ok"}
            telegram = body["platforms"]["telegram"]
            assert telegram["status"] == "down"
            assert telegram["reason"].startswith("telegram: cannot reach the Bot API")
            assert body["reason"].startswith("telegram not connected: telegram: cannot reach")
            assert "telegram: cannot reach the Bot API" in caplog.text
            assert "retrying in the background" in caplog.text
            async with late:  # the Bot API comes back
                await eventually(lambda: _healthy(web), seconds=10)
                status, body = await health(web)
                assert body["platforms"]["telegram"] == {"status": "ok"}
                late.push_message(1001, 1001, "/start")  # polling runs: commands answered
                (welcome,) = await late.wait_for_messages(1001, 1)
                assert "Välkommen" in (welcome.text or "")
                assert "telegram: connected after" in caplog.text
                await app.stop()
        finally:
            await app.stop()
    assert "Traceback" not in caplog.text


async def _healthy(port: int) -> bool:
    status, _ = await health(port)
    return status == 200


async def test_discord_away_at_start_connects_when_it_is_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quick = functools.partial(DiscordAdapter, guild_ready_timeout=0.05)
    monkeypatch.setattr(discord_module, "DiscordAdapter", quick)
    web, api = free_port(), closed_port()
    late = FakeDiscord(port=api)
    config = web_on(make_config(tmp_path), web).model_copy(
        update={
            "discord": DiscordConfig(token=late.token, api_base=f"http://127.0.0.1:{api}/api/v10")
        }
    )
    app = App(config, reconnect=(0.02, 0.05))
    try:
        await app.start()
        status, body = await health(web)
        assert status == 503
        assert body["platforms"]["discord"]["reason"].startswith("discord: cannot reach Discord")
        assert app.platforms == {"discord": body["platforms"]["discord"]["reason"]}
        async with late:
            await eventually(lambda: _healthy(web), seconds=10)
            assert app.platforms == {"discord": None}
            assert late.get_command("next")["name"] == "next"  # the commands were synced
            await app.stop()
    finally:
        await app.stop()


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2030, 1, 1), "Nothing upcoming: the last weekend in {folder} ended 2023-10-01; "),
        (utc(2020, 11, 7, 9, 30), None),
    ],
)
async def test_run_says_when_nothing_is_upcoming(
    tmp_path: Path, now: datetime, expected: str | None
) -> None:
    async with running_app(make_config(tmp_path), VirtualClock(now), (ScriptedSender(),)) as app:
        idle = [note for note in app.notes if note.startswith("Nothing upcoming")]
    if expected is None:
        assert idle == []
    else:
        assert idle == [expected.format(folder=SCHEDULES) + "add the next season's file"]


async def test_run_with_an_empty_schedules_folder_says_to_add_one(tmp_path: Path) -> None:
    empty = tmp_path / "schedules"
    empty.mkdir()
    config = make_config(tmp_path, empty)
    async with running_app(config, VirtualClock(utc(2030, 1, 1)), (ScriptedSender(),)) as app:
        assert f"Nothing upcoming: {empty} holds no race weekend" in "\n".join(app.notes)
