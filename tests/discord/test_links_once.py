"""Each link once per post on Discord (#14): link buttons, no link repeated in the embed,
no "Live-timing: Live-timing", no face clipped to Discord's 80 characters."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.discord.world import ALERTS, FAN, RACE1, Env

JARAMA_LINKS = (
    "https://www.facebook.com/JABackman",
    "https://www.youtube.com/@TCRTV",
    "https://www.tcr-europe.com/live-timing",
)


def link_buttons(components: list[Any]) -> list[tuple[str, str]]:
    return [(c["label"], c["url"]) for row in components for c in row["components"] if c.get("url")]


def assert_each_link_once(embeds: list[Any], components: list[Any]) -> None:
    shown = str(embeds) + " ".join(url for _, url in link_buttons(components))
    for url in JARAMA_LINKS:
        assert shown.count(url) == 1, (url, embeds)
    assert "Live-timing: Live-timing" not in str(embeds)
    for label, _ in link_buttons(components):
        assert not label.endswith("…")


async def test_the_schedule_answer_links_each_stream_once(env: Env) -> None:
    answer = await env.command(FAN, "schedule")
    (embed,) = answer.embeds
    race1, race2 = 1604744100, 1604754300  # 11:15 and 14:05 in Stockholm, as the reader's clock
    rows = f"<t:{race1}:t> **Race 1** – LIVE\n<t:{race2}:t> **Race 2** – LIVE"
    assert rows in embed["description"]
    assert_each_link_once(answer.embeds, answer.components)
    assert [label for label, _ in link_buttons(answer.components)] == [
        "JA Bäckmans Facebook-sida",
        "TCR TV (YouTube)",
        "Live-timing",
    ]


async def test_a_reminder_in_the_channel_links_each_stream_once(env: Env) -> None:
    await env.setup_alerts()
    before = len(env.fake.messages.get(ALERTS, ()))
    await env.advance_to(RACE1 - timedelta(minutes=15))
    posted = await env.fake.wait_for_messages(ALERTS, before + 1)
    reminder = next(m for m in posted if "Race 1" in str(m["embeds"]))
    assert "Se det live" not in str(reminder["embeds"])
    assert_each_link_once(reminder["embeds"], reminder["components"])
