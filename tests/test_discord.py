"""The Discord adapter end to end: the real discord.py client, the whole App, FakeDiscord.

Virtual time drives the TCR Europe Jarama weekend (race 1 starts 2020-11-07 10:15 UTC).
"""

from __future__ import annotations

import asyncio
import functools
import zoneinfo
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import bot.platforms.discord as discord_module
from bot.app import App
from bot.config import BotConfig, Config, DiscordConfig, StorageConfig, WebConfig
from bot.core.clock import VirtualClock
from bot.core.markup import Bold, Href, Instant, Post, line
from bot.platforms.discord import DiscordAdapter, render_lines
from bot.timers import ClockTimer
from tests.fakes.fake_discord import FakeDiscord

SCHEDULES = Path(__file__).resolve().parent.parent / "schedules"
GUILD = 111111111111111111
OWNER = 222222222222222221
FAN = 222222222222222222
GENERAL = 333333333333333331
ALERTS = 333333333333333332
ALERT_ROLE = 444444444444444441
ADMIN = 222222222222222223
RACE1 = datetime(2020, 11, 7, 10, 15, tzinfo=UTC)
START = datetime(2020, 11, 7, 9, 30, tzinfo=UTC)


@dataclass
class Env:
    fake: FakeDiscord
    app: App
    clock: VirtualClock

    async def advance_to(self, at: datetime) -> None:
        await self.clock.advance_to(at)
        await self.app.settle()

    async def setup_alerts(self, by: int = OWNER) -> None:
        interaction = await self.fake.invoke_command(
            GUILD,
            GENERAL,
            by,
            "setup",
            {"channel": ALERTS, "role": ALERT_ROLE, "language": "sv"},
        )
        await interaction.wait_response()
        assert interaction.ephemeral
        assert "Sparat" in (interaction.content or "")


@pytest.fixture
async def env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> AsyncIterator[Env]:
    start: datetime = getattr(request, "param", START)
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
        fake.add_role(GUILD, ALERT_ROLE, "Race alerts")
        fake.add_member(GUILD, OWNER, "Owner", manage_guild=True)
        fake.add_member(GUILD, FAN, "Fan")
        fake.add_member(GUILD, ADMIN, "Admin", manage_guild=True)
        config = Config(
            storage=StorageConfig(url=f"sqlite:///{tmp_path}/t.db"),
            discord=DiscordConfig(token=fake.token, api_base=f"{fake.url}/api/v10"),
            bot=BotConfig(schedules=SCHEDULES),
            web=WebConfig(enabled=False),
        )
        clock = VirtualClock(start)
        fake.now = clock.now  # "in the past" for scheduled events means virtual time
        app = App(
            config, clock=clock, timer=ClockTimer(clock), console_target=False, idle_poll=3600
        )
        await app.start()
        try:
            yield Env(fake, app, clock)
        finally:
            await app.stop()


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.005)):
        if await check():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("condition not met in time")


def test_render_escapes_and_formats() -> None:
    at = datetime(2020, 11, 7, 10, 15, tzinfo=UTC)
    post = Post(
        title="t",
        lines=(
            line(
                "a*b_", Bold("x"), Href("Live [1]", "https://x.test/a"), Instant(at, relative=True)
            ),
        ),
    )
    text = render_lines(post.lines, zoneinfo.ZoneInfo("Europe/Stockholm"), "sv")
    assert text.startswith("a\\*b\\_**x**[Live [1\\]](https://x.test/a)")
    assert text.endswith(f"11:15 <t:{int(at.timestamp())}:R>")


