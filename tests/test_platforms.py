"""The platform registry and the console adapter, the example for adding a platform."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import adapters_from_config, platform_notes
from bot.config import (
    Config,
    DiscordConfig,
    TelegramConfig,
)
from bot.core.audience import Target
from bot.core.clock import VirtualClock
from bot.core.markup import Post, plain_text
from bot.platforms import registry
from bot.platforms.console import ConsoleAdapter, console_of
from tests.helpers import make_config, running_app

ROOT = Path(__file__).resolve().parent.parent
START = datetime(2020, 11, 7, 9, 0, tzinfo=UTC)


def _config(telegram: str | None = None, discord: str | None = None) -> Config:
    return Config(telegram=TelegramConfig(token=telegram), discord=DiscordConfig(token=discord))


def test_with_no_token_the_console_is_on_and_the_operator_is_told_why() -> None:
    config = _config()
    assert [p.name for p in registry.enabled(config)] == ["console"]
    assert registry.enabled(config, fallback=False) == []
    assert platform_notes(config) == [
        "telegram: off (no token; set RACEBOT_TELEGRAM_TOKEN or [telegram] token)",
        "discord: off (no token; set RACEBOT_DISCORD_TOKEN or [discord] token)",
        "console: on (posts are printed here)",
    ]


def test_a_token_turns_its_platform_on_and_the_console_off() -> None:
    config = _config(telegram="123:ABC")
    assert [p.name for p in registry.enabled(config)] == ["telegram"]
    assert platform_notes(config) == [
        "discord: off (no token; set RACEBOT_DISCORD_TOKEN or [discord] token)"
    ]
    both = _config(telegram="123:ABC", discord="xyz")
    assert [p.name for p in registry.enabled(both)] == ["telegram", "discord"]
    assert platform_notes(both) == []


async def test_each_registered_factory_builds_an_adapter_with_the_registry_limits() -> None:
    config = _config(telegram="123:ABC", discord="xyz")
    config = config.model_copy(
        update={"telegram": config.telegram.model_copy(update={"global_rate": 7.0})}
    )
    clock = VirtualClock(START)
    for entry in registry.PLATFORMS:
        adapter = entry.create(config, clock)
        assert adapter.name == entry.name
        assert adapter.limits == entry.limits(config)
        for method in ("start", "stop", "send", "edit"):
            assert callable(getattr(adapter, method))
    assert registry.platform("telegram").limits(config).global_per_second == 7.0


def test_an_unknown_platform_name_is_refused_with_the_known_ones() -> None:
    with pytest.raises(KeyError, match="no platform called 'matrix'; known: telegram, discord"):
        registry.platform("matrix")


def test_a_platform_library_is_imported_only_when_the_platform_is_on() -> None:
    script = (
        "import sys\n"
        "from bot.app import adapters_from_config\n"
        "from bot.config import Config\n"
        "from bot.core.clock import SystemClock\n"
        "adapters = adapters_from_config(Config(), SystemClock())\n"
        "print([a.name for a in adapters])\n"
        "print(sorted(m for m in ('telegram', 'discord') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines() == ["['console']", "[]"]


def test_explicit_senders_stand_in_for_the_console() -> None:
    assert adapters_from_config(_config(), VirtualClock(START), fallback=False) == []


async def test_console_prints_sends_and_edits_with_the_chat_it_would_go_to() -> None:
    out = io.StringIO()
    console = ConsoleAdapter(out=out)
    target = Target(id=1, platform="console", chat_id="console", title="konsol")
    ids = await console.send(target, Post(title="Kval", lines=()))
    assert ids == ["1"]
    assert await console.edit(target, ids, Post(title="Kval, flyttat")) == ["1"]
    text = out.getvalue()
    assert "── konsol · #1\nKval\n" in text
    assert "── konsol · #1 · ✏️ Uppdaterad\nKval, flyttat\n" in text
    with pytest.raises(RuntimeError, match="not started"):
        await console.command(console.caller("u", "du"), "/help")


async def test_the_console_is_a_whole_platform_commands_in_posts_out(tmp_path: Path) -> None:
    """What `racebot run` without tokens and `racebot shell` use: one line in, the
    service's answer back, and what is published printed as the fan would see it."""
    async with running_app(make_config(tmp_path), VirtualClock(START), console_target=True) as app:
        console = console_of(app.adapters)
        out = console.out = io.StringIO()
        me = console.caller("local", "du")
        assert me.is_staff
        assert me.platform == "console"
        unknown = await console.command(me, "/nosuchthing")
        assert "/nosuchthing" in plain_text(unknown.post)  # named back, not dropped
        draft = await console.command(me, "/announce Depån öppnar 10:00 & <alla> välkomna")
        assert draft.confirm
        done = await console.command(me, f"/publish {draft.confirm}")
        assert "Publicerat till 1 chatt." in plain_text(done.post)
        await app.settle()
        assert "── konsol · #1" in out.getvalue()
        assert "Depån öppnar 10:00 & <alla> välkomna" in out.getvalue()
    with pytest.raises(RuntimeError, match="console platform is not on"):
        console_of([])
