"""Timetables as media staff really type, paste and export them, read to exact UTC instants
or refused with their line: Word's caps, non-breaking spaces and bullets, "14h30", a
Markdown or tab table, a zone beside each time, a round in Japan or Australia in local
time, "10/3" that a US reader takes for 3 October, the nights the clocks change.

Expected instants are written out by hand (UTC), never computed with the reader's code.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.authoring.release import read_release
from bot.authoring.schedule_file import to_toml
from bot.authoring.season import parse_calendar
from bot.authoring.timetable import parse_release, parse_timetable
from bot.core.errors import ScheduleErrors
from bot.core.schedule import load_catalog, load_text
from tests.helpers import SCHEDULES


def instants(text: str, year: int = 2026) -> list[tuple[int, str, str]]:
    """(release line, session id, UTC start) of every session read."""
    return [
        (e.line, e.session.id, f"{e.session.start.astimezone(UTC):%Y-%m-%d %H:%M}")
        for table in parse_release(text, year=year)
        for e in table.entries
    ]


def refused(text: str, year: int = 2026) -> list[tuple[int | None, str, str]]:
    with pytest.raises(ScheduleErrors) as caught:
        parse_release(text, year=year)
    return [(e.line, e.message, e.hint or "") for e in caught.value.errors]


INTRO = (
    "Bäckmans redo för helgens tävling\n"
    "Foto: TCR Europe (Fria rättigheter att använda bilden)\n"
    "Andreas och Jessica Bäckman är laddade inför helgen.\n"
    "\n"
)

#: Pasted from Word: a caps day heading with a colon, non-breaking spaces, en dashes,
#: bullets, "kl." and dots for colons, and the spellings people type in a hurry.
WORD_PASTE = INTRO + (
    "TIDSSCHEMA FÖR HELGENS TÄVLING:\n"
    "(alla tidsangivelser avser svensk tid)\n"
    "FREDAG\xa02\xa0OKTOBER:\n"
    "•\tkl.\xa010.50\xa0–\xa0Fri träning1\n"
    "•\t13.10–13.50 Fri träning 2\n"
    "LÖRDAG 3 OKT.:\n"
    "–\t10.00 Kvalificering (Q1 och Q2)\n"
    "*\t14h30 Race1 – LIVE på Facebook\n"
    "Sön 4/10\n"
    "11:20\tRace 2\n"
)


def test_a_word_paste_with_caps_bullets_and_odd_spaces_is_read_to_the_minute() -> None:
    assert instants(WORD_PASTE) == [
        (8, "fp1", "2026-10-02 08:50"),  # CEST: UTC+2
        (9, "fp2", "2026-10-02 11:10"),
        (11, "q", "2026-10-03 08:00"),
        (12, "race1", "2026-10-03 12:30"),
        (14, "race2", "2026-10-04 09:20"),
    ]
    (table,) = parse_release(WORD_PASTE, year=2026)
    assert table.entries[1].session.duration is not None
    assert table.entries[1].session.duration.total_seconds() == 40 * 60


def test_an_english_release_with_french_and_twelve_hour_times() -> None:
    text = (
        "Bäckman siblings ready for Portimão\n"
        "\n"
        "Weekend timetable (all times are Swedish time):\n"
        "Saturday the 3rd of October\n"
        "9h45 Free Practice 1\n"
        "2.30 pm Qualifying\n"
        "Sunday 4th October:\n"
        "12.05 pm – Race 1\n"
    )
    assert instants(text) == [
        (5, "fp1", "2026-10-03 07:45"),
        (6, "q", "2026-10-03 12:30"),
        (8, "race1", "2026-10-04 10:05"),
    ]


def test_swedish_time_said_the_short_way() -> None:
    text = "Tidsschema:\nAlla tider är svenska.\nLördag 3 oktober:\n10:00 Fri träning 1\n"
    assert instants(text) == [(4, "fp1", "2026-10-03 08:00")]


MARKDOWN = INTRO + (
    "Tidsschema (svensk tid):\n"
    "| Dag | Tid | Pass |\n"
    "|---|:---:|---|\n"
    "| Lördag 3 oktober | 10:50 | Fri träning 1 |\n"
    "| | 14:05 | Tidskval |\n"
    "| Söndag 4 oktober | 11:15 | Race 1 |\n"
)


def test_a_markdown_table_is_a_timetable_not_prose() -> None:
    assert instants(MARKDOWN) == [
        (8, "fp1", "2026-10-03 08:50"),
        (9, "q", "2026-10-03 12:05"),
        (10, "race1", "2026-10-04 09:15"),
    ]


def test_a_table_pasted_from_excel_with_tabs_and_a_header_row() -> None:
    text = (
        "Timetable (CEST)\n"
        "Day\tTime\tSession\n"
        "Saturday 3 October\t10:50\tFree Practice 1\n"
        "Saturday 3 October\t14:05\tQualifying\n"
    )
    assert instants(text) == [(3, "fp1", "2026-10-03 08:50"), (4, "q", "2026-10-03 12:05")]


def test_a_markdown_timetable_in_a_whole_release_leaves_no_line_unused() -> None:
    files = load_catalog(SCHEDULES)
    plan = read_release(MARKDOWN, files, datetime(2026, 9, 28, tzinfo=UTC))
    (weekend,) = plan.weekends
    starts = [f"{s.start:%Y-%m-%d %H:%M}" for s in weekend.event.sessions]
    assert starts == ["2026-10-03 08:50", "2026-10-03 12:05", "2026-10-04 09:15"]
    assert [(u.first, u.why) for u in plan.unused if u.first >= 5] == []


def test_a_zone_beside_each_time_is_that_lines_zone() -> None:
    text = (
        "Timetable\n"
        "Saturday 3 October\n"
        "13:30 BST Free Practice 1\n"  # a British round's own press office: UTC+1
        "Qualifying – 16.05 (CEST)\n"
        "Sunday 4 October\n"
        "09:30 NZDT Race 1\n"  # UTC+13: still Sunday's race, a Saturday evening in UTC
    )
    assert instants(text) == [
        (3, "fp1", "2026-10-03 12:30"),
        (4, "q", "2026-10-03 14:05"),
        (6, "race1", "2026-10-03 20:30"),
    ]


def test_a_zone_beside_a_time_that_does_not_fit_the_date_is_refused() -> None:
    text = "Tidsschema:\nLördag 7 november:\n14:30 CEST Fri träning 1\n"
    ((line, message, _),) = refused(text)
    assert line == 3
    assert "'CEST' says UTC+2" in message
    assert "CET (UTC+1)" in message


SUZUKA = (
    "Säsongsfinal i Japan\n"
    "\n"
    "Tidsschema för helgens tävling (lokal tid):\n"
    "Lördag 3 oktober:\n"
    "10:00 Fri träning 1 (03:00 svensk tid)\n"
    "14:30 Tidskval\n"
    "Söndag 4 oktober:\n"
    "08:15 Race 1\n"
    "\n"
    "Om banan:\n"
    "Plats: Suzuka, Japan\n"
    "Längd: 5,807 km\n"
)


def test_a_round_in_japan_in_the_tracks_local_time() -> None:
    assert instants(SUZUKA) == [
        (5, "fp1", "2026-10-03 01:00"),  # JST: UTC+9, and 03:00 CEST agrees
        (6, "q", "2026-10-03 05:30"),
        (8, "race1", "2026-10-03 23:15"),  # Sunday morning in Japan, Saturday night in UTC
    ]


def test_local_time_named_by_its_abbreviation_without_a_track() -> None:
    text = (
        "The timetable\n"
        "All times are local time (JST).\n"
        "Saturday 3 October\n"
        "13:30 Free Practice 1\n"
    )
    assert instants(text) == [(4, "fp1", "2026-10-03 04:30")]


def test_macau_in_local_time() -> None:
    text = (
        "Tidsschema (lokal tid):\n"
        "Lördag 21 november:\n"
        "13:30 Fri träning 1\n"
        "\n"
        "Om banan:\n"
        "Plats: Circuito da Guia, Macau\n"
    )
    assert instants(text) == [(3, "fp1", "2026-11-21 05:30")]  # UTC+8


def test_aest_at_bathurst_after_the_clocks_went_forward_is_refused() -> None:
    """Brisbane keeps AEST all year; Bathurst keeps AEDT from the first Sunday of October.
    'AEST' there is loose talk or a mistake: an hour either way, so it is refused."""
    text = (
        "Timetable (AEST):\n"
        "Saturday 10 October\n"
        "13:30 Free Practice 1\n"
        "\n"
        "About the track\n"
        "Location: Bathurst, Australia\n"
    )
    ((line, message, _),) = refused(text)
    assert line == 1
    assert "Australia/Sydney keeps AEDT (UTC+11)" in message
    assert instants(text.replace("AEST", "AEDT")) == [(3, "fp1", "2026-10-10 02:30")]
    queensland = text.replace("Bathurst", "Ipswich")  # Queensland Raceway: AEST all year
    assert instants(queensland) == [(3, "fp1", "2026-10-10 03:30")]


# --- dates: day/month or month/day -------------------------------------------------------


#: Refused on one line: (timetable, the line, words of the message, words of the hint).
REFUSED = [
    pytest.param(  # the track keeps AEDT: "local time (JST)" contradicts itself
        "Timetable\nAll times are local time (JST).\nSaturday 3 October\n13:30 Free Practice 1\n"
        "\nAbout the track\nLocation: Bathurst, Australia\n",
        2,
        "would be 03:30 UTC or 04:30 UTC",
        "write one zone",
        id="local time its abbreviation contradicts",
    ),
    pytest.param(  # a US reader takes 10/3 for 3 October
        "Timetable (Swedish time):\n10/3\n14:30 Free Practice 1\n",
        2,
        "10 March (day/month) or 3 October (month/day)",
        "'Tuesday 10 March' or 'Saturday 3 October'",
        id="10/3 without a weekday",
    ),
    pytest.param(
        "Timetable (Swedish time):\nSaturday 10/3\n14:30 Free Practice 1\n",
        2,
        "read as month/day, 3 October is a Saturday",
        "'Saturday 3 October'",
        id="10/3 with the weekday of 3 October",
    ),
    pytest.param(  # 5 September and 9 May 2026 are both Saturdays
        "Timetable (Swedish time):\nSaturday 5/9\n14:30 Free Practice 1\n",
        2,
        "5 September (day/month) or 9 May (month/day)",
        "write the month as a word",
        id="a weekday both readings fit",
    ),
    pytest.param(
        "Tidsschema (svensk tid):\nLördag 3 oktober\nFörsta passet efter lunch\n",
        2,
        "'Lördag 3 oktober': no sessions under this day",
        "line 3 ('Första passet efter lunch') is not a session",
        id="a day with prose under it",
    ),
    pytest.param(
        "Tidsschema (svensk tid):\nLördag 3 oktober\nSöndag 4 oktober\n11:20 Race 1\n",
        2,
        "'Lördag 3 oktober': no sessions under this day",
        "the next line (3) is another day",
        id="a day with the next day under it",
    ),
    pytest.param(  # 25 October 2026: 02:00-03:00 runs twice in Sweden
        "Tidsschema (alla tider svensk tid):\nSöndag 25 oktober:\n02:30 Race 1\n",
        3,
        "occurs twice in Europe/Stockholm",
        "fold = 0",
        id="the repeated hour in Swedish time",
    ),
    pytest.param(  # 29 March 2026: 02:00-03:00 does not happen in Sweden
        "Timetable (Swedish time):\nSunday 29th March\n2.30 am Race 1\n",
        3,
        "does not exist in Europe/Stockholm",
        "the clocks jump forward",
        id="the skipped hour in Swedish time",
    ),
]


@pytest.mark.parametrize(("text", "line", "message", "hint"), REFUSED)
def test_a_doubtful_line_is_refused_with_its_number(
    text: str, line: int, message: str, hint: str
) -> None:
    (number, said, hinted), *under = refused(text)
    assert number == line
    assert message in said
    assert hint in hinted
    # sessions under a refused day heading are each said, with the heading's line
    for below, why, _ in under:
        assert below is not None
        assert below > line
        assert f"under a day heading that was not understood (line {line})" in why


def test_numeric_dates_that_tell_are_read() -> None:
    english = "Timetable (Swedish time):\nSaturday 3/10\n14:30 Free Practice 1\n"
    assert instants(english) == [(3, "fp1", "2026-10-03 12:30")]
    past_twelve = "Timetable (Swedish time):\n24/10\n14:30 Free Practice 1\n"
    assert instants(past_twelve) == [(3, "fp1", "2026-10-24 12:30")]
    swedish = "Tidsschema (svensk tid):\nlör 10/10\n14:30 Fri träning 1\nsön 11/10\n11.20 Race 1\n"
    assert instants(swedish) == [(3, "fp1", "2026-10-10 12:30"), (5, "race1", "2026-10-11 09:20")]


# --- lines under a day heading that nothing read --------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "1430 Fri träning 2",
        "14 h 30 Fri träning 2",
        "halv tre Fri träning 2",
        "14,30 Fri träning 2",
    ],
)
def test_a_time_the_reader_does_not_take_is_refused_even_as_the_last_line(line: str) -> None:
    """Such a line used to end the timetable above it, silently: the session was gone."""
    for text in (
        f"Tidsschema (svensk tid):\nLördag 3 oktober\n10:00 Fri träning 1\n{line}\n",
        f"Tidsschema (svensk tid):\nLördag 3 oktober\n{line}\n10:00 Fri träning 1\n",
        f"Tidsschema (svensk tid):\nLördag 3 oktober\n{line}\n",
    ):
        numbers = [n for n, _, _ in refused(text)]
        assert numbers == [text.splitlines().index(line) + 1], text


# --- the nights the clocks change in Sweden (2026: 29 March and 25 October) -----------


def test_the_repeated_hour_told_apart_by_its_abbreviation() -> None:
    text = "Timetable\nSunday 25 October\n02:30 CEST Race 1\n02:30 CET Race 2\n"
    assert instants(text) == [(3, "race1", "2026-10-25 00:30"), (4, "race2", "2026-10-25 01:30")]


def test_the_repeated_hour_told_apart_survives_the_whole_release() -> None:
    """The weekend file was written without 'fold = 0', so it did not load back and the
    release reader refused a timetable it had read right."""
    text = "Race night\n\nTimetable (CEST):\nSunday 25 October\n02:30 Race 1\n"
    plan = read_release(text, load_catalog(SCHEDULES), datetime(2026, 10, 20, tzinfo=UTC), "en")
    (weekend,) = plan.weekends
    assert [f"{s.start:%Y-%m-%d %H:%M}" for s in weekend.event.sessions] == ["2026-10-25 00:30"]
    assert [u.why for u in plan.unused] == ["prose"]


def test_the_repeated_hour_told_apart_by_the_lines_local_time() -> None:
    """09:30 in Japan is 00:30 UTC, the first 02:30 in Sweden: the two times agree."""
    text = SUZUKA.replace("Lördag 3 oktober", "Lördag 24 oktober").replace(
        "Söndag 4 oktober:\n08:15 Race 1", "Söndag 25 oktober:\n09:30 Race 1 (02:30 svensk tid)"
    )
    got = instants(text)
    assert got[-1] == (8, "race1", "2026-10-25 00:30")
    table = parse_timetable(text, year=2026)
    written = load_text(to_toml(table), "suzuka").events[0].sessions
    assert written == table.sessions  # the file says which 02:30 (fold = 0) and loads back


def test_a_second_time_in_the_skipped_hour_is_refused_as_such() -> None:
    """09:30 in Japan on 29 March is 01:30 in Sweden; 02:30 does not exist there that night."""
    text = SUZUKA.replace("Söndag 4 oktober:\n08:15 Race 1", "").replace(
        "Lördag 3 oktober:\n10:00 Fri träning 1 (03:00 svensk tid)\n14:30 Tidskval",
        "Söndag 29 mars:\n09:30 Race 1 (02:30 svensk tid)",
    )
    ((line, message, _),) = refused(text)
    assert line == 5
    assert "02:30 does not exist in Europe/Stockholm" in message


# --- season calendars -------------------------------------------------------------------


def calendar(text: str) -> list[tuple[int, int, str, str, str, str]]:
    return [
        (e.line, e.round, f"{e.first_day}", f"{e.last_day}", e.circuit, e.track_timezone)
        for e in parse_calendar(text, year=2026).entries
    ]


def test_a_calendar_pasted_as_a_markdown_table() -> None:
    text = (
        "TCR Europe kalender 2026:\n"
        "| Datum | Bana | Land |\n"
        "|---|---|---|\n"
        "| 24–26 april | Algarve | Portugal |\n"
        "| 15-17 maj | Spa-Francorchamps | Belgien |\n"
        "| 30 okt.-1 nov. | Circuito da Guia | Macau |\n"
    )
    assert calendar(text) == [
        (4, 1, "2026-04-24", "2026-04-26", "Algarve", "Europe/Lisbon"),
        (5, 2, "2026-05-15", "2026-05-17", "Spa-Francorchamps", "Europe/Brussels"),
        (6, 3, "2026-10-30", "2026-11-01", "Circuito da Guia", "Asia/Macau"),
    ]


def test_a_weekend_without_dates_in_the_calendar_is_refused_not_the_end_of_it() -> None:
    """'TBA - Asien' ended the calendar: the weekends under it were dropped unsaid."""
    text = (
        "WTCR kalender 2026:\n"
        "24-26 april - Algarve, Portugal\n"
        "TBA - Asien\n"
        "16-18 oktober - Inje Speedium, Sydkorea\n"
    )
    with pytest.raises(ScheduleErrors) as caught:
        parse_calendar(text, year=2026)
    assert [(e.line, e.message) for e in caught.value.errors] == [
        (3, "'TBA - Asien': not a calendar line the reader understands")
    ]


# --- the year of a release that states none ---------------------------------------------

NO_YEAR = (
    "Bäckmans laddade\n"
    "\n"
    "Tidsschema för helgens tävling:\n"
    "(alla tidsangivelser avser svensk tid)\n"
    "{day}:\n"
    "10:50 Fri träning 1\n"
)


def test_a_wrong_weekday_is_refused_not_read_as_last_years_date() -> None:
    """3 October 2026 is a Saturday; 'Fredag 3 oktober' fits 2025, a year before the
    weekend the release is about. That was read, with only a 'past' check."""
    files = load_catalog(SCHEDULES)
    text = NO_YEAR.format(day="Fredag 3 oktober")
    plan = read_release(text, files, datetime(2026, 9, 28, tzinfo=UTC))
    assert plan.weekends == []
    refusal, *under = (u for u in plan.unused if u.why == "not_understood")
    assert refusal.first == 5
    # the draft is in the staff member's language (Swedish by default)
    assert "Menar du ”Fredag 2 oktober”?" in refusal.detail
    assert all("står under en dag som inte gick att läsa (rad 5)" in u.detail for u in under)


def test_a_january_weekend_in_a_december_release_is_next_year() -> None:
    files = load_catalog(SCHEDULES)
    text = NO_YEAR.format(day="Lördag 9 januari")
    plan = read_release(text, files, datetime(2026, 12, 28, tzinfo=UTC))
    (weekend,) = plan.weekends
    assert [f"{s.start:%Y-%m-%d %H:%M}" for s in weekend.event.sessions] == ["2027-01-09 09:50"]
