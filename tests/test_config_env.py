"""Settings from the environment: RACEBOT_<SECTION>__<KEY> for every key, the old short names
still working, lists written the way people write them, mistakes named with the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config, load_config
from bot.core.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "config" / "bot.example.toml"


def test_the_old_names_still_set_their_keys() -> None:
    env = {
        "RACEBOT_TELEGRAM_TOKEN": "123:ABC",
        "RACEBOT_DISCORD_TOKEN": "discord-token",
        "RACEBOT_DATABASE_URL": "postgresql://racebot@db/racebot",
        "RACEBOT_PUBLIC_URL": "https://bot.example.se",
        "RACEBOT_WEB_HOST": "0.0.0.0",
        "RACEBOT_WEB_PORT": "9090",
    }
    config = load_config(EXAMPLE, env=env)
    assert config.telegram.token == "123:ABC"
    assert config.discord.token == "discord-token"
    assert config.storage.url == "postgresql://racebot@db/racebot"
    assert config.web.public_url == "https://bot.example.se"
    assert (config.web.host, config.web.port) == ("0.0.0.0", 9090)


def test_every_key_has_a_nested_name_over_the_file() -> None:
    env = {
        "RACEBOT_TELEGRAM__TOKEN": "123:ABC",
        "RACEBOT_TELEGRAM__STAFF": "[7001, 7002]",
        "RACEBOT_TELEGRAM__GLOBAL_RATE": "20",
        "RACEBOT_DISCORD__STAFF_ROLE": "Team",
        "RACEBOT_BOT__LANGUAGE": "en",
        "RACEBOT_BOT__TIMEZONE": "Europe/Helsinki",
        "RACEBOT_REMINDERS__LEADS": "30, 10",
        "RACEBOT_REMINDERS__PREVIEW_TIME": "19:30",
        "racebot_web__port": "8181",  # any case, as the shell allows
        "RACEBOT_OBSERVABILITY__SENTRY_DSN": "https://key@o1.ingest.sentry.io/5",
    }
    config = load_config(EXAMPLE, env=env)
    assert config.telegram.token == "123:ABC"
    assert config.telegram.staff == [7001, 7002]
    assert config.telegram.global_rate == 20.0
    assert config.discord.staff_role == "Team"
    assert (config.bot.language, config.bot.timezone) == ("en", "Europe/Helsinki")
    assert config.reminders.leads == [30, 10]
    assert config.reminders.preview_time.isoformat() == "19:30:00"
    assert config.web.port == 8181
    assert config.observability.sentry_dsn == "https://key@o1.ingest.sentry.io/5"


@pytest.mark.parametrize(
    "written", ["7001,7002", "7001, 7002", " 7001 7002 ", "7001;7002", "[7001,7002]", "7001,7002,"]
)
def test_a_staff_list_as_people_write_it(written: str) -> None:
    config = load_config(EXAMPLE, env={"RACEBOT_TELEGRAM__STAFF": written})
    assert config.telegram.staff == [7001, 7002]


def test_a_variable_changes_its_key_and_keeps_the_rest_of_the_section(tmp_path: Path) -> None:
    path = tmp_path / "bot.toml"
    path.write_text("[telegram]\ngroup_interval = 5.0\nstaff = [1]\n", encoding="utf-8")
    config = load_config(path, env={"RACEBOT_TELEGRAM__STAFF": "7001"})
    assert config.telegram.staff == [7001]
    assert config.telegram.group_interval == 5.0


def test_the_nested_name_wins_over_the_old_one() -> None:
    env = {"RACEBOT_WEB_PORT": "9090", "RACEBOT_WEB__PORT": "9191"}
    assert load_config(EXAMPLE, env=env).web.port == 9191


def test_empty_variables_change_nothing() -> None:
    env = {"RACEBOT_TELEGRAM__TOKEN": "", "RACEBOT_TELEGRAM_TOKEN": "", "RACEBOT_WEB__PORT": ""}
    config = load_config(EXAMPLE, env=env)
    assert config.telegram.token is None
    assert config.web.port == 8080


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"RACEBOT_TELEGRAM__STAFF": "anna"},
            "with RACEBOT_TELEGRAM__STAFF from the environment: [telegram.staff] 0: Input "
            "should be a valid integer",
        ),
        ({"RACEBOT_TELEGRAM__STAFF": "[7001,"}, "[telegram] staff: '[7001,' is not a list"),
        ({"RACEBOT_WEB__PORT": "eighty"}, "[web] port: Input should be a valid integer"),
        ({"RACEBOT_TELEGRAM__TOKNE": "x"}, "[telegram] tokne: Extra inputs are not permitted"),
        ({"RACEBOT_BOT__TIMEZONE": "Stockholm"}, "[bot] timezone:"),
    ],
)
def test_a_bad_variable_is_named_with_its_key(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(EXAMPLE, env=env)
    assert message in str(caught.value)
    assert str(EXAMPLE) in str(caught.value)


def test_without_env_the_process_environment_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RACEBOT_TELEGRAM__STAFF", "42")
    monkeypatch.setenv("RACEBOT_DISCORD_TOKEN", "from-shell")
    config = load_config(EXAMPLE)
    assert config.telegram.staff == [42]
    assert config.discord.token == "from-shell"


def test_a_config_built_in_code_ignores_the_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RACEBOT_TELEGRAM__TOKEN", "from-shell")
    monkeypatch.setenv("RACEBOT_WEB__PORT", "1")
    config = Config()
    assert config.telegram.token is None
    assert config.web.port == 8080
