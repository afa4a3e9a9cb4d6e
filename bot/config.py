"""Configuration: one TOML file, every key optional, secrets also from the environment.

Missing file -> built-in defaults (SQLite file, console output, local web server), so
``racebot run`` works on a fresh machine with no accounts at all.
"""

from __future__ import annotations

import os
import tomllib
from datetime import time
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

from bot.core.errors import ConfigError
from bot.core.timeutil import LocalTimeError, zone

DEFAULT_PATH = Path("config/bot.toml")


def absolute_url(value: str, example: str) -> str:
    """``value`` if it is a full http(s) URL with a host; else say how it should look.

    A bare host ("bot.example.se") would make every link on the fan page and in the
    calendar relative, and Telegram would refuse it as a webhook.
    """
    parts = urlsplit(value.strip())
    if parts.scheme.lower() not in ("https", "http") or not parts.hostname:
        raise ValueError(
            f"{value!r} is not a full URL: it must start with https:// (or http://) "
            f"and name a host, e.g. {example}"
        )
    return value.strip()


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StorageConfig(_Section):
    url: str = "sqlite:///data/racebot.db"
    retention_days: int = Field(
        default=30, ge=1, le=3650, description="days a sent or settled delivery row is kept"
    )


class WebConfig(_Section):
    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    public_url: str = "http://127.0.0.1:8080"

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        return absolute_url(value, "https://bot.example.se")


class RemindersConfig(_Section):
    leads: list[int] = Field(default_factory=lambda: [60, 15])
    grace: int = Field(default=5, ge=0, le=60, description="minutes a reminder may come late")
    preview_time: time = time(18, 0)
    preview_days_before: int = Field(default=1, ge=0, le=7)

    @field_validator("leads")
    @classmethod
    def _leads(cls, value: list[int]) -> list[int]:
        if not value or any(m < 1 or m > 7 * 24 * 60 for m in value):
            raise ValueError("leads are minutes between 1 and 10080, e.g. [60, 15]")
        return sorted(set(value), reverse=True)


class TelegramConfig(_Section):
    token: str | None = None
    base_url: str | None = None
    staff: list[int] = Field(default_factory=list)
    webhook_url: str | None = None
    global_rate: float = Field(default=29.0, gt=0)
    per_chat_interval: float = Field(default=1.0, ge=0)
    group_interval: float = Field(default=3.0, ge=0)

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        # http only makes sense towards a local Bot API server ([telegram] base_url).
        return absolute_url(value, "https://bot.example.se/telegram/webhook")


class DiscordConfig(_Section):
    token: str | None = None
    staff_role: str | None = None
    api_base: str | None = None
    invite_url: str | None = None
    global_rate: float = Field(default=48.0, gt=0)


class BotConfig(_Section):
    timezone: str = "Europe/Stockholm"
    language: Literal["sv", "en"] = "sv"
    schedules: Path = Path("schedules")
    name: str = "racebot"

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            zone(value)
        except LocalTimeError as exc:
            raise ValueError(str(exc)) from exc
        return value


class Config(_Section):
    bot: BotConfig = Field(default_factory=BotConfig)
    storage: StorageConfig = Field(default_factory=StorageConfig)
    web: WebConfig = Field(default_factory=WebConfig)
    reminders: RemindersConfig = Field(default_factory=RemindersConfig)
    telegram: TelegramConfig = Field(default_factory=TelegramConfig)
    discord: DiscordConfig = Field(default_factory=DiscordConfig)
    source: str = "built-in defaults"


ENVIRONMENT = {
    "RACEBOT_TELEGRAM_TOKEN": ("telegram", "token"),
    "RACEBOT_DISCORD_TOKEN": ("discord", "token"),
    "RACEBOT_DATABASE_URL": ("storage", "url"),
    "RACEBOT_PUBLIC_URL": ("web", "public_url"),
    "RACEBOT_WEB_HOST": ("web", "host"),
    "RACEBOT_WEB_PORT": ("web", "port"),
}


def load_config(path: Path | None = None, env: dict[str, str] | None = None) -> Config:
    """Read ``path`` (or config/bot.toml if present), then apply environment overrides."""
    env = dict(os.environ if env is None else env)
    data: dict[str, Any] = {}
    source = "built-in defaults"
    chosen = path or (DEFAULT_PATH if DEFAULT_PATH.is_file() else None)
    if chosen is not None:
        try:
            data = tomllib.loads(chosen.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"{chosen}: config file not found") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{chosen}: not valid TOML: {exc}") from exc
        source = str(chosen)
    for variable, (section, key) in ENVIRONMENT.items():
        if env.get(variable):
            data.setdefault(section, {})[key] = env[variable]
    try:
        config = Config.model_validate({**data, "source": source})
    except ValidationError as exc:
        problems = "; ".join(
            f"[{'.'.join(str(p) for p in err['loc'][:-1])}] {err['loc'][-1]}: {_message(err)}"
            if len(err["loc"]) > 1
            else f"{err['loc'][0]}: {_message(err)}"
            for err in exc.errors()
        )
        raise ConfigError(f"{source}: {problems} (see config/bot.example.toml)") from exc
    return config


def _message(error: ErrorDetails) -> str:
    """pydantic's message without the "Value error, " it puts before our own validators'."""
    return str(error["msg"]).removeprefix("Value error, ")
