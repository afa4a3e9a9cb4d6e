"""Refused timetable and calendar lines are explained in the reader's language (#15).

A Swedish media officer pastes a release with a line the readers refuse: the draft the
bot sends back (the real PTB client on the fake Bot API) names the line and says, in
Swedish, what is wrong and how to fix it; a staff member who reads English gets the same
refusal in English. The readers raise structured errors; the words are the catalogue's.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from bot.authoring.season import parse_calendar
from bot.authoring.timetable import parse_release
from bot.core.clock import VirtualClock
from bot.core.errors import ScheduleErrors
from tests.fakes.fake_telegram import FakeTelegram
from tests.helpers import running_app
from tests.test_release import Env
from tests.test_telegram import STAFF_ID, USER, telegram_config


@dataclass(frozen=True)
class Refusal:
    text: str
    #: line -> (the Swedish reason, the English reason) it must show
    lines: dict[int, tuple[str, str]]


SV_TIME = "Tidsschema för helgens tävling (alla tider svensk tid):\n"

REFUSALS = {
    "no zone": Refusal(
        "Tidsschema för helgens tävling:\nLördag 3 oktober\n14:30 Fri träning 1\n",
        {1: ("det står inte vilken tidszon tiderna är i", "does not say which time zone")},
    ),
    "ambiguous 10/3": Refusal(
        "Timetable (Swedish time):\n10/3\n14:30 Free Practice 1\n",
        {
            2: (
                "kan vara 10 mars (dag/månad) eller 3 oktober (månad/dag)",
                "could be 10 March (day/month) or 3 October (month/day)",
            ),
            3: (
                "står under en dag som inte gick att läsa (rad 2)",
                "under a day heading that was not understood (line 2)",
            ),
        },
    ),
    "the skipped hour in March": Refusal(
        SV_TIME + "Söndag 29 mars\n02:30 Race 1\n",
        {
            3: (
                "klockan 02:30 finns inte på ”Söndag 29 mars” i Europe/Stockholm – klockan "
                "ställs fram den natten. Kontrollera tiden och tidszonen.",
                "02:30 does not exist in Europe/Stockholm (the clocks jump forward",
            )
        },
    ),
    "the repeated hour in October": Refusal(
        SV_TIME + "Söndag 25 oktober\n02:30 Race 1\n",
        {
            3: (
                "klockan 02:30 kommer två gånger på ”Söndag 25 oktober” i Europe/Stockholm",
                "02:30 occurs twice in Europe/Stockholm (the clocks go back)",
            )
        },
    ),
    "weekday and date disagree": Refusal(
        SV_TIME + "Fredag 3 oktober\n14:30 Fri träning 1\n",
        {
            2: ("3 oktober 2026 är en lördag. Menar du ”Fredag 2 oktober”?", "is a Saturday"),
            3: ("står under en dag som inte gick att läsa (rad 2)", "under a day heading"),
        },
    ),
    "a day with no sessions": Refusal(
        SV_TIME + "Lördag 3 oktober\nFörsta passet efter lunch\n",
        {2: ("dagen har inga pass under sig", "no sessions under this day")},
    ),
    "TBA in a calendar": Refusal(
        "WTCR Kalender 2026:\nTBA - Asien\n3-5 juli - Anderstorp, Sverige\n",
        {
            2: (
                "raden går inte att läsa som en helg i kalendern. En helg behöver sina datum",
                "not a calendar line the reader understands",
            )
        },
    ),
    "a month nobody has": Refusal(
        "WTCR Kalender 2026:\n3-5 Juno - Anderstorp, Sverige\n",
        {2: ("”Juno” är ingen månad. Skriv månaden med bokstäver", "'Juno' is not a month")},
    ),
    "a session that ends before it starts": Refusal(
        SV_TIME + "Lördag 3 oktober\n12:30-11:00 Fri träning 2\n",
        {3: ("passet slutar (11:00) innan det börjar (12:30)", "the session ends (11:00)")},
    ),
    "a time past midnight": Refusal(
        SV_TIME + "Lördag 3 oktober\n25:30 Fri träning 1\n",
        {3: ("”25:30” är ingen klocktid. Skriv tiden som 10:50", "25:30 is not a time of day")},
    ),
    "a day without its date": Refusal(
        SV_TIME + "Lördag\nFri träning 1 efter lunch\n",
        {2: ("dagen saknar datum. Skriv datumet efter", "a day heading without a date")},
    ),
    "sessions that overlap": Refusal(
        SV_TIME + "Lördag 3 oktober\n10:50 Fri träning 1 (60 min)\n11:10 Fri träning 2\n",
        {4: ("börjar innan ”10:50 Fri träning 1 (60 min)” (rad 3) slutar 11:50", "starts before")},
    ),
    "local time, no place": Refusal(
        "Tidsschema:\n(alla tider är lokal tid)\nLördag 3 oktober\n14:30 Fri träning 1\n",
        {2: ("anger lokal tid, men släppet säger inte vilken tidszon det är", "gives local time")},
    ),
    "an ISO date that is none": Refusal(
        SV_TIME + "2026-13-03\n14:30 Fri träning 1\n",
        {
            2: ("datumet går inte att läsa. Skriv dagen som ”2026-10-03”", "not a date"),
            3: ("står under en dag som inte gick att läsa (rad 2)", "under a day heading"),
        },
    ),
}

#: Words that give an English sentence away in a Swedish draft ("not" is Swedish too).
ENGLISH = re.compile(
    r"\b(?:the|is|are|line|does|heading|session|write|check|or|zone|time|understands?|day|"
    r"before|after|hint|cannot|which|says?|expected|would)\b",
    re.IGNORECASE,
)


@pytest.fixture
async def env(tmp_path: object) -> AsyncIterator[Env]:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    async with FakeTelegram(
        global_rate=None, per_chat_interval=None, group_per_minute=None
    ) as fake:
        fake.add_private_chat(USER, "Anna", username="anna")
        fake.add_private_chat(STAFF_ID, "Staffan", username="staffan")
        config = telegram_config(fake, tmp_path)
        clock = VirtualClock(datetime(2026, 9, 1, 8, tzinfo=UTC))
        async with running_app(config, clock) as app:
            yield Env(app=app, clock=clock, fake=fake, config=config)


def _reasons(draft: str, word: str) -> dict[int, str]:
    """Each refused line of a draft's unused list: its number -> what follows the quote."""
    out: dict[int, str] = {}
    for row in draft.splitlines():
        found = re.match(rf"^{word} (\d+): “.*?” – (.*)$", row)
        if found:
            out[int(found[1])] = found[2]
    return out