async def test_setup_then_reminder_pings_only_the_role(env: Env) -> None:
    adapter = env.app.adapters[0]
    assert isinstance(adapter, DiscordAdapter)
    assert env.fake.get_command("setup")
    await env.setup_alerts()
    saved = await env.app.store.get_subscription("discord", str(ALERTS))
    assert saved is not None
    assert saved.active
    assert saved.role_id == str(ALERT_ROLE)
    assert saved.guild_id == str(GUILD)
    assert saved.chat_kind == "channel"
    assert saved.language == "sv"

    await env.advance_to(RACE1 - timedelta(minutes=15))
    messages = await env.fake.wait_for_messages(ALERTS, 1)
    reminder = messages[-1]
    assert reminder["content"] == f"<@&{ALERT_ROLE}>"
    assert reminder["embeds"][0]["title"]
    assert reminder["allowed_mentions"]["parse"] == []
    assert reminder["allowed_mentions"]["roles"] == [ALERT_ROLE]
    assert reminder["mention_roles"] == [ALERT_ROLE]


async def test_fan_cannot_delay_or_setup(env: Env) -> None:
    refusal = await env.fake.invoke_command(
        GUILD, GENERAL, FAN, "delay", {"session": "race1", "minutes": 10}
    )
    await refusal.wait_response()
    assert refusal.ephemeral
    assert "inte tillgängligt" in (refusal.content or "")
    assert await env.app.store.get_subscription("discord", str(GENERAL)) is None


async def test_next_answers_in_english_for_english_locale(env: Env) -> None:
    answer = await env.fake.invoke_command(GUILD, GENERAL, FAN, "next", locale="en-GB")
    await answer.wait_response()
    assert answer.embeds or answer.content


async def test_forbidden_channel_deactivated_after_one_attempt(env: Env) -> None:
    await env.setup_alerts()
    env.fake.set_channel_permission(ALERTS, bot_can_send=False)
    await env.advance_to(RACE1 - timedelta(minutes=15))

    async def inactive() -> bool:
        current = await env.app.store.get_subscription("discord", str(ALERTS))
        return current is not None and not current.active

    await eventually(inactive)
    await env.advance_to(RACE1)
    await env.app.settle()
    assert env.fake.stats.status[403] == 1
    assert env.fake.messages.get(ALERTS, []) == []


async def test_staff_announce_publish_button(env: Env) -> None:
    await env.setup_alerts()
    draft = await env.fake.invoke_command(
        GUILD, GENERAL, OWNER, "announce", {"text": "Heja *Bäckman*!"}
    )
    await draft.wait_response()
    assert draft.ephemeral
    ids = [c["custom_id"] for row in draft.components for c in row["components"]]
    publish = next(i for i in ids if i.startswith("rb:ok:"))
    assert draft.original_id is not None
    click = await env.fake.click_button(GUILD, GENERAL, OWNER, draft.original_id, publish)
    await click.wait_response()
    await env.app.settle()
    assert "Publicerat" in (env.fake.message(draft.original_id)["content"] or "")
    (posted,) = await env.fake.wait_for_messages(ALERTS, 1)
    assert "Heja \\*Bäckman\\*!" in posted["embeds"][0]["description"]


async def test_calendar_sends_the_ics_file_and_links(env: Env) -> None:
    answer = await env.fake.invoke_command(GUILD, GENERAL, FAN, "calendar")
    response = await answer.wait_response()
    text = str(response)
    assert "webcal://" in text
    assert "racebot.ics" in text
    files = [a for a in response.get("data", {}).get("attachments", []) if a.get("filename")]
    assert files, response
    body = files[0].get("bytes") or files[0].get("content") or b""
    assert b"BEGIN:VCALENDAR" in body


