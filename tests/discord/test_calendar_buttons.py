"""/calendar on Discord: link buttons for Apple, Google and Outlook.com (#17)."""

from __future__ import annotations

from tests.discord.world import GENERAL, OWNER, Env


async def test_discord_calendar_has_link_buttons(env: Env) -> None:
    answer = await env.command(OWNER, "calendar", channel=GENERAL)
    buttons = [c for row in answer.components for c in row["components"]]
    assert [b["style"] for b in buttons] == [5, 5, 5]  # link buttons
    assert [b["label"] for b in buttons] == [
        "Apple-kalender (iPhone, Mac)",
        "Google Kalender",
        "Outlook.com",
    ]
    assert all(b["url"].startswith(("https://", "http://")) for b in buttons)
    assert "webcal://" in str(answer.embeds)
