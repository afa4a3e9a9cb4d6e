"""`racebot shell` cannot reach real fans by accident: a scratch database unless told."""

from __future__ import annotations

import asyncio
import io
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.store.store import Store
from tests.helpers import SCHEDULES, bulk_subscribe

SCRIPT = "/announce Test från skalet\n/publish\n/quit\n"


def _real_database(tmp_path: Path) -> tuple[Path, str]:
    url = f"sqlite:///{tmp_path}/real.db"

    async def prepare() -> None:
        store = await Store.open(url)
        try:
            await bulk_subscribe(store, "telegram", ["4242"], datetime.now(UTC))
        finally:
            await store.close()

    asyncio.run(prepare())
    config = tmp_path / "bot.toml"
    config.write_text(
        f'[bot]\nschedules = "{SCHEDULES}"\n\n[storage]\nurl = "{url}"\n\n'
        '[telegram]\ntoken = "123:REAL"\nbase_url = "http://127.0.0.1:9/bot"\n',
        encoding="utf-8",
    )
    return config, url


def _counts(url: str) -> dict[str, int]:
    async def read() -> dict[str, int]:
        store = await Store.open(url)
        try:
            return await store.delivery_counts()
        finally:
            await store.close()

    return asyncio.run(read())


def _shell(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(SCRIPT))
    return main(["shell", *argv, "--at", "2020-11-07T10:00:00+01:00"])


def test_the_shell_works_on_a_scratch_database_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config, url = _real_database(tmp_path)
    assert _shell(["--config", str(config)], monkeypatch) == 0
    captured = capsys.readouterr()
    assert "shell: on a scratch database, discarded at exit" in captured.err
    assert "Publicerat till 1 chatt." in captured.out  # the console, not the fan
    assert "Test från skalet" in captured.out
    assert _counts(url) == {}  # nothing queued for the real subscriber


def test_the_shell_acts_on_a_real_database_only_when_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config, url = _real_database(tmp_path)
    assert _shell(["--config", str(config), "--database", url], monkeypatch) == 0
    captured = capsys.readouterr()
    assert "sent to its subscribers by the next racebot run" in captured.err
    assert "Publicerat till 1 chatt." in captured.out
    # queued for the real fan, for `racebot run` to send: the shell itself never connects
    assert _counts(url) == {"pending": 1}
