"""The fan's weekend on Telegram (#14): results by kind, spoilers, quiet hours, fewer pushes.

End to end: the real PTB client and the whole App against the fake Bot API, on virtual
time, asserting what each chat reads (texts, first lines, markup) and how it rings
(``disable_notification``).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests import test_telegram
from tests.builders import Event, schedule_toml, session
from tests.fakes.fake_telegram import SentMessage
from tests.helpers import SCHEDULES, write_schedule
from tests.test_telegram import (
    ADMIN,
    GROUP,
    STAFF_ID,
    USER,
    Env,
    callback_data,
    staff_result,
)

#: The Telegram world's fixture (``tests.test_telegram``), used here too.
env = test_telegram.env

THURSDAY = datetime(2020, 11, 5, 12, 0, tzinfo=UTC)  # before the Jarama preview
RACE1_OVER = datetime(2020, 11, 7, 11, 20, tzinfo=UTC)
ESTORIL_MONDAY = datetime(2021, 6, 28, 10, 0, tzinfo=UTC)
RESULTS = ("fp1 andreas 21 jessica 22", "fp2 andreas 16 jessica 21", "q andreas 19 jessica 20")
RACES = ("race1 andreas 15 jessica 16", "race2 andreas 17 jessica dnf")
STANDINGS = "\n".join(
    [
        "Förare – Totalt (Topp 3)",
        "1: Mikel Azcona (ESP), 301 p.",
        "2: Tom Coronel (NLD), 280 p.",
        "3: Andreas Bäckman (SWE), 17 p.",
    ]
)


def _posts(env: Env, chat: int, after: int) -> list[SentMessage]:
    return env.fake.messages.get(chat, [])[after:]


def _first_line(msg: SentMessage) -> str:
    return (msg.text or "").splitlines()[0]


def _seen(env: Env, chat: int) -> int:
    return len(env.fake.messages.get(chat, []))


async def _publish_standings(env: Env, paste: str = STANDINGS) -> None:
    echo = await env.command(STAFF_ID, STAFF_ID, f"/standings {paste}", "Publicera?")
    env.fake.push_callback(STAFF_ID, STAFF_ID, echo.message_id, callback_data(echo)[0])
    await env.fake.wait_until(lambda: "Publicerat" in (echo.text or ""))
    await env.settle()


@pytest.mark.parametrize("env", [ESTORIL_MONDAY], indirect=True)
async def test_results_follow_each_chats_kinds_and_standings_come_once(env: Env) -> None:
    await env.command(USER, USER, "/start", "Välkommen")  # everything
    await env.command(GROUP, ADMIN, "/subscribe race", "Prenumerationen är sparad")  # races
    fan, group = _seen(env, USER), _seen(env, GROUP)
    for places in (*RESULTS, *RACES):
        await staff_result(env, places)
    await _publish_standings(env)

    fan_posts = [_first_line(m) for m in _posts(env, USER, fan)]
    assert fan_posts == [
        "Fri träning 1 – Estoril",
        "Fri träning 2 – Estoril",
        "Tidskval – Estoril",
        "Race 1 – Estoril",
        "Race 2 – Estoril",  # with the weekend summary under it: not a post of its own
        "Mästerskapsställning",
    ]
    last = _posts(env, USER, fan)[4].text or ""
    assert "Race 2: Andreas 17:e, Jessica bröt (DNF)" in last
    for expected in ("Andreas resultat:", "Fri träning 1: 21:a plats", "Jessicas resultat:"):
        assert expected in last, expected
    assert "Mikel Azcona" not in last  # the standings once: on their own
    assert env.count(USER, "1: Mikel Azcona (ESP), 301 p.") == 1

    group_posts = _posts(env, GROUP, group)
    assert [_first_line(m) for m in group_posts] == [
        "Race 1 – Estoril",
        "Race 2 – Estoril",
        "Mästerskapsställning",
    ]
    shown = "\n".join(m.text or "" for m in group_posts)
    assert "Fri träning" not in shown  # no practice places
    assert "Tidskval" not in shown
    assert "resultat:" not in shown  # nor the summary that lists them


@pytest.mark.parametrize("env", [RACE1_OVER], indirect=True)
async def test_spoilers_hide_places_and_the_first_line_names_the_session(env: Env) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    saved = await env.command(USER, USER, "/settings spoilers på", "Sparat")
    assert "Dölj placeringar (spoilers): på" in (saved.text or "")
    await env.command(GROUP, ADMIN, "/start@racebot_test_bot", "Välkommen")
    fan = _seen(env, USER)

    await staff_result(env, 'race1 andreas 15 trophy 2 "punktering" jessica dnf')
    (post,) = _posts(env, USER, fan)
    assert _first_line(post) == "Race 1 – Jarama"  # what a lock screen shows
    assert not re.search(r"\d+:[ae]|DNF|bröt", _first_line(post).removeprefix("Race 1"))
    raw = post.raw or ""
    assert "<b>Andreas</b> <tg-spoiler>15:e (2:a i WTCR Trophy) 🥈</tg-spoiler>" in raw
    assert "<b>Jessica</b> <tg-spoiler>bröt (DNF)</tg-spoiler>" in raw
    assert "<tg-spoiler>punktering</tg-spoiler>" in raw
    plain = await env.wait_text(GROUP, "Race 1: Andreas 15:e (2:a i WTCR Trophy) 🥈, Jessica bröt")
    assert "tg-spoiler" not in (plain.raw or "")

    # A correction edits the post and keeps the places hidden.
    await staff_result(env, "race1 jessica 14")
    await env.fake.wait_until(lambda: "14:e" in (post.text or ""))
    assert "<b>Jessica</b> <tg-spoiler>14:e</tg-spoiler> ✏️" in (post.raw or "")
    assert len(_posts(env, USER, fan)) == 1

    # Standings are places too: hidden row by row, headings shown.
    await _publish_standings(env)
    table = await env.wait_text(USER, "Mästerskapsställning")
    assert "<b><tg-spoiler>3: Andreas Bäckman (SWE), 17 p.</tg-spoiler></b>" in (table.raw or "")
    assert "<tg-spoiler>1: Mikel Azcona (ESP), 301 p.</tg-spoiler>" in (table.raw or "")
    assert "<b>Förare – Totalt (" in (table.raw or "")  # the heading is not hidden
    group_table = await env.wait_text(GROUP, "Mästerskapsställning")
    assert "tg-spoiler" not in (group_table.raw or "")

    # The settings keyboard shows it on; a tap turns it off again.
    panel = await env.command(USER, USER, "/settings", "Inställningar")
    faces = [b["text"] for row in (panel.reply_markup or {})["inline_keyboard"] for b in row]
    assert "✓ 🙈 Dölj placeringar" in faces
    assert "set:spoilers:off" in callback_data(panel)
    env.fake.push_callback(USER, USER, panel.message_id, "set:spoilers:off")
    await env.fake.wait_until(lambda: "(spoilers): av" in (panel.text or ""))
    target = await env.app.store.get_subscription("telegram", str(USER))
    assert target is not None
    assert not target.spoilers
    helped = await env.command(USER, USER, "/help", "Kommandon")
    assert "spoilers, tysta timmar, dagsöversikt" in (helped.text or "")


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("/settings spoilers kanske", "Skriv på eller av (on/off) efter spoilers, inte 'kanske'."),
        ("/settings quiet 25-07", "Kan inte läsa '25-07' som tysta timmar."),
        ("/settings tysta timmar 22", "Kan inte läsa '22' som tysta timmar."),
        ("/settings digest", "Skriv på eller av (on/off) efter digest, inte ''."),
    ],
)
async def test_bad_fan_settings_are_answered_and_change_nothing(
    env: Env, typed: str, answer: str
) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    reply = await env.command(USER, USER, typed, answer)
    assert "/settings quiet 22-07|off" in (reply.text or "")  # how to write it
    target = await env.app.store.get_subscription("telegram", str(USER))
    assert target is not None
    assert (target.spoilers, target.quiet, target.digest) == (False, None, False)


def _inje(folder: Path) -> Path:
    """WTCR Inje 2021 with times in the track's zone: night in Sweden, day in Korea."""
    sessions = [
        session("fp1", "Fri träning 1", "practice", datetime(2021, 10, 16, 9, 0)),
        session("q", "Tidskval", "qualifying", datetime(2021, 10, 16, 14, 0)),
        session("race1", "Race 1", "race", datetime(2021, 10, 17, 11, 0)),
    ]
    inje = Event(
        "r6",
        6,
        "Inje Speedium",
        "Inje Speedium",
        date(2021, 10, 16),
        sessions,
        last_day=date(2021, 10, 17),
        country="KR",
        track_timezone="Asia/Seoul",
        timezone="Asia/Seoul",
    )
    text = schedule_toml("wtcr-2021", "FIA WTCR", 2021, [inje])
    write_schedule(folder / "schedules", "wtcr-2021.toml", text)
    return folder / "schedules"


