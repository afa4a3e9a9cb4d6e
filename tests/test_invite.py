"""`racebot invite`: the Discord invite URL, its permission bits and where the id comes from."""

from __future__ import annotations

import base64
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import discord
import pytest

from bot.cli import main
from bot.cli_invite import application_id_from_token, invite_url
from bot.core.errors import UserError
from bot.platforms.discord import permissions
from bot.platforms.discord.access import CHANNEL_PERMISSIONS

#: Discord's documented flag values (developers/topics/permissions, "Bitwise Permission
#: Flags"), written out here rather than computed, so a wrong bit in the code shows.
DOCUMENTED = {
    "view_channel": 0x0000000000000400,
    "send_messages": 0x0000000000000800,
    "embed_links": 0x0000000000004000,
    "attach_files": 0x0000000000008000,
    "mention_everyone": 0x0000000000020000,
    "manage_roles": 0x0000000010000000,
    "create_events": 0x0000100000000000,
    "pin_messages": 0x0008000000000000,
}
NEEDED = {
    "view_channel",
    "send_messages",
    "embed_links",
    "attach_files",
    "manage_roles",
    "create_events",
    "pin_messages",
}

#: The example token of Discord's own documentation; its first part is base64 of the id.
DOC_TOKEN = "MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs"
DOC_ID = "198622483471925248"


def token_for(app_id: str, *, urlsafe: bool = False) -> str:
    raw = app_id.encode("ascii")
    first = (base64.urlsafe_b64encode(raw) if urlsafe else base64.b64encode(raw)).decode()
    return f"{first.rstrip('=')}.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789ABC"


def query(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "discord.com", "/oauth2/authorize")
    parsed = parse_qs(parts.query, strict_parsing=True)
    assert all(len(v) == 1 for v in parsed.values()), parsed
    return {k: v[0] for k, v in parsed.items()}


def set_bits(value: int) -> set[int]:
    return {bit for bit in range(value.bit_length()) if value >> bit & 1}


def documented_bits(names: set[str]) -> set[int]:
    return {DOCUMENTED[name].bit_length() - 1 for name in names}


def test_the_url_asks_for_exactly_the_needed_permissions_bit_by_bit() -> None:
    q = query(invite_url("157730590492196864", permissions.REQUIRED))
    assert q["client_id"] == "157730590492196864"
    assert q["scope"].split(" ") == ["bot", "applications.commands"]
    assert q["integration_type"] == "0"  # a server install, not a user install
    value = int(q["permissions"])
    assert set_bits(value) == documented_bits(NEEDED)
    assert value == sum(DOCUMENTED[name] for name in NEEDED) == 2269392268217344


def test_mention_everyone_only_on_request(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["invite", "--client-id", "157730590492196864"]) == 0
    plain = int(query(capsys.readouterr().out.strip())["permissions"])
    assert main(["invite", "--client-id", "157730590492196864", "--mention-everyone"]) == 0
    captured = capsys.readouterr()
    flagged = int(query(captured.out.strip())["permissions"])
    assert set_bits(flagged) - set_bits(plain) == {17}
    assert set_bits(flagged) == documented_bits(NEEDED | {"mention_everyone"})
    assert "Mention @everyone" in captured.err
    assert f"permissions={flagged}" in captured.err


def test_every_name_is_discord_py_s_flag_with_the_documented_bit() -> None:
    """The adapter checks these by name on discord.py's Permissions: a typo would never fail."""
    for permission in permissions.REQUIRED + permissions.OPTIONAL:
        assert discord.Permissions(**{permission.name: True}).value == permission.value
        assert permission.value == DOCUMENTED[permission.name]


def test_setup_checks_the_channel_permissions_the_invite_asks_for() -> None:
    assert CHANNEL_PERMISSIONS == ("view_channel", "send_messages", "embed_links")
    assert set(CHANNEL_PERMISSIONS) <= {p.name for p in permissions.REQUIRED}


@pytest.mark.parametrize(
    "app_id",
    [DOC_ID, "157730590492196864", "1234567890123456789", "12345678901234567"],
)
@pytest.mark.parametrize("urlsafe", [False, True])
def test_the_application_id_is_read_from_the_token(app_id: str, urlsafe: bool) -> None:
    assert application_id_from_token(token_for(app_id, urlsafe=urlsafe)) == app_id


def test_discord_s_documented_example_token() -> None:
    assert application_id_from_token(DOC_TOKEN) == DOC_ID
    assert application_id_from_token(f"  {DOC_TOKEN}\n") == DOC_ID


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not-a-token",
        "MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ",  # two parts
        ".Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs",  # no first part
        "M$k4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs",  # not base64
        base64.b64encode(b"racebot").decode() + ".Cl2FMQ.x",  # base64, but not an id
        base64.b64encode(b"\xff\xfe").decode() + ".Cl2FMQ.x",  # not even text
        "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11",  # a Telegram token by mistake
    ],
)
def test_a_token_without_an_application_id_says_what_to_do(token: str) -> None:
    with pytest.raises(UserError) as caught:
        application_id_from_token(token)
    assert "--client-id" in str(caught.value)
    assert "General Information" in str(caught.value)


def write_config(tmp_path: Path, discord: str = "") -> Path:
    path = tmp_path / "bot.toml"
    path.write_text(f"[web]\nenabled = false\n\n[discord]\n{discord}\n", encoding="utf-8")
    return path


def test_the_id_defaults_to_the_configured_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("RACEBOT_DISCORD_TOKEN", raising=False)
    config = write_config(tmp_path, f'token = "{DOC_TOKEN}"')
    assert main(["invite", "--config", str(config)]) == 0
    assert query(capsys.readouterr().out.strip())["client_id"] == DOC_ID


def test_the_environment_token_wins_and_client_id_wins_over_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, f'token = "{DOC_TOKEN}"')
    monkeypatch.setenv("RACEBOT_DISCORD_TOKEN", token_for("157730590492196864"))
    assert main(["invite", "--config", str(config)]) == 0
    assert query(capsys.readouterr().out.strip())["client_id"] == "157730590492196864"
    assert main(["invite", "--config", str(config), "--client-id", "42424242424242424"]) == 0
    assert query(capsys.readouterr().out.strip())["client_id"] == "42424242424242424"


def test_no_id_and_no_token_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("RACEBOT_DISCORD_TOKEN", raising=False)
    assert main(["invite", "--config", str(write_config(tmp_path))]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "no Discord application id" in captured.err
    assert "--client-id" in captured.err
    assert "RACEBOT_DISCORD_TOKEN" in captured.err
    assert "Traceback" not in captured.err


def test_a_broken_configured_token_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("RACEBOT_DISCORD_TOKEN", raising=False)
    config = write_config(tmp_path, 'token = "paste-the-token-here"')
    assert main(["invite", "--config", str(config)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "does not start with an application id" in captured.err
    assert "--client-id" in captured.err


@pytest.mark.parametrize("client_id", ["abc", "12 34", "-5", "0", "١٢٣", ""])
def test_a_client_id_that_is_not_an_id_is_refused(
    client_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["invite", "--client-id", client_id]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "is not a Discord application id" in captured.err
    assert "General Information" in captured.err