async def test_result_correction_edits_the_posted_embed(env: Env) -> None:
    await env.setup_alerts()
    await env.advance_to(datetime(2020, 11, 7, 11, 20, tzinfo=UTC))  # Race 1 is over
    posts_before = len(env.fake.messages.get(ALERTS, []))

    async def publish(places: str) -> None:
        draft = await env.fake.invoke_command(
            GUILD, GENERAL, OWNER, "result", {"session": "race1", "places": places}
        )
        await draft.wait_response()
        ids = [c["custom_id"] for row in draft.components for c in row["components"]]
        assert draft.original_id is not None
        ok = next(i for i in ids if i.startswith("rb:ok:"))
        click = await env.fake.click_button(GUILD, GENERAL, OWNER, draft.original_id, ok)
        await click.wait_response()
        await env.app.settle()

    def result_posts() -> list[dict[str, Any]]:
        return [
            m
            for m in env.fake.messages.get(ALERTS, [])[posts_before:]
            if "Andreas" in str(m.get("embeds"))
        ]

    await publish("andreas 5 jessica 7")
    await env.fake.wait_until(lambda: len(result_posts()) == 1)
    await publish("andreas 4 jessica 7")
    (posted,) = result_posts()
    await env.fake.wait_until(
        lambda: "4th" in str(posted["embeds"]) or "4:e" in str(posted["embeds"])
    )
    assert posted["edits"]  # the same message, edited
    assert "Uppdaterad" in str(posted["embeds"])
    assert len(result_posts()) == 1


@pytest.mark.parametrize("env", [datetime(2021, 6, 28, 10, 0, tzinfo=UTC)], indirect=True)
async def test_seed_results_entered_by_slash_command(env: Env) -> None:
    await env.setup_alerts()
    for session, places in (
        ("fp1", "andreas 21 jessica 22"),
        ("fp2", "andreas 16 jessica 21"),
        ("q", "andreas 19 jessica 20"),
        ("race1", "andreas 15 jessica 16"),
        ("race2", "andreas 17 jessica 16"),
    ):
        draft = await env.fake.invoke_command(
            GUILD, GENERAL, OWNER, "result", {"session": session, "places": places}
        )
        await draft.wait_response()
        ids = [c["custom_id"] for row in draft.components for c in row["components"]]
        assert draft.original_id is not None
        ok = next(i for i in ids if i.startswith("rb:ok:"))
        click = await env.fake.click_button(GUILD, GENERAL, OWNER, draft.original_id, ok)
        await click.wait_response()
        await env.app.settle()
    posts = await env.fake.wait_for_messages(ALERTS, 6)  # five results + the summary
    summary = str(posts[-1]["embeds"])
    for expected in ("Andreas resultat", "Fri träning 1: 21:a plats", "Race 2: 17:e plats"):
        assert expected in summary, expected
    assert "Race 1: **Andreas** 15:e, **Jessica** 16:e" in str(posts[3]["embeds"])


def events(fake: FakeDiscord) -> dict[str, dict[str, Any]]:
    """The guild's scheduled events the bot made, by the session key in their marker line."""
    found = {}
    for event in fake.scheduled_events[GUILD].values():
        marker = [x for x in event["description"].splitlines() if x.startswith("racebot:")]
        if marker:
            found[marker[0].removeprefix("racebot:")] = event
    return found


async def _staff_publish(env: Env, command: str, options: dict[str, Any]) -> None:
    draft = await env.fake.invoke_command(GUILD, GENERAL, OWNER, command, options)
    await draft.wait_response()
    ids = [c["custom_id"] for row in draft.components for c in row["components"]]
    assert draft.original_id is not None
    ok = next(i for i in ids if i.startswith("rb:ok:"))
    click = await env.fake.click_button(GUILD, GENERAL, OWNER, draft.original_id, ok)
    await click.wait_response()
    await env.app.settle()


async def test_scheduled_events_follow_setup_delay_and_cancel(env: Env) -> None:
    race1, race2 = "tcr-europe-2020/r6/race1", "tcr-europe-2020/r6/race2"
    assert not env.fake.scheduled_events[GUILD]  # nothing before a channel is set up
    await env.setup_alerts()
    await env.fake.wait_until(lambda: set(events(env.fake)) == {race1, race2})
    first = events(env.fake)[race1]
    assert first["name"] == "TCR Europe · Jarama · Race 1"
    assert first["entity_type"] == 3
    assert first["privacy_level"] == 2
    assert first["entity_metadata"]["location"] == "https://www.facebook.com/JABackman"
    assert datetime.fromisoformat(first["scheduled_start_time"]) == RACE1
    assert "11:15" in first["description"]  # Swedish time
    assert "svensk tid" in first["description"]

    await _staff_publish(env, "delay", {"session": "race1", "minutes": 10})
    moved = RACE1 + timedelta(minutes=10)
    await env.fake.wait_until(
        lambda: datetime.fromisoformat(events(env.fake)[race1]["scheduled_start_time"]) == moved
    )
    assert events(env.fake)[race1]["id"] == first["id"]  # edited, not recreated
    assert "11:25" in events(env.fake)[race1]["description"]

    await _staff_publish(env, "cancel", {"session": "race2"})
    await env.fake.wait_until(lambda: set(events(env.fake)) == {race1})
    creates = [c for c in env.fake.scheduled_event_changes if c[0] == "create"]
    assert len(creates) == 2


