"""The fan's weekend on Discord (#14): spoilers, quiet hours on a DST Sunday, the digest.

The real discord.py client against the fake Discord; a fan takes posts by DM and sets
them with the /settings options, the server's channel keeps the defaults.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.builders import Event, schedule_toml, session
from tests.discord.world import ALERTS, FAN, Env
from tests.helpers import SCHEDULES, write_schedule

RACE1_OVER = datetime(2020, 11, 7, 11, 20, tzinfo=UTC)
THURSDAY = datetime(2020, 11, 5, 12, 0, tzinfo=UTC)
SUPPRESS_NOTIFICATIONS = 4096


async def _dm_fan(env: Env, **settings: Any) -> str:
    """A fan who takes the posts by DM, with these /settings options; the settings shown."""
    await env.setup_alerts()
    await env.command(FAN, "subscribe", {"via": "dm"})
    await env.fake.wait_for_dms(FAN, 1)
    answer = await env.command(FAN, "settings", settings)
    return str(answer.embeds) + (answer.content or "")


def _description_line(message: dict[str, Any]) -> str:
    description: str = message["embeds"][0]["description"]
    return description.splitlines()[0]


def _titles(messages: list[dict[str, Any]]) -> list[str]:
    return [m["embeds"][0]["title"] for m in messages if m.get("embeds")]


@pytest.mark.parametrize("env", [RACE1_OVER], indirect=True)
async def test_spoilers_by_dm_hide_places_and_the_channel_shows_them(env: Env) -> None:
    shown = await _dm_fan(env, language="en", spoilers=True)
    assert "Hide places (spoilers): **on" in shown
    dms = len(env.fake.dms[FAN])
    await env.staff_publish(
        "report-result", {"session": "race1", "places": "andreas 15 jessica dnf"}
    )

    (post,) = env.fake.dms[FAN][dms:]
    assert post["embeds"][0]["title"] == "Race 1 – Jarama"  # the session, never a place
    assert _description_line(post) == "Race 1: **Andreas** ||15th||, **Jessica** ||Retired (DNF)||"
    (channel,) = [m for m in env.fake.messages[ALERTS] if "Race 1:" in str(m.get("embeds"))]
    assert _description_line(channel) == "Race 1: **Andreas** 15:e, **Jessica** bröt (DNF)"

    await env.staff_publish("report-result", {"session": "race1", "places": "jessica 14"})
    await env.fake.wait_until(lambda: "14th" in _description_line(post))
    assert _description_line(post) == "Race 1: **Andreas** ||15th||, **Jessica** ||14th|| ✏️"
    target = await env.subscription(int(post["channel_id"]))
    assert target.spoilers

    refused = await env.command(FAN, "settings", {"quiet": "midnatt"}, locale="en-US")
    assert "Cannot read 'midnatt' as quiet hours." in (refused.content or ""), refused.content
    assert (await env.subscription(int(post["channel_id"]))).quiet is None


def _mantorp(folder: Path) -> Path:
    """Qualifying on the last CEST Saturday, the race on the DST Sunday, both at 07:30."""
    sessions = [
        session("q", "Tidskval", "qualifying", datetime(2021, 10, 30, 7, 30)),
        session("race1", "Race 1", "race", datetime(2021, 10, 31, 7, 30)),
    ]
    mantorp = Event(
        "r6", 6, "Mantorp", "Mantorp Park", date(2021, 10, 30), sessions, date(2021, 10, 31)
    )
    text = schedule_toml("stcc-2021", "STCC", 2021, [mantorp])
    write_schedule(folder / "schedules", "stcc-2021.toml", text)
    return folder / "schedules"


@pytest.mark.parametrize(
    "env", [(datetime(2021, 10, 29, 12, 0, tzinfo=UTC), _mantorp)], indirect=True
)
async def test_quiet_hours_follow_the_clock_change_on_a_dst_sunday(env: Env) -> None:
    shown = await _dm_fan(env, quiet="22–07")
    assert "Tysta timmar: **22:00–07:00" in shown
    dms = len(env.fake.dms[FAN])
    await env.run_to(datetime(2021, 10, 31, 7, 0, tzinfo=UTC))

    def silent(messages: list[dict[str, Any]]) -> list[tuple[str, bool]]:
        return [
            (m["embeds"][0]["title"], bool(m["flags"] & SUPPRESS_NOTIFICATIONS))
            for m in messages
            if m.get("embeds")
        ]

    assert silent(env.fake.dms[FAN][dms:]) == [
        ("🏁 STCC – deltävling 6: Mantorp", False),  # Fri 18:00
        ("⏱ Tidskval – Mantorp startar om 1 h", True),  # Sat 06:30 CEST (04:30 UTC)
        ("⏱ Tidskval – Mantorp startar om 15 min", False),  # 07:15 CEST
        ("🟢 Tidskval – Mantorp startar nu", False),
        ("⏱ Race 1 – Mantorp startar om 1 h", True),  # Sun 06:30 CET (05:30 UTC)
        ("⏱ Race 1 – Mantorp startar om 15 min", False),  # 07:15 CET
        ("🟢 Race 1 – Mantorp startar nu", False),
    ]
    channel = silent(env.fake.messages[ALERTS])
    assert len(channel) == 7
    assert not any(quiet for _, quiet in channel)  # the server's channel has no window

    # Off again: the next posts ring.
    await env.command(FAN, "settings", {"quiet": "off"})
    target = await env.subscription(int(env.fake.dms[FAN][-1]["channel_id"]))
    assert target.quiet is None


@pytest.mark.parametrize("env", [(THURSDAY, lambda _: SCHEDULES)], indirect=True)
async def test_an_english_fans_digest_in_their_zone(env: Env) -> None:
    shown = await _dm_fan(env, language="en", timezone="Europe/London", digest=True)
    assert "Daily digest instead of practice reminders: **on" in shown
    dms = len(env.fake.dms[FAN])
    await env.run_to(datetime(2020, 11, 6, 14, 1, tzinfo=UTC))
    assert _titles(env.fake.dms[FAN][dms:]) == [
        "🏁 TCR Europe – round 6: Jarama",
        "Today: FP1 09:50 · FP2 12:10 · Quali 14:00",  # London time
        "⏱ Qualifying (Q1 and Q2) – Jarama starts in 1 h",
        "⏱ Qualifying (Q1 and Q2) – Jarama starts in 15 min",
        "🟢 Qualifying (Q1 and Q2) – Jarama is starting now",
    ]
    # The channel has no digest: one reminder per practice, no LIVE NU for practice.
    channel = _titles(env.fake.messages[ALERTS])
    assert [t for t in channel if "Fri träning" in t] == [
        "⏱ Fri träning 1 – Jarama startar om 15 min",
        "⏱ Fri träning 2 – Jarama startar om 15 min",
    ]
