"""Every chat platform the bot knows, in one table: adding a platform is one line here.

A platform is a module with an adapter class that implements ``bot.platforms.base.Adapter``
(start, stop, send, edit) and is built as ``Class(config, clock)``; see
``bot/platforms/console.py`` for the smallest complete one. Add it to ``PLATFORMS`` with
its config section (where its token and rates live), the ``module:Class`` to import, its
send limits, and the line an operator reads when it is off. ``bot.app`` starts every
platform that has a token, and the console when none has; the adapter module is imported
only then, so a platform's library stays optional.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.config import Config
from bot.platforms.base import Limits

if TYPE_CHECKING:
    from bot.core.clock import Clock
    from bot.platforms.base import Adapter


@dataclass(frozen=True, slots=True)
class Platform:
    """One platform: how to tell it is configured, how to build it, how fast it may send."""

    name: str
    #: The ``[section]`` of the config file (and ``Config`` attribute) with its token;
    #: ``None`` for a platform that needs no account.
    section: str | None
    #: ``module:Class``, imported only when the platform is on.
    factory: str
    limits: Callable[[Config], Limits]
    #: What the operator reads at start when the platform is off (no token).
    off_note: str = ""
    #: What the operator reads at start when the platform is on, if anything.
    on_note: str = ""
    #: On only when no other platform is (the console: the bot runs with no accounts).
    fallback: bool = False

    def configured(self, config: Config) -> bool:
        """Whether the config holds this platform's token."""
        if self.section is None:
            return False
        return bool(getattr(getattr(config, self.section), "token", None))

    def create(self, config: Config, clock: Clock) -> Adapter:
        """Import the adapter's module now (not before) and build the adapter."""
        module, _, name = self.factory.partition(":")
        factory: Callable[[Config, Clock], Adapter] = getattr(importlib.import_module(module), name)
        return factory(config, clock)


def _telegram_limits(config: Config) -> Limits:
    tg = config.telegram
    return Limits(
        # Paid broadcasts: every send carries allow_paid_broadcast and may go this fast.
        global_per_second=tg.paid_broadcast_rate if tg.paid_broadcast else tg.global_rate,
        per_chat_interval=tg.per_chat_interval,
        group_interval=tg.group_interval,
    )


def _discord_limits(config: Config) -> Limits:
    return Limits(global_per_second=config.discord.global_rate)


def _console_limits(config: Config) -> Limits:
    return Limits(global_per_second=1000.0, concurrency=1)


PLATFORMS: tuple[Platform, ...] = (
    Platform(
        "telegram",
        "telegram",
        "bot.platforms.telegram:TelegramAdapter",
        _telegram_limits,
        off_note="telegram: off (no token; set RACEBOT_TELEGRAM_TOKEN or [telegram] token)",
    ),
    Platform(
        "discord",
        "discord",
        "bot.platforms.discord:DiscordAdapter",
        _discord_limits,
        off_note="discord: off (no token; set RACEBOT_DISCORD_TOKEN or [discord] token)",
    ),
    Platform(
        "console",
        None,
        "bot.platforms.console:ConsoleAdapter",
        _console_limits,
        on_note="console: on (posts are printed here)",
        fallback=True,
    ),
)


def paid(config: Config) -> set[str]:
    """The platforms that send paid broadcasts (their rate costs money per message)."""
    return {"telegram"} if config.telegram.paid_broadcast else set()


def platform(name: str) -> Platform:
    """The registered platform called ``name``."""
    for entry in PLATFORMS:
        if entry.name == name:
            return entry
    raise KeyError(f"no platform called {name!r}; known: {', '.join(p.name for p in PLATFORMS)}")


def enabled(config: Config, *, fallback: bool = True) -> list[Platform]:
    """The platforms to start: each one with a token, else (with ``fallback``) the console."""
    on = [p for p in PLATFORMS if not p.fallback and p.configured(config)]
    if not on and fallback:
        on = [p for p in PLATFORMS if p.fallback]
    return on


def notes(config: Config) -> list[str]:
    """Which platforms are off and why, and what is on instead, for the start lines."""
    lines = [p.off_note for p in PLATFORMS if not p.fallback and not p.configured(config)]
    lines += [p.on_note for p in enabled(config) if p.on_note]
    return lines
