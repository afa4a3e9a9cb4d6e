"""/metrics after a fan-out through the real clients: fake Telegram and fake Discord at once.

Virtual time drives the TCR Europe Jarama weekend; the clock jumps two minutes past the
"15 minutes before race 1" reminders, so each is sent late and its lateness is known.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest

import bot.platforms.discord as discord_module
from bot.app import App
from bot.config import (
    BotConfig,
    Config,
    DiscordConfig,
    RemindersConfig,
    StorageConfig,
    TelegramConfig,
    WebConfig,
)
from bot.core.clock import VirtualClock
from bot.platforms.discord import DiscordAdapter
from tests.discord.world import ALERT_ROLE, ALERTS, GUILD, OWNER, RACE1, START
from tests.fakes.fake_discord import FakeDiscord
from tests.fakes.fake_telegram import FakeTelegram
from tests.helpers import SCHEDULES, AppHarness, metric_samples, running_app
from tests.process import free_port

USER = 1001
ADMIN = 2001
GROUP = -4001


@dataclass
class World(AppHarness):
    telegram: FakeTelegram
    discord: FakeDiscord
    port: int

    async def scrape(self) -> dict[str, float]:
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"http://127.0.0.1:{self.port}/metrics") as response,
        ):
            assert response.status == 200
            assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
            return metric_samples(await response.text())


@pytest.fixture
async def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[World]:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    quick = functools.partial(DiscordAdapter, guild_ready_timeout=0.05)
    monkeypatch.setattr(discord_module, "DiscordAdapter", quick)
    port = free_port()
    async with (
        FakeTelegram(global_rate=None, per_chat_interval=None, group_per_minute=None) as tg,
        FakeDiscord() as dc,
    ):
        tg.add_private_chat(USER, "Anna", username="anna")
        tg.add_group(GROUP, "Bäckman fans", admins=[ADMIN])
        dc.add_guild(GUILD, "Bäckman fans", owner_id=OWNER)
        dc.add_text_channel(GUILD, ALERTS, "alerts")
        dc.add_role(GUILD, ALERT_ROLE, "Race alerts")
        dc.add_member(GUILD, OWNER, "Owner", manage_guild=True)
        config = Config(
            storage=StorageConfig(url=f"sqlite:///{tmp_path}/t.db"),
            telegram=TelegramConfig(
                token=tg.token,
                base_url=f"{tg.url}/bot",
                per_chat_interval=0.01,
                group_interval=0.01,
                global_rate=500,
            ),
            discord=DiscordConfig(token=dc.token, api_base=f"{dc.url}/api/v10"),
            bot=BotConfig(schedules=SCHEDULES),
            # The world starts inside Jarama's preview window: without this the chats would
            # first get the preview at once (on time, not late), which this test does not count.
            reminders=RemindersConfig(late_preview=False),
            web=WebConfig(enabled=True, host="127.0.0.1", port=port),
        )
        clock = VirtualClock(START)
        dc.now = clock.now
        async with running_app(config, clock) as app:
            yield World(app=app, clock=clock, telegram=tg, discord=dc, port=port)


async def subscribe_everywhere(world: World) -> None:
    tg = world.telegram
    tg.push_message(USER, USER, "/start")
    await tg.wait_for_messages(USER, 1)
    tg.push_message(GROUP, ADMIN, "/subscribe race")
    await tg.wait_for_messages(GROUP, 1)
    setup = {"channel": ALERTS, "role": ALERT_ROLE, "language": "sv"}
    interaction = await world.discord.invoke_command(GUILD, ALERTS, OWNER, "setup", setup)
    await interaction.wait_response()


async def sent_rows(app: App, platform: str) -> int:
    return (await app.store.delivery_counts(platform=platform)).get("sent", 0)


async def test_counters_histograms_and_gauges_after_a_fan_out(world: World) -> None:
    before = await world.scrape()
    assert before['racebot_deliveries_total{outcome="sent",platform="telegram"}'] == 0
    assert before['racebot_platform_up{platform="discord"}'] == 1
    assert before["racebot_degraded"] == 0
    assert before["racebot_series"] == 3  # the schedule gauges are still there
    assert before["process_resident_memory_bytes"] > 0
    assert any(name.startswith("python_info{") for name in before)
    await subscribe_everywhere(world)
    # The group is refused with a long flood wait: its row stays queued, counted as retried.
    world.telegram.fail_next(GROUP, "flood", retry_after=600)
    due = RACE1 - timedelta(minutes=15)
    await world.advance_to(due + timedelta(minutes=2))
    await world.discord.wait_for_messages(ALERTS, 1)

    samples = await world.scrape()
    telegram = await sent_rows(world.app, "telegram")
    discord = await sent_rows(world.app, "discord")
    assert telegram >= 1
    assert discord >= 1
    for platform, sent in (("telegram", telegram), ("discord", discord)):
        labels = f'platform="{platform}"'
        assert samples[f'racebot_deliveries_total{{outcome="sent",{labels}}}'] == sent
        # Two minutes after due: every one is late, none within a minute, all within five.
        assert samples[f'racebot_deliveries_total{{outcome="late",{labels}}}'] == sent
        assert samples[f'racebot_delivery_lateness_seconds_bucket{{le="60.0",{labels}}}'] == 0
        assert samples[f'racebot_delivery_lateness_seconds_bucket{{le="300.0",{labels}}}'] == sent
        assert samples[f"racebot_delivery_lateness_seconds_count{{{labels}}}"] == sent
        assert samples[f"racebot_delivery_lateness_seconds_sum{{{labels}}}"] >= 120 * sent
        assert samples[f'racebot_deliveries_total{{outcome="failed",{labels}}}'] == 0
        assert samples[f'racebot_deliveries_total{{outcome="expired",{labels}}}'] == 0
    retried = samples['racebot_deliveries_total{outcome="retried",platform="telegram"}']
    assert retried == 1
    assert samples['racebot_deliveries_total{outcome="retried",platform="discord"}'] == 0
    # Every platform call was timed: the sends, and the flood-refused attempt.
    calls = 'racebot_send_latency_seconds_count{lane="broadcast",platform="telegram"}'
    assert samples[calls] == telegram + retried
    assert samples['racebot_queue_depth{lane="broadcast",platform="telegram"}'] == 1
    assert samples['racebot_queue_depth{lane="broadcast",platform="discord"}'] == 0
    # The welcome and the group's confirmation went through the answer lane.
    assert samples['racebot_answers_total{outcome="sent",platform="telegram"}'] >= 2
    assert samples['racebot_answers_total{outcome="dropped",platform="telegram"}'] == 0
    answers = 'racebot_send_latency_seconds_count{lane="answer",platform="telegram"}'
    assert samples[answers] >= 2
    assert samples["racebot_database_up"] == 1
