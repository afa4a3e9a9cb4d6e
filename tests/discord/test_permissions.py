"""Permissions an admin changes in one channel: Embed Links and Mention Everyone (#17).

The bot reads them from discord.py's cache (CHANNEL_UPDATE carries the overwrites), so the
admin is told the permission that is really missing, and a channel without Embed Links
keeps its posts, as plain text.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.platforms.discord import DiscordAdapter
from tests.discord.world import (
    ADMIN,
    ALERT_ROLE,
    ALERTS,
    GUILD,
    NEWS,
    OWNER,
    RACE1,
    Env,
    eventually,
)

QUIET = ALERT_ROLE + 1


async def test_without_embed_links_posts_go_on_as_text_and_the_admin_is_told(env: Env) -> None:
    await env.setup_alerts(by=ADMIN)
    env.fake.set_channel_permission(ALERTS, embed_links=False)
    await env.fake.flush_gateway()
    await env.advance_to(RACE1 - timedelta(minutes=15))
    (reminder,) = await env.fake.wait_for_messages(ALERTS, 1)
    assert not reminder.get("embeds")
    content = reminder["content"]
    assert content.startswith(f"<@&{ALERT_ROLE}>\n**⏱ Race 1 – Jarama")
    assert "lör 7 nov 11:15 (svensk tid)" in content
    assert f"<t:{int(RACE1.timestamp())}:R>" in content
    assert reminder["mention_roles"] == [ALERT_ROLE]  # the ping still works
    (dm,) = await env.fake.wait_for_dms(ADMIN, 1)
    assert dm["content"] == (
        "Jag får inte bädda in länkar i #alerts i Bäckman fans, så inläggen kommer som vanlig "
        "text. Ge min roll behörigheten Bädda in länkar i kanalen så ser de ut som vanligt igen."
    )
    assert env.fake.stats.status[403] == 0  # known from the cache: no refused request
    current = await env.subscription(ALERTS)
    assert current is not None
    assert current.active
    await env.advance_to(RACE1)
    await env.settle()
    assert len(env.fake.messages[ALERTS]) >= 2  # "live now" came too, as text
    assert len(env.fake.dms[ADMIN]) == 1  # told once


async def test_a_403_for_an_embed_is_retried_as_text_when_the_cache_agrees(env: Env) -> None:
    """The overwrite changes while the post is on its way: the 403 is answered by one
    plain-text retry, the channel stays on."""
    await env.setup_alerts(by=ADMIN, language="en")
    adapter = env.app.adapters[0]
    real = adapter.client.get_channel  # type: ignore[attr-defined]
    calls = {"n": 0}

    def stale_then_fresh(channel_id: int) -> object:
        calls["n"] += 1
        if calls["n"] == 1:  # the first look misses the change, as a late gateway event would
            env.fake.set_channel_permission(ALERTS, embed_links=False)
        return real(channel_id)

    await env.advance_to(RACE1 - timedelta(minutes=16))
    adapter.client.get_channel = stale_then_fresh  # type: ignore[attr-defined]
    await env.advance_to(RACE1 - timedelta(minutes=15))
    (reminder,) = await env.fake.wait_for_messages(ALERTS, 1)
    assert not reminder.get("embeds")
    assert "Race 1" in reminder["content"]
    assert env.fake.stats.status[403] == 1  # one refused embed, then the text
    (dm,) = await env.fake.wait_for_dms(ADMIN, 1)
    assert "Embed Links" in dm["content"]
    current = await env.subscription(ALERTS)
    assert current is not None
    assert current.active


async def test_without_send_messages_the_admin_is_told_that_one(env: Env) -> None:
    await env.setup_alerts(by=ADMIN, language="en")
    env.fake.set_channel_permission(ALERTS, bot_can_send=False, embed_links=False)
    await env.fake.flush_gateway()
    await env.advance_to(RACE1 - timedelta(minutes=15))
    (dm,) = await env.fake.wait_for_dms(ADMIN, 1)
    assert "Send Messages" in dm["content"]
    assert "Embed" not in dm["content"]

    async def inactive() -> bool:
        current = await env.subscription(ALERTS)
        return current is not None and not current.active

    await eventually(inactive)


async def test_mention_everyone_is_read_from_the_channel_not_the_server(env: Env) -> None:
    env.fake.add_role(GUILD, QUIET, "Quiet", mentionable=False)
    # Granted in #alerts only: the role pings there, so no warning.
    env.fake.set_channel_permission(ALERTS, mention_everyone=True)
    await env.fake.flush_gateway()
    fine = await env.setup_alerts(role=QUIET)
    assert "går inte att pinga" not in (fine.content or "")
    await env.advance_to(RACE1 - timedelta(minutes=15))
    (reminder,) = await env.fake.wait_for_messages(ALERTS, 1)
    assert reminder["mention_roles"] == [QUIET]

    # Granted for the whole server but denied in #news: setup there warns.
    env.fake.set_bot_permissions(GUILD, mention_everyone=True)
    env.fake.set_channel_permission(NEWS, mention_everyone=False)
    await env.fake.flush_gateway()
    warned = await env.command(OWNER, "setup", {"channel": NEWS, "role": QUIET})
    assert "Varning: @Quiet går inte att pinga." in (warned.content or "")


PREVIEW = datetime(2020, 11, 5, 17, 0, tzinfo=UTC)  # the day before Jarama, 18:00 Swedish


def _previews(env: Env) -> list[dict[str, object]]:
    return [
        m
        for m in env.fake.messages.get(ALERTS, [])
        if str((m.get("embeds") or [{}])[0].get("title", "")).startswith("🏁")
    ]


@pytest.mark.parametrize("env", [PREVIEW - timedelta(hours=1)], indirect=True)
async def test_the_preview_is_pinned_and_last_weekends_unpinned(env: Env) -> None:
    await env.setup_alerts()
    adapter = env.app.adapters[0]
    assert isinstance(adapter, DiscordAdapter)
    old = await adapter.client.get_partial_messageable(ALERTS).send("🏁 last weekend")
    await old.pin()
    await env.app.commands.subscriptions.remember_pin("discord", str(ALERTS), str(old.id))
    await env.advance_to(PREVIEW)
    await env.fake.wait_until(lambda: len(_previews(env)) == 1)
    (preview,) = _previews(env)
    await env.fake.wait_until(lambda: env.fake.pins[ALERTS] == [preview["id"]])
    await adapter.background.idle()  # the pin is a follow-up task of the delivery
    system = [m for m in env.fake.messages[ALERTS] if m["type"] == 6]
    assert system[-1]["message_reference"]["message_id"] == str(preview["id"])
    target = await env.subscription(ALERTS)
    assert target is not None
    assert target.pinned_id == str(preview["id"])


@pytest.mark.parametrize("env", [PREVIEW - timedelta(hours=1)], indirect=True)
async def test_no_pin_without_pin_messages_in_the_channel(env: Env) -> None:
    await env.setup_alerts()
    env.fake.set_channel_permission(ALERTS, pin_messages=False)
    await env.fake.flush_gateway()
    await env.advance_to(PREVIEW)
    await env.fake.wait_until(lambda: len(_previews(env)) == 1)
    await env.settle()
    adapter = env.app.adapters[0]
    assert isinstance(adapter, DiscordAdapter)
    await adapter.background.idle()
    assert env.fake.pins[ALERTS] == []
    assert env.fake.stats.status[403] == 0  # known from the cache, never asked
