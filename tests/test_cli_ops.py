"""Operator-facing CLI points: --version, full public URLs, --at.

(That `racebot run` prints its start lines at INFO is checked in tests/test_cli.py, in the
test that runs it as a process.)
"""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import load_config
from bot.core.errors import ConfigError, UserError
from bot.shell import parse_start
from tests.helpers import ROOT, SCHEDULES

EXAMPLE = ROOT / "config" / "bot.example.toml"


def test_version_is_the_package_s(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert capsys.readouterr().out == f"racebot {project['version']}\n"


# -- public URLs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "bot.example.se",
        "bot.example.se/racebot",
        "www.bot.example.se:8443",  # urlsplit reads "www.bot.example.se" as a scheme here
        "//bot.example.se",
        "https://",
        "https:/bot.example.se",
        "ftp://bot.example.se",
        "webcal://bot.example.se",
    ],
)
def test_a_public_url_that_is_not_a_full_url_is_refused(url: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(EXAMPLE, env={"RACEBOT_PUBLIC_URL": url})
    message = str(caught.value)
    assert "[web] public_url" in message
    assert repr(url) in message
    assert "must start with https://" in message
    assert "e.g. https://bot.example.se" in message
    assert "Value error" not in message


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://bot.example.se", "https://bot.example.se"),
        ("https://bot.example.se/racebot/", "https://bot.example.se/racebot/"),
        ("  HTTPS://bot.example.se  ", "HTTPS://bot.example.se"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
    ],
)
def test_a_full_public_url_is_accepted(url: str, kept: str) -> None:
    assert load_config(EXAMPLE, env={"RACEBOT_PUBLIC_URL": url}).web.public_url == kept


def test_the_default_public_url_passes_its_own_check() -> None:
    assert load_config(EXAMPLE, env={}).web.public_url == "http://127.0.0.1:8080"


def test_a_webhook_url_without_a_scheme_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.toml"
    path.write_text('[telegram]\nwebhook_url = "bot.example.se/telegram/webhook"\n', "utf-8")
    with pytest.raises(ConfigError, match=r"\[telegram\] webhook_url: 'bot\.example\.se/tel"):
        load_config(path, env={})
    path.write_text('[telegram]\nwebhook_url = ""\n', encoding="utf-8")
    assert load_config(path, env={}).telegram.webhook_url is None


def test_racebot_check_says_which_key_and_how(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RACEBOT_PUBLIC_URL", raising=False)
    path = tmp_path / "bot.toml"
    path.write_text(
        f'[bot]\nschedules = "{SCHEDULES}"\n[web]\npublic_url = "race.example.org"\n', "utf-8"
    )
    assert main(["check", "--config", str(path)]) == 1
    err = capsys.readouterr().err
    assert "[web] public_url: 'race.example.org' is not a full URL" in err
    assert "Traceback" not in err


# -- shell --at ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2020-11-06", "2020-11-06T10:00", "2020-11-06 10:00:00"])
def test_at_without_an_offset_is_refused_in_words(
    text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bot.toml"
    path.write_text(f'[bot]\nschedules = "{SCHEDULES}"\n[web]\nenabled = false\n', "utf-8")
    assert main(["shell", "--config", str(path), "--at", text]) == 1
    err = capsys.readouterr().err
    assert f"--at {text}: no UTC offset" in err
    assert "e.g. --at 2020-11-07T10:00:00+01:00" in err
    assert "datetime.datetime" not in err
    assert "naive" not in err


def test_an_empty_at_is_refused_not_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bot.toml"
    path.write_text(f'[bot]\nschedules = "{SCHEDULES}"\n[web]\nenabled = false\n', "utf-8")
    assert main(["shell", "--config", str(path), "--at", ""]) == 1
    assert "not an ISO 8601 date and time" in capsys.readouterr().err


@pytest.mark.parametrize("text", ["garbage", "", "2020-13-01T10:00:00+01:00", "tomorrow 10:00"])
def test_at_that_is_not_a_time_is_refused_in_words(text: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_start(text)
    assert "not an ISO 8601 date and time" in str(caught.value)
    assert "Invalid isoformat" not in str(caught.value)


def test_at_with_an_offset_is_that_instant_in_utc() -> None:
    assert parse_start("2020-11-07T10:00:00+01:00") == datetime(2020, 11, 7, 9, tzinfo=UTC)
    assert parse_start("2020-11-07T09:00:00Z") == datetime(2020, 11, 7, 9, tzinfo=UTC)
    # The autumn fold in Stockholm: the two 02:30 are an hour apart, told by their offsets.
    summer = parse_start("2020-10-25T02:30:00+02:00")
    winter = parse_start("2020-10-25T02:30:00+01:00")
    assert (winter - summer).total_seconds() == 3600
    assert summer.tzinfo is UTC
