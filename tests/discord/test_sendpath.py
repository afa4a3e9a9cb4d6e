"""Discord's one send path: DMs, role changes, event sync and posts take budget turns."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.platforms.discord import DiscordAdapter
from bot.sendpath import ANSWER, BACKGROUND, BROADCAST
from tests.discord.world import ALERTS, FAN, RACE1, Env


def _adapter(env: Env) -> DiscordAdapter:
    adapter = env.app.adapters[0]
    assert isinstance(adapter, DiscordAdapter)
    return adapter


async def test_every_kind_of_send_takes_a_turn_of_the_one_budget(env: Env) -> None:
    adapter = _adapter(env)
    assert env.app.workers["discord"].budget is adapter.budget  # the outbox shares it
    before = dict(adapter.budget.granted)
    await env.setup_alerts()  # an interaction answer: not under the global limit
    # The event sync starts after the answer, in the background: wait for its first turn.
    await env.fake.wait_until(lambda: adapter.budget.granted[BACKGROUND] > before[BACKGROUND])
    await env.events_synced()
    assert adapter.budget.granted[ANSWER] == before[ANSWER]
    await env.command(FAN, "subscribe")  # the alert role: one REST call
    roles = adapter.budget.granted[ANSWER]
    assert roles == before[ANSWER] + 1
    await env.command(FAN, "subscribe", {"via": "dm"})  # open the DM, send the welcome
    (_welcome,) = await env.fake.wait_for_dms(FAN, 1)
    assert adapter.budget.granted[ANSWER] >= roles + 1
    await env.advance_to(RACE1 - timedelta(minutes=15))
    await env.fake.wait_for_messages(ALERTS, 1)
    assert adapter.budget.granted[BROADCAST] > before[BROADCAST]


async def test_a_welcome_dm_waits_for_the_budget_like_any_send(env: Env) -> None:
    """Hold the budget: the DM is not sent before the slot, then is sent once."""
    adapter = _adapter(env)
    await env.setup_alerts()
    adapter.budget.pause(0.4)
    loop = asyncio.get_running_loop()
    asked = loop.time()
    await env.command(FAN, "subscribe", {"via": "dm"})
    (welcome,) = await env.fake.wait_for_dms(FAN, 1)
    assert loop.time() - asked >= 0.39
    assert welcome["content"]