INJE = " – Inje Speedium"


@pytest.mark.parametrize("env", [(datetime(2021, 10, 15, 12, 0, tzinfo=UTC), _inje)], indirect=True)
async def test_quiet_hours_silence_the_asian_nights_in_each_chats_zone(env: Env) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    saved = await env.command(USER, USER, "/settings quiet 22-07", "Sparat")
    assert "Tysta timmar: 22:00–07:00" in (saved.text or "")
    await env.command(GROUP, ADMIN, "/start@racebot_test_bot", "Välkommen")
    await env.command(GROUP, ADMIN, "/settings tz Asia/Seoul; quiet kl 22 till 07", "Sparat")
    fan, group = _seen(env, USER), _seen(env, GROUP)
    await env.run_to(datetime(2021, 10, 17, 3, 0, tzinfo=UTC))

    def rings(chat: int, after: int) -> list[tuple[str, bool]]:
        return [
            (_first_line(m), m.params.get("disable_notification") is not True)
            for m in _posts(env, chat, after)
        ]

    # Stockholm (CEST): the preview at 18:00 rings; everything from 22 to 07 is silent.
    assert rings(USER, fan) == [
        ("🏁 FIA WTCR – deltävling 6: Inje Speedium", True),  # Fri 18:00
        (f"⏱ Fri träning 1{INJE} startar om 15 min", False),  # Sat 01:45
        (f"⏱ Tidskval{INJE} startar om 1 h", False),  # 06:00
        (f"⏱ Tidskval{INJE} startar om 15 min", False),  # 06:45
        (f"🟢 Tidskval{INJE} startar nu", True),  # 07:00: the window has ended
        (f"⏱ Race 1{INJE} startar om 1 h", False),  # Sun 03:00
        (f"⏱ Race 1{INJE} startar om 15 min", False),  # 03:45
        (f"🟢 Race 1{INJE} startar nu", False),  # 04:00
    ]
    # Seoul: the same posts fall in the day and ring, but the preview is at 01:00 there.
    assert [loud for _, loud in rings(GROUP, group)] == [False] + [True] * 7


