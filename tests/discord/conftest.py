"""The ``env`` fixture: FakeDiscord with one fan server, and the App connected to it."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from pathlib import Path

import pytest

import bot.platforms.discord as discord_module
from bot.config import (
    BotConfig,
    Config,
    DiscordConfig,
    RemindersConfig,
    StorageConfig,
    WebConfig,
)
from bot.core.clock import VirtualClock
from bot.platforms.discord import DiscordAdapter
from tests.discord.world import (
    ADMIN,
    ALERT_ROLE,
    ALERTS,
    FAN,
    GENERAL,
    GUILD,
    MECHANIC,
    NEWS,
    OWNER,
    START,
    TEAM_ROLE,
    Env,
)
from tests.fakes.fake_discord import FakeDiscord
from tests.helpers import SCHEDULES, database_url, running_app


@pytest.fixture
async def env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> AsyncIterator[Env]:
    """``param``: the virtual start, or (start, a function writing the schedules into
    ``tmp_path`` and returning their folder)."""
    param: datetime | tuple[datetime, Callable[[Path], Path]] = getattr(request, "param", START)
    start, write = param if isinstance(param, tuple) else (param, lambda _: SCHEDULES)
    schedules = write(tmp_path)
    # App builds the adapter itself; skip discord.py's 2 s wait for GUILD_CREATEs.
    monkeypatch.setattr(
        discord_module,
        "DiscordAdapter",
        functools.partial(DiscordAdapter, guild_ready_timeout=0.05),
    )
    async with FakeDiscord(channel_bucket=(50, 0.5)) as fake:
        fake.add_guild(GUILD, "Bäckman fans", owner_id=OWNER)
        fake.add_text_channel(GUILD, GENERAL, "general")
        fake.add_text_channel(GUILD, ALERTS, "alerts")
        fake.add_text_channel(GUILD, NEWS, "news")
        fake.add_role(GUILD, ALERT_ROLE, "Race alerts")
        fake.add_member(GUILD, OWNER, "Owner", manage_guild=True)
        fake.add_member(GUILD, FAN, "Fan")
        fake.add_member(GUILD, ADMIN, "Admin", manage_guild=True)
        fake.add_role(GUILD, TEAM_ROLE, "Team")
        fake.add_member(GUILD, MECHANIC, "Mechanic", roles=[TEAM_ROLE])  # staff, not admin
        config = Config(
            storage=StorageConfig(url=database_url(request, tmp_path)),
            discord=DiscordConfig(
                token=fake.token, api_base=f"{fake.url}/api/v10", staff_role="Team"
            ),
            bot=BotConfig(schedules=schedules),
            # The world starts inside Jarama's preview window (Saturday morning): without
            # this every channel set up would first get the weekend's preview, which the
            # tests of delivery and servers do not look at. test_fan_weekend turns it on.
            reminders=RemindersConfig(late_preview=False),
            web=WebConfig(enabled=False),
        )
        clock = VirtualClock(start)
        fake.now = clock.now  # "in the past" for scheduled events means virtual time
        async with running_app(config, clock) as app:
            yield Env(app=app, clock=clock, fake=fake)
