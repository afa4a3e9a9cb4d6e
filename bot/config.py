"""Configuration: one TOML file, every key optional, each also from the environment.

Missing file -> built-in defaults (SQLite file, console output, local web server), so
``racebot run`` works on a fresh machine with no accounts at all.

The environment overrides the file (pydantic-settings): every key as
``RACEBOT_<SECTION>__<KEY>`` (``RACEBOT_TELEGRAM__TOKEN``, ``RACEBOT_TELEGRAM__STAFF=7001,7002``,
``RACEBOT_WEB__PORT``), and the short names of ``LEGACY`` that deployments already use
(``RACEBOT_TELEGRAM_TOKEN``, ``RACEBOT_DATABASE_URL``...); where both are set the
``__`` name wins.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from contextvars import ContextVar
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

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


def _number_list(value: Any) -> Any:
    """A list from the environment as people write it: "7001,7002", "7001 7002", "[7001]"."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.startswith("["):
        try:
            return json.loads(text)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a list, e.g. 7001,7002 or [7001, 7002]") from exc
    return [part for part in text.replace(",", " ").replace(";", " ").split() if part]


#: A list of numbers that the environment may give as text (see ``_number_list``).
NumberList = Annotated[list[int], NoDecode]


class StorageConfig(_Section):
    url: str = "sqlite:///data/racebot.db"
    retention_days: int = Field(
        default=30, ge=1, le=3650, description="days a sent or settled delivery row is kept"
    )
    lease_seconds: float = Field(
        default=8.0,
        ge=0,
        le=600,
        description="PostgreSQL: how long a process's hold on a platform lasts unrenewed "
        "(one process per bot token polls and sends; 0 = off, for one process only)",
    )

    @field_validator("lease_seconds")
    @classmethod
    def _lease_outlasts_its_margin(cls, value: float) -> float:
        if 0 < value < 6:
            raise ValueError("0 (off) or at least 6 s: a long poll and a renewal must fit")
        return value


class WebConfig(_Section):
    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    public_url: str = "http://127.0.0.1:8080"
    #: Signs the personal calendar feed URLs /calendar hands out; unset: derived from the
    #: bot tokens (then a new token changes every personal feed URL).
    feed_secret: str | None = None

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        return absolute_url(value, "https://bot.example.se")


class RemindersConfig(_Section):
    leads: NumberList = Field(default_factory=lambda: [60, 15])
    grace: int = Field(default=5, ge=0, le=60, description="minutes a reminder may come late")
    preview_time: time = time(18, 0)
    preview_days_before: int = Field(default=1, ge=0, le=7)
    late_preview: bool = Field(
        default=True, description="a chat subscribing after the preview went out gets it then"
    )

    _leads_text = field_validator("leads", mode="before")(_number_list)

    @field_validator("leads")
    @classmethod
    def _leads(cls, value: list[int]) -> list[int]:
        if not value or any(m < 1 or m > 7 * 24 * 60 for m in value):
            raise ValueError("leads are minutes between 1 and 10080, e.g. [60, 15]")
        return sorted(set(value), reverse=True)


class TelegramConfig(_Section):
    token: str | None = None
    base_url: str | None = None
    staff: NumberList = Field(default_factory=list)
    webhook_url: str | None = None
    global_rate: float = Field(default=29.0, gt=0)
    per_chat_interval: float = Field(default=1.0, ge=0)
    group_interval: float = Field(default=3.0, ge=0)
    #: Telegram's paid broadcasts (``allow_paid_broadcast``): up to 1000 messages a second
    #: instead of about 30, for a fee of 0.1 Telegram Stars per message (the Bot FAQ: each
    #: one beyond the free 30 a second), taken from the bot's Stars balance. Off by default.
    paid_broadcast: bool = False
    paid_broadcast_rate: float = Field(default=1000.0, gt=0, le=1000)

    _staff_text = field_validator("staff", mode="before")(_number_list)

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


class ObservabilityConfig(_Section):
    #: Where unexpected errors are reported (Sentry or GlitchTip); off when unset.
    sentry_dsn: str | None = None
    sentry_environment: str | None = None

    @field_validator("sentry_dsn")
    @classmethod
    def _dsn(cls, value: str | None) -> str | None:
        if not value:
            return None
        return absolute_url(value, "https://PUBLIC_KEY@o0.ingest.sentry.io/PROJECT_ID")


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


#: The environment load_config reads (os.environ or a test's); empty for a Config built
#: directly in code, which so never depends on the shell it runs in.
_ENVIRONMENT: ContextVar[Mapping[str, str] | None] = ContextVar("racebot_env", default=None)


class _Environment(EnvSettingsSource):
    def _load_env_vars(self) -> Mapping[str, str | None]:
        env = _ENVIRONMENT.get() or {}
        return {name.lower(): value for name, value in env.items() if value}


class Config(BaseSettings):
    model_config = SettingsConfigDict(
        extra="forbid", env_prefix="RACEBOT_", env_nested_delimiter="__", env_ignore_empty=True
    )

    bot: BotConfig = Field(default_factory=BotConfig)
    storage: StorageConfig = Field(default_factory=StorageConfig)
    web: WebConfig = Field(default_factory=WebConfig)
    reminders: RemindersConfig = Field(default_factory=RemindersConfig)
    telegram: TelegramConfig = Field(default_factory=TelegramConfig)
    discord: DiscordConfig = Field(default_factory=DiscordConfig)
    observability: ObservabilityConfig = Field(default_factory=ObservabilityConfig)
    source: str = "built-in defaults"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """The environment (``RACEBOT_SECTION__KEY``) first, then the file's values."""
        return (_Environment(settings_cls), init_settings)


#: Names deployments already use, each one key; ``RACEBOT_<SECTION>__<KEY>`` works for all.
LEGACY = {
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
    for variable, (section, key) in LEGACY.items():
        if env.get(variable):
            data.setdefault(section, {})[key] = env[variable]
    used = sorted(name for name in env if env[name] and (name in LEGACY or _nested(name)))
    where = f"{source} with {', '.join(used)} from the environment" if used else source
    token = _ENVIRONMENT.set(env)
    try:
        config = Config(**{**data, "source": source})
    except SettingsError as exc:
        raise ConfigError(f"{where}: {exc} (see config/bot.example.toml)") from exc
    except ValidationError as exc:
        problems = "; ".join(
            f"[{'.'.join(str(p) for p in err['loc'][:-1])}] {err['loc'][-1]}: {_message(err)}"
            if len(err["loc"]) > 1
            else f"{err['loc'][0]}: {_message(err)}"
            for err in exc.errors()
        )
        raise ConfigError(f"{where}: {problems} (see config/bot.example.toml)") from exc
    finally:
        _ENVIRONMENT.reset(token)
    return config


def _nested(name: str) -> bool:
    """A ``RACEBOT_<SECTION>__<KEY>`` variable (any case, as pydantic-settings reads them)."""
    return name.upper().startswith("RACEBOT_") and "__" in name


def _message(error: ErrorDetails) -> str:
    """pydantic's message without the "Value error, " it puts before our own validators'."""
    return str(error["msg"]).removeprefix("Value error, ")
