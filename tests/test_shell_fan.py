"""`racebot shell` shows what a fan on Telegram or Discord would read (#14): after
`/settings tz America/New_York` the times are New York's and say so; after
`/settings language en` the answers, /help included, are English."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.test_cli import write_config


def _shell(
    tmp_path: Path, script: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> list[str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(script + "/quit\n"))
    # Saturday 7 November 2020 10:00 in Sweden: Race 1 at Jarama starts 11:15 (10:15 UTC).
    assert (
        main(["shell", "--config", str(write_config(tmp_path)), "--at", "2020-11-07T10:00+01:00"])
        == 0
    )
    return capsys.readouterr().out.split("\n\n")


def test_next_follows_the_chats_zone_and_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _shell(tmp_path, "/next\n/settings tz America/New_York\n/next\n", monkeypatch, capsys)
    stockholm = next(block for block in out if "⏭ Race 1" in block)
    assert "Start: lör 7 nov 11:15 (svensk tid)" in stockholm
    saved = next(block for block in out if "Inställningar" in block)
    assert "Tidszon: New York" in saved
    new_york = [block for block in out if "⏭ Race 1" in block][-1]
    assert "Start: lör 7 nov 05:15 (New York)" in new_york  # 10:15 UTC is 05:15 EST
    assert "America/New_York" not in new_york


def test_help_follows_the_chats_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _shell(tmp_path, "/help\n/settings language en\n/help\n/next\n", monkeypatch, capsys)
    helps = [block for block in out if "/start" in block]
    assert "Kommandon\n/start – prenumerera på påminnelser" in helps[0]
    assert helps[-1].startswith("Commands\n/start – subscribe to reminders")
    assert any("⏭ Race 1" in block and "Swedish time" in block for block in out)
