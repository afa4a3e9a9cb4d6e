"""Quiet hours, spoilers and the push policy as pure functions (#14)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.audience import Target, wants_standings, wants_summary
from bot.core.markup import Bold, Plain, Post, Spoiler, line, reveal
from bot.core.model import SessionKind
from bot.core.quiet import for_target, in_window, parse_window, window_text
from bot.core.reminders import NoticeKind, Planned, wants


@pytest.mark.parametrize(
    ("typed", "window"),
    [
        ("22-07", (1320, 420)),
        ("22–7", (1320, 420)),
        ("22 - 07", (1320, 420)),
        ("22:00-07:30", (1320, 450)),
        ("22.30–06.45", (1350, 405)),
        ("kl 22 till 07", (1320, 420)),
        ("kl. 23 to 6", (1380, 360)),
        ("13-15", (780, 900)),
        ("00-24", None),  # the whole day is not a window: the same minute twice
        ("22-22", None),
        ("25-07", None),
        ("22:61-07", None),
        ("22", None),
        ("night", None),
    ],
)
def test_windows_as_people_write_them(typed: str, window: tuple[int, int] | None) -> None:
    assert parse_window(typed) == window


def test_window_text() -> None:
    assert window_text((1320, 450)) == "22:00–07:30"


@pytest.mark.parametrize(
    ("at", "quiet"),
    [
        # Summer (CEST, UTC+2): 22:00 local is 20:00 UTC, 07:00 local 05:00 UTC.
        (datetime(2021, 7, 10, 19, 59, tzinfo=UTC), False),
        (datetime(2021, 7, 10, 20, 0, tzinfo=UTC), True),
        (datetime(2021, 7, 11, 4, 59, tzinfo=UTC), True),
        (datetime(2021, 7, 11, 5, 0, tzinfo=UTC), False),
        # Winter (CET, UTC+1): the same window is an hour later in UTC.
        (datetime(2021, 12, 4, 20, 30, tzinfo=UTC), False),
        (datetime(2021, 12, 4, 21, 0, tzinfo=UTC), True),
        (datetime(2021, 12, 5, 5, 30, tzinfo=UTC), True),
        (datetime(2021, 12, 5, 6, 0, tzinfo=UTC), False),
        # The autumn night has 25 hours: 02:00-03:00 happens twice, both quiet; 06:30 CET
        # is 05:30 UTC (quiet) though it would be 07:30 on the summer offset.
        (datetime(2021, 10, 31, 0, 30, tzinfo=UTC), True),
        (datetime(2021, 10, 31, 1, 30, tzinfo=UTC), True),
        (datetime(2021, 10, 31, 5, 30, tzinfo=UTC), True),
        (datetime(2021, 10, 31, 6, 0, tzinfo=UTC), False),
        # The spring night has 23 hours: 06:30 CEST is 04:30 UTC.
        (datetime(2021, 3, 28, 4, 30, tzinfo=UTC), True),
        (datetime(2021, 3, 28, 5, 0, tzinfo=UTC), False),
    ],
)
def test_a_window_that_wraps_midnight_follows_dst(at: datetime, quiet: bool) -> None:
    assert in_window((22 * 60, 7 * 60), "Europe/Stockholm", at) is quiet


def test_a_daytime_window_and_no_window() -> None:
    lunch = (12 * 60, 13 * 60)
    assert in_window(lunch, "Asia/Seoul", datetime(2021, 10, 16, 3, 30, tzinfo=UTC))  # 12:30
    assert not in_window(lunch, "Asia/Seoul", datetime(2021, 10, 16, 4, 0, tzinfo=UTC))
    assert not in_window(None, "Asia/Seoul", datetime(2021, 10, 16, 3, 30, tzinfo=UTC))


RESULT = Post(
    title="Race 1 – Jarama",
    lines=(line("Race 1: ", Bold("Andreas"), " ", Spoiler("15:e")), line(Spoiler("3: A", True))),
)


def test_spoilers_are_kept_only_for_chats_that_asked() -> None:
    at = datetime(2020, 11, 7, 12, 0, tzinfo=UTC)
    hiding = for_target(RESULT, Target(1, "telegram", "1", spoilers=True), at)
    assert hiding.lines == RESULT.lines
    assert not hiding.silent
    shown = for_target(RESULT, Target(2, "telegram", "2"), at)
    assert shown.lines == (
        line("Race 1: ", Bold("Andreas"), " ", Plain("15:e")),
        line(Bold("3: A")),
    )
    assert reveal(shown) is shown  # nothing left to reveal
    assert Post.from_json(RESULT.to_json()) == RESULT  # spoilers survive the outbox


def test_silent_is_decided_at_send_time_in_the_targets_zone() -> None:
    night = datetime(2021, 10, 16, 1, 0, tzinfo=UTC)  # 03:00 in Stockholm, 10:00 in Seoul
    window = (22 * 60, 7 * 60)
    sweden = Target(1, "telegram", "1", quiet=window)
    korea = Target(2, "telegram", "2", timezone="Asia/Seoul", quiet=window)
    assert for_target(RESULT, sweden, night).silent
    assert not for_target(RESULT, korea, night).silent
    assert "silent" not in RESULT.to_json()  # never stored with the post


def _planned(kind: NoticeKind, session_kind: SessionKind, lead: int | None = None) -> Planned:
    at = datetime(2020, 11, 6, 9, 0, tzinfo=UTC)
    return Planned(
        "k", kind, at, at, "tcr-europe-2020", "r6", "s", session_kind=session_kind, lead=lead
    )


@pytest.mark.parametrize(
    ("target", "practice_leads", "practice_live", "race_leads"),
    [
        (Target(1, "t", "1"), [15], False, [60, 15]),
        (Target(1, "t", "1", leads=(30, 10, 5)), [5], False, [30, 10, 5]),
        (Target(1, "t", "1", digest=True), [], False, [60, 15]),
    ],
)
def test_practice_gets_one_reminder_races_every_lead(
    target: Target, practice_leads: list[int], practice_live: bool, race_leads: list[int]
) -> None:
    leads = (60, 30, 15, 10, 5)
    default = (60, 15)
    practice = [
        m
        for m in leads
        if wants(target, _planned(NoticeKind.LEAD, SessionKind.PRACTICE, m), default)
    ]
    race = [
        m for m in leads if wants(target, _planned(NoticeKind.LEAD, SessionKind.RACE, m), default)
    ]
    assert practice == practice_leads
    assert race == race_leads
    assert wants(target, _planned(NoticeKind.LIVE, SessionKind.PRACTICE), default) is practice_live
    assert wants(target, _planned(NoticeKind.LIVE, SessionKind.QUALIFYING), default)


def test_who_gets_the_summary_and_the_standings() -> None:
    weekend = {SessionKind.PRACTICE, SessionKind.QUALIFYING, SessionKind.RACE}
    everything = Target(1, "t", "1")
    races = Target(2, "t", "2", kinds=(SessionKind.RACE,))
    all_three = Target(3, "t", "3", kinds=tuple(weekend))
    practice = Target(4, "t", "4", kinds=(SessionKind.PRACTICE,))
    assert [wants_summary(t, weekend) for t in (everything, races, all_three, practice)] == [
        True,
        False,
        True,
        False,
    ]
    assert [wants_standings(t) for t in (everything, races, all_three, practice)] == [
        True,
        True,
        True,
        False,
    ]