@pytest.mark.parametrize("env", [(THURSDAY, lambda _: SCHEDULES)], indirect=True)
async def test_the_daily_digest_replaces_practice_reminders(env: Env) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    await env.command(USER, USER, "/settings digest on", "Dagsöversikt i stället")
    await env.command(GROUP, ADMIN, "/start@racebot_test_bot", "Välkommen")
    fan, group = _seen(env, USER), _seen(env, GROUP)
    await env.run_to(datetime(2020, 11, 7, 13, 10, tzinfo=UTC))

    fan_posts = [_first_line(m) for m in _posts(env, USER, fan)]
    assert fan_posts == [
        "🏁 TCR Europe – deltävling 6: Jarama",
        "Idag: FP1 10:50 · FP2 13:10 · Kval 15:00",  # Friday 08:50
        "⏱ Tidskval (Q1 och Q2) – Jarama startar om 1 h",
        "⏱ Tidskval (Q1 och Q2) – Jarama startar om 15 min",
        "🟢 Tidskval (Q1 och Q2) – Jarama startar nu",
        "Idag: Race 1 11:15 · Race 2 14:05",  # Saturday 09:15
        "⏱ Race 1 – Jarama startar om 1 h",
        "⏱ Race 1 – Jarama startar om 15 min",
        "🔴 LIVE NU: Race 1 – Jarama",
        "⏱ Race 2 – Jarama startar om 1 h",
        "⏱ Race 2 – Jarama startar om 15 min",
        "🔴 LIVE NU: Race 2 – Jarama",
    ]
    # Without the digest: one reminder per practice, 15 minutes before, and no LIVE NU.
    group_posts = [_first_line(m) for m in _posts(env, GROUP, group)]
    assert [p for p in group_posts if "Fri träning" in p] == [
        "⏱ Fri träning 1 – Jarama startar om 15 min",
        "⏱ Fri träning 2 – Jarama startar om 15 min",
    ]
    assert len(group_posts) == 12


#: (name, start, end of the weekend, result commands, a default fan's and a races-only
#: chat's posts). Jarama and Barcelona have their timetables in the schedule files;
#: Estoril's and Aragón's times were never published in one, so only results arrive.
WEEKENDS = [
    ("jarama-2020", THURSDAY, datetime(2020, 11, 7, 16, 0, tzinfo=UTC), 18, 10),
    (
        "barcelona-2023",
        datetime(2023, 9, 27, 12, 0, tzinfo=UTC),
        datetime(2023, 10, 1, 14, 0, tzinfo=UTC),
        18,
        10,
    ),
    ("estoril-2021", datetime(2021, 6, 27, 16, 0, tzinfo=UTC), ESTORIL_MONDAY, 6, 3),
    (
        "aragon-2021",
        datetime(2021, 7, 11, 16, 0, tzinfo=UTC),
        datetime(2021, 7, 12, 10, 0, tzinfo=UTC),
        6,
        3,
    ),
]


@pytest.mark.parametrize(
    ("env", "end", "default_posts", "races_posts"),
    [
        pytest.param((start, lambda _: SCHEDULES), end, d, r, id=name)
        for name, start, end, d, r in WEEKENDS
    ],
    indirect=["env"],
)
async def test_a_default_fans_pushes_over_a_seed_weekend(
    env: Env, end: datetime, default_posts: int, races_posts: int
) -> None:
    """The figures README states: every post a chat gets from the preview to the standings."""
    await env.command(USER, USER, "/start", "Välkommen")
    await env.command(GROUP, ADMIN, "/subscribe race", "Prenumerationen är sparad")
    fan, group = _seen(env, USER), _seen(env, GROUP)
    await env.run_to(end)
    for places in (*RESULTS, *RACES):
        await staff_result(env, places)
    await _publish_standings(env)
    await env.run_to(end + timedelta(hours=6))  # nothing more comes later
    fan_posts = [_first_line(m) for m in _posts(env, USER, fan)]
    assert len(fan_posts) == default_posts, fan_posts
    assert len(set(fan_posts)) == len(fan_posts)  # nothing twice
    assert len(_posts(env, GROUP, group)) == races_posts