@pytest.mark.parametrize("language", ["sv", "en"])
async def test_a_draft_says_every_refusal_in_the_readers_language(env: Env, language: str) -> None:
    """Swedish by default; a staff member who chose English reads the same in English."""
    word = "rad" if language == "sv" else "line"
    if language == "en":
        await env.send("/start", "Välkommen")
        await env.send("/settings language en", "Settings")
    for name, case in REFUSALS.items():
        draft = await env.send(f"/release {case.text}", f"{word} {min(case.lines)}:")
        reasons = _reasons(draft.text or "", word)
        for number, (swedish, english) in case.lines.items():
            assert number in reasons, (name, number, draft.text)
            reason = reasons[number]
            # Staff in chat have no command line: no hint tells them to pass --tz or --year.
            assert "--" not in reason, (name, reason)
            if language == "sv":
                assert swedish in reason, (name, reason)
                assert not ENGLISH.search(reason), (name, reason)
            else:
                assert english in reason, (name, reason)
                assert "inte" not in reason, (name, reason)
        await env.send("/cancel", "")


async def test_a_release_without_its_zone_note_says_what_to_write_not_which_option(
    env: Env,
) -> None:
    """The CLI says "or pass --tz"; the media officer in chat is told what to write."""
    case = REFUSALS["no zone"]
    draft = await env.send(f"/release {case.text}", "rad 1:")
    assert _reasons(draft.text or "", "rad")[1] == (
        "förstods inte: det står inte vilken tidszon tiderna är i. Skriv ”(alla "
        "tidsangivelser avser svensk tid)” under rubriken."
    )


def _fields(template: str) -> set[str]:
    return set(re.findall(r"{(\w+)}", template))


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_hint_that_names_a_cli_option_has_a_chat_wording(language: str) -> None:
    from dataclasses import fields

    from bot.core.texts import texts

    phrases = texts(language).authoring
    names = {f.name for f in fields(phrases)}
    for name, chat in phrases.in_chat.items():
        assert name in names, name
        original = getattr(phrases, name)
        assert _fields(chat) == _fields(original), name  # the same values fit both
        assert "--" not in chat, name
        assert "schem" not in chat.lower(), name  # nor a schedule file to edit
    # Reasons that name an option (year_outside, tz_option) only ever reach the CLI.
    cli_only = {"tz_option", "year_outside"}
    for name in names - cli_only - {"in_chat"}:
        if "--" in str(getattr(phrases, name)) and name.endswith(("_hint", "_year")):
            assert name in phrases.in_chat, name


# --- what used to be refused and is read now ----------------------------------------


def _starts(text: str, year: int = 2026) -> list[str]:
    return [
        f"{s.id} {s.start:%Y-%m-%d %H:%M}"
        for table in parse_release(text, year=year)
        for s in table.sessions
    ]


def test_iso_day_headings_are_read() -> None:
    text = SV_TIME + "2026-10-03\n14:30 Fri träning 1\nSöndag 2026-10-04\n10:00 Race 1\n"
    assert _starts(text) == ["fp1 2026-10-03 12:30", "race1 2026-10-04 08:00"]
    # the year is the heading's, whatever the release is read for
    english = "Timetable (Swedish time):\nSaturday, 2026-10-03:\n2:30 pm Free Practice 1\n"
    assert _starts(english, year=2025) == ["fp1 2026-10-03 12:30"]


def test_an_iso_heading_with_the_wrong_weekday_is_refused_without_a_year_hint() -> None:
    with pytest.raises(ScheduleErrors) as caught:
        parse_release(SV_TIME + "Lördag 2026-10-04\n14:30 Fri träning 1\n", year=2026)
    first, under = caught.value.errors
    assert (first.line, first.reason("sv")) == (2, "4 oktober 2026 är en söndag")
    assert first.advice("sv") == "Menar du ”Lördag 3 oktober”?"  # no --year: it is written
    assert (under.line, under.reason("en")) == (
        3,
        "under a day heading that was not understood (line 2)",
    )


def test_a_calendar_weekend_over_new_year_ends_in_the_next_year() -> None:
    text = (
        "Kalender 2026:\n3-5 juli - Anderstorp, Sverige\n"
        "31 december – 2 januari - Guia Circuit, Macau\n"
    )
    calendar = parse_calendar(text, year=2026)
    spans = [(e.first_day, e.last_day, e.track_timezone) for e in calendar.entries]
    assert spans == [
        (date(2026, 7, 3), date(2026, 7, 5), "Europe/Stockholm"),
        (date(2026, 12, 31), date(2027, 1, 2), "Asia/Macau"),
    ]


def test_a_timetable_over_new_year_reads_the_next_year() -> None:
    text = SV_TIME + "Torsdag 31 december\n14:30 Fri träning 1\nFredag 1 januari\n10:00 Race 1\n"
    assert _starts(text) == ["fp1 2026-12-31 13:30", "race1 2027-01-01 09:00"]
