"""Times on Discord (#19): every reader's own clock via ``<t:…>``, the Swedish time once.

The weekend preview, /schedule and /next through the real discord.py client, for a
weekend across the last Sunday of October (CEST on Saturday, CET on Sunday) and one in
Sydney whose Saturday morning is Friday night in Sweden. A reader in Stockholm, whose
client shows ``<t:…:t>`` in Swedish time, must never see one moment twice.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.builders import Event, schedule_toml, session
from tests.discord.world import ALERTS, FAN, Env
from tests.helpers import write_schedule

#: Tidskval Saturday 24 October 2026 14:30 CEST (12:30 UTC), Race 1 on the DST Sunday
#: 14:30 CET (13:30 UTC): the same wall clock, an hour apart in epoch seconds.
QUALI = datetime(2026, 10, 24, 12, 30, tzinfo=UTC)
RACE = datetime(2026, 10, 25, 13, 30, tzinfo=UTC)
#: Sydney Saturday 7 November 10:00 AEDT is Friday 23:00 UTC, Saturday 00:00 in Sweden.
SYDNEY_RACE = datetime(2026, 11, 6, 23, 0, tzinfo=UTC)
THURSDAY = datetime(2026, 10, 22, 12, 0, tzinfo=UTC)


def _schedules(folder: Path) -> Path:
    mantorp = Event(
        "r6",
        6,
        "Mantorp",
        "Mantorp Park",
        date(2026, 10, 24),
        [
            session("q", "Tidskval", "qualifying", datetime(2026, 10, 24, 14, 30)),
            session("race1", "Race 1", "race", datetime(2026, 10, 25, 14, 30)),
        ],
        date(2026, 10, 25),
    )
    sydney = Event(
        "r7",
        7,
        "Sydney",
        "Sydney Motorsport Park",
        date(2026, 11, 7),
        [session("race1", "Race 1", "race", datetime(2026, 11, 7, 10, 0))],
        country="AU",
        track_timezone="Australia/Sydney",
        timezone="Australia/Sydney",
    )
    write_schedule(
        folder / "schedules", "stcc-2026.toml", schedule_toml("stcc-2026", "STCC", 2026, [mantorp])
    )
    write_schedule(
        folder / "schedules",
        "tcr-au-2026.toml",
        schedule_toml("tcr-au-2026", "TCR Australia", 2026, [sydney]),
    )
    return folder / "schedules"


WORLD = [(THURSDAY, _schedules)]


def _shown(body: dict[str, Any] | Any) -> str:
    """An answer's or a message's words: content, embed titles, descriptions and fields."""
    embeds = body["embeds"] if isinstance(body, dict) else body.embeds
    content = (body.get("content") if isinstance(body, dict) else body.content) or ""
    parts = [content]
    for embed in embeds or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
    return "\n".join(parts)


def _stamps(text: str) -> list[tuple[int, str]]:
    return [(int(unix), style) for unix, style in re.findall(r"<t:(\d+):(\w)>", text)]


def _clock_times(text: str) -> list[str]:
    """The "14:30"s a reader sees as text (the ``<t:…>`` markup left out)."""
    return re.findall(r"\b\d{1,2}:\d{2}\b", re.sub(r"<t:\d+:\w>", "", text))


def _assert_timetable(text: str, *stamps: datetime) -> None:
    """Each session once, as the reader's own clock; no clock time as text beside it."""
    assert _stamps(text) == [(int(at.timestamp()), "t") for at in stamps], text
    assert _clock_times(text) == [], text
    assert "(tiderna i din egen tidszon)" in text
    assert "svensk tid" not in text  # the times are the reader's own, not Swedish


@pytest.mark.parametrize("env", WORLD, indirect=True)
async def test_the_preview_gives_each_session_as_the_readers_own_time(env: Env) -> None:
    await env.setup_alerts()
    await env.advance_to(datetime(2026, 10, 23, 16, 0, tzinfo=UTC))  # Fri 18:00 CEST
    (preview,) = await env.fake.wait_for_messages(ALERTS, 1)
    text = _shown(preview)
    assert "Mantorp" in preview["embeds"][0]["title"]
    _assert_timetable(text, QUALI, RACE)  # 12:30 and 13:30 UTC: the clock change counted
    assert text.index("**Lördag") < text.index(f"<t:{int(QUALI.timestamp())}:t>")
    assert text.index("**Söndag") < text.index(f"<t:{int(RACE.timestamp())}:t>")


@pytest.mark.parametrize("env", WORLD, indirect=True)
async def test_schedule_for_a_dst_weekend_and_one_in_sydney(env: Env) -> None:
    mantorp = await env.command(FAN, "schedule", {"weekend": "stcc-2026/r6"})
    _assert_timetable(_shown(mantorp), QUALI, RACE)

    sydney = await env.command(FAN, "schedule", {"weekend": "tcr-au-2026/r7"})
    text = _shown(sydney)
    _assert_timetable(text, SYDNEY_RACE)  # 10:00 in Sydney, 23:00 UTC the day before
    assert "**Lördag" in text  # 00:00 Saturday in Sweden, the server's day

    english = await env.command(FAN, "schedule", {"weekend": "tcr-au-2026/r7"}, locale="en-US")
    assert "(times in your own time zone)" in _shown(english)
    assert _stamps(_shown(english)) == [(int(SYDNEY_RACE.timestamp()), "t")]


@pytest.mark.parametrize("env", WORLD, indirect=True)
async def test_next_names_the_swedish_time_once_and_counts_down_live(env: Env) -> None:
    answer = await env.command(FAN, "next")
    text = _shown(answer)
    assert _stamps(text) == [(int(QUALI.timestamp()), "R")]
    assert "lör 24 okt 14:30 (svensk tid) · <t:" in text, text
    assert _clock_times(text) == ["14:30"]  # once, and no "om 2 d" beside the live one
    assert " – om " not in text

    await env.advance_to(datetime(2026, 10, 24, 13, 0, tzinfo=UTC))  # after qualifying
    later = _shown(await env.command(FAN, "next"))
    assert _stamps(later) == [(int(RACE.timestamp()), "R")]
    assert "sön 25 okt 14:30 (svensk tid)" in later  # CET now: 13:30 UTC, still 14:30
    assert _clock_times(later) == ["14:30"]