async def test_fan_subscribe_gives_and_takes_the_alert_role(env: Env) -> None:
    await env.setup_alerts()
    join = await env.fake.invoke_command(GUILD, GENERAL, FAN, "subscribe")
    await join.wait_response()
    assert join.ephemeral
    assert "@Race alerts" in (join.content or "")
    assert env.fake.role_changes == [("add", GUILD, FAN, ALERT_ROLE)]

    leave = await env.fake.invoke_command(GUILD, GENERAL, FAN, "unsubscribe")
    await leave.wait_response()
    assert leave.ephemeral
    assert "borttagen" in (leave.content or "")
    assert env.fake.role_changes[-1] == ("remove", GUILD, FAN, ALERT_ROLE)
    # the channels' subscriptions are untouched
    assert await env.app.store.get_subscription("discord", str(GENERAL)) is None
    alerts = await env.app.store.get_subscription("discord", str(ALERTS))
    assert alerts is not None
    assert alerts.active


async def test_admin_subscribe_with_choices_changes_the_channel(env: Env) -> None:
    await env.setup_alerts()
    answer = await env.fake.invoke_command(GUILD, ALERTS, OWNER, "subscribe", {"choices": "race"})
    await answer.wait_response()
    assert env.fake.role_changes == []
    saved = await env.app.store.get_subscription("discord", str(ALERTS))
    assert saved is not None
    assert saved.kinds is not None
    assert [k.value for k in saved.kinds] == ["race"]


async def test_fan_subscribe_without_a_setup_role_keeps_the_old_answer(env: Env) -> None:
    answer = await env.fake.invoke_command(GUILD, GENERAL, FAN, "subscribe")
    await answer.wait_response()
    assert env.fake.role_changes == []
    assert "administratörer" in (answer.content or "")


async def test_commands_carry_swedish_descriptions(env: Env) -> None:
    next_ = env.fake.get_command("next")
    assert next_["description"] == "Next session with countdown"
    assert next_["description_localizations"]["sv-SE"] == "nästa pass med nedräkning"
    delay = env.fake.get_command("delay")
    assert delay["description_localizations"]["sv-SE"].startswith("PASS MINUTER")
    (session, minutes) = delay["options"]
    assert session["description_localizations"]["sv-SE"] == "t.ex. race1"
    assert "minuter" in minutes["description_localizations"]["sv-SE"]
    setup = env.fake.get_command("setup")
    assert setup["description_localizations"]["sv-SE"]


async def test_forbidden_channel_tells_the_setup_admin_once(env: Env) -> None:
    await env.setup_alerts(by=ADMIN)
    env.fake.set_channel_permission(ALERTS, bot_can_send=False)
    await env.advance_to(RACE1 - timedelta(minutes=15))
    (dm,) = await env.fake.wait_for_dms(ADMIN, 1)
    assert dm["content"] == (
        "Jag kan inte skriva i #alerts – ge mig behörigheten Skicka meddelanden "
        "och kör /setup igen."
    )
    await env.advance_to(RACE1 + timedelta(minutes=5))
    await env.app.settle()
    assert len(env.fake.dms[ADMIN]) == 1
    assert env.fake.dms.get(OWNER, []) == []
    assert env.fake.stats.status[403] == 1
    current = await env.app.store.get_subscription("discord", str(ALERTS))
    assert current is not None
    assert not current.active
