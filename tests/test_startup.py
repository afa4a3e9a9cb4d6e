"""A platform that cannot start says why and how to fix it, and nothing is left running."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from bot.app import App
from bot.cli import main
from bot.config import DiscordConfig, TelegramConfig
from bot.core.errors import PlatformError
from tests.fakes.fake_discord import FakeDiscord
from tests.fakes.fake_telegram import FakeTelegram
from tests.helpers import make_config
from tests.test_cli import write_config


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


def test_run_without_a_way_to_discord_exits_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    port = closed_port()
    config = write_config(
        tmp_path,
        extra=f'\n[discord]\ntoken = "x"\napi_base = "http://127.0.0.1:{port}/api/v10"\n',
    )
    assert main(["run", "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert "racebot: discord: cannot reach Discord" in err
    assert "hint: check the network, or [discord] api_base" in err
    assert "Traceback" not in err
