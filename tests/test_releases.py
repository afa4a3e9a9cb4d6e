# ruff: noqa: E501  (press releases have long lines; they are kept as written)
"""Whole press releases as team press officers write them, not as the parser reads them.

Each release is in the voice of the seeds (Bäckman siblings, Word export noise) and each
test pins the exact UTC instants, or the exact refusal and its line.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.authoring.timetable import ImportedTimetable, parse_release, parse_timetable
from bot.core.errors import ScheduleErrors


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def starts(table: ImportedTimetable) -> list[tuple[str, datetime]]:
    return [(s.id, s.start) for s in table.sessions]


def refused(text: str, *, year: int, **kwargs: object) -> list[tuple[int | None, str, str]]:
    with pytest.raises(ScheduleErrors) as caught:
        parse_release(text, year=year, source="release.txt", **kwargs)  # type: ignore[arg-type]
    return [(e.line, e.message, e.hint or "") for e in caught.value.errors]


# --- Swedish releases ------------------------------------------------------------------

ANDERSTORP = """\
Bäckmans redo för hemmapremiären på Anderstorp[image: ]
Foto: TCR Scandinavia (Fria rättigheter att använda bilden)
[bookmark: _GoBack]Andreas och Jessica Bäckman gör i helgen, 13–14 maj, säsongspremiär i TCR Scandinavia på Anderstorp Raceway.
- Det ska bli riktigt kul att köra inför hemmapubliken igen, säger Jessica Bäckman.

Tidsschema för helgen (TCR Scandinavia deltävling 1):
Alla tider nedan anges i svensk tid.
Lördag
13 maj
Fri träning 1: kl. 10.50–11.35
Fri träning 2: Kl. 14.05–14.50
KL. 17.00 Tidskval
Söndag 14 maj (racedag):
10.50 Race 1 – LIVE på TV4 Play
TBA – Race 2

Live-sändning
Båda racen sänds på TV4 Play och på STCC:s YouTube-kanal.

Om banan:
Anderstorp Raceway
Plats: Anderstorp, Sverige
Längd: 4,025 km
"""


def test_swedish_release_with_kl_times_split_heading_and_tba() -> None:
    table = parse_timetable(ANDERSTORP, year=2023, source="release.txt")

    assert starts(table) == [
        ("fp1", utc(2023, 5, 13, 8, 50)),
        ("fp2", utc(2023, 5, 13, 12, 5)),
        ("q", utc(2023, 5, 13, 15, 0)),
        ("race1", utc(2023, 5, 14, 8, 50)),
    ]
    fp1, fp2 = table.sessions[:2]
    assert fp1.duration == timedelta(minutes=45)
    assert fp2.duration == timedelta(minutes=45)
    assert [lk.label for lk in table.sessions[3].links] == ["TV4 Play"]
    assert not any(s.tentative for s in table.sessions)
    [pending] = table.pending
    assert (pending.line, pending.name.sv, pending.day.isoformat()) == (15, "Race 2", "2023-05-14")
    assert table.section == (6, 15)
    assert table.title == "TCR Scandinavia deltävling 1"
    assert table.zone_note == "Alla tider nedan anges i svensk tid."


JARAMA_TBC = """\
Bäckmans laddade inför finalen på Jarama
[bookmark: _GoBack]Syskonen Bäckman avslutar säsongen i helgen på Jarama-banan utanför Madrid.

Tidsschema för helgens tävling (TCR Europe deltävling 7):
(alla tidsangivelser avser svensk tid)
Fredag 6/11
10:50 – 11:35 Fri träning 1
13:10 Fri träning 2
Lördag 7/11
09:30 Tidskval (Q1 och Q2)
11:15 Race 1
14:00 Race 2 (TBC)

Om banan:
Circuito del Jarama
Plats: San Sebastián de los Reyes, Madrid, Spanien
"""


def test_tbc_session_is_kept_and_tentative() -> None:
    table = parse_timetable(JARAMA_TBC, year=2020)

    assert starts(table) == [
        ("fp1", utc(2020, 11, 6, 9, 50)),
        ("fp2", utc(2020, 11, 6, 12, 10)),
        ("q", utc(2020, 11, 7, 8, 30)),
        ("race1", utc(2020, 11, 7, 10, 15)),
        ("race2", utc(2020, 11, 7, 13, 0)),
    ]
    assert [s.tentative for s in table.sessions] == [False, False, False, False, True]
    assert table.sessions[4].name.sv == "Race 2"


GT4_MONTH_END = """\
Bäckmans redo för säsongsfinalen i Barcelona
Kommande helg, 29 september–1 oktober, är det dags för säsongsavslutningen av GT4 European Series.

Helgens schema:
(svensk tid)
Fredag 29 september:
11.20-12.20 Fri träning 1 – LIVETIMING
15.40-16.40 Fri träning 2 – LIVETIMING
Lördag 30/9
kl. 11.25 Q1/Q2 – Tidskval 1 & 2 (2 x 20 min) - LIVE QUALIFYING
kl. 16.50 Race 1 (60 min) – byter förare efter halva loppet
Söndag 1 oktober (racedag):
kl. 11.20 Race 2 (60 min) – byter förare efter halva loppet - LIVE TV RACE 2

Om banan (Circuit de Catalunya-Barcelona):
[image: ]
Plats: Barcelona, Spanien
"""


def test_mixed_day_formats_across_a_month_end() -> None:
    table = parse_timetable(GT4_MONTH_END, year=2023)

    assert starts(table) == [
        ("fp1", utc(2023, 9, 29, 9, 20)),
        ("fp2", utc(2023, 9, 29, 13, 40)),
        ("q", utc(2023, 9, 30, 9, 25)),
        ("race1", utc(2023, 9, 30, 14, 50)),
        ("race2", utc(2023, 10, 1, 9, 20)),
    ]
    assert [s.duration for s in table.sessions] == [
        timedelta(minutes=60),
        timedelta(minutes=60),
        timedelta(minutes=40),
        timedelta(minutes=60),
        timedelta(minutes=60),
    ]


NEW_YEAR = """\
Jessica Bäckman kör 24-timmarslopp över nyår
Jessica Bäckman inleder det nya året på Dubai Autodrome.

Tidsschema (alla tider är lokal tid i Dubai, tre timmar före svensk tid):
Fredag 31 december
13.30 Fri träning
Lördag 1 januari
kl. 10.00 Tidskval
Söndag 2 januari
14:00 Race
"""


def test_weekend_across_new_year_in_local_time() -> None:
    table = parse_timetable(NEW_YEAR, year=2021)

    assert starts(table) == [
        ("fp", utc(2021, 12, 31, 9, 30)),
        ("q", utc(2022, 1, 1, 6, 0)),
        ("race", utc(2022, 1, 2, 10, 0)),
    ]
    assert table.tz == ZoneInfo("Asia/Dubai")


TWO_CLASSES = """\
Dubbla tävlingar för syskonen Bäckman i helgen
[bookmark: _GoBack]Andreas kör TCR Europe och Jessica gör debut i TCR Italy, båda på Monza.

Tidsschema Andreas (TCR Europe deltävling 3):
(alla tidsangivelser avser svensk tid)
Lördag 17 juni:
09:15 Fri träning 1
13:40 Tidskval
Söndag 18 juni:
11:00 Race 1
15:30 Race 2

Tidsschema Jessica (TCR Italy deltävling 2):
(alla tidsangivelser avser svensk tid)
Lördag 17 juni:
10:30 Fri träning
16:05 Tidskval
Söndag 18 juni:
12:20 Race 1
16:45 Race 2

Om banan:
Autodromo Nazionale Monza
Plats: Monza, Italien
"""


def test_two_timetables_in_one_release() -> None:
    andreas, jessica = parse_release(TWO_CLASSES, year=2023)

    assert andreas.title == "TCR Europe deltävling 3"
    assert jessica.title == "TCR Italy deltävling 2"
    assert starts(andreas) == [
        ("fp1", utc(2023, 6, 17, 7, 15)),
        ("q", utc(2023, 6, 17, 11, 40)),
        ("race1", utc(2023, 6, 18, 9, 0)),
        ("race2", utc(2023, 6, 18, 13, 30)),
    ]
    assert starts(jessica) == [
        ("fp", utc(2023, 6, 17, 8, 30)),
        ("q", utc(2023, 6, 17, 14, 5)),
        ("race1", utc(2023, 6, 18, 10, 20)),
        ("race2", utc(2023, 6, 18, 14, 45)),
    ]
    with pytest.raises(ScheduleErrors, match="2 timetables"):
        parse_timetable(TWO_CLASSES, year=2023)


# --- English releases and zones stated anywhere -----------------------------------------

ESTORIL = """\
Bäckman siblings ready for Portugal
[image: ]
Photo: FIA WTCR (Free rights to use the image)
The siblings Andreas and Jessica Bäckman head to Circuito do Estoril this weekend. All times below are local time in Portugal.

Weekend schedule
Saturday 26th June
Free Practice 1: 9:30 am
Free Practice 2: 2.15pm
Qualifying – 4:45 pm-5:15 pm
Sunday June 27th
Race 1 – 12:30 pm
3.00pm Race 2

Download press-photos here:
http://bit.ly/jabaeckman-photos
"""


def test_english_release_local_time_in_a_named_country() -> None:
    table = parse_timetable(ESTORIL, year=2021)

    assert table.language == "en"
    assert starts(table) == [
        ("fp1", utc(2021, 6, 26, 8, 30)),
        ("fp2", utc(2021, 6, 26, 13, 15)),
        ("q", utc(2021, 6, 26, 15, 45)),
        ("race1", utc(2021, 6, 27, 11, 30)),
        ("race2", utc(2021, 6, 27, 14, 0)),
    ]
    assert table.sessions[2].duration == timedelta(minutes=30)
    assert table.tz == ZoneInfo("Europe/Lisbon")


MACAU_AFTER = """\
Säsongsfinal på gatorna i Macau
Syskonen Bäckman avslutar VM-säsongen på den klassiska gatubanan Circuito da Guia.

Tidsschema för helgens tävling:
Lördag 20 november:
10:30 Fri träning 1
14:45 Tidskval
Söndag 21 november:
09:00 Race 1
14:45 Race 2

Tiderna ovan är lokal tid i Macau, som ligger sju timmar före Sverige.
"""


def test_zone_stated_after_the_timetable() -> None:
    table = parse_timetable(MACAU_AFTER, year=2021)

    assert table.tz == ZoneInfo("Asia/Macau")
    assert starts(table) == [
        ("fp1", utc(2021, 11, 20, 2, 30)),
        ("q", utc(2021, 11, 20, 6, 45)),
        ("race1", utc(2021, 11, 21, 1, 0)),
        ("race2", utc(2021, 11, 21, 6, 45)),
    ]


INJE_PER_LINE = """\
Bäckmans första tävling i Asien
[bookmark: _Hlk19732787]Nu i helgen gör syskonen sin första tävling i Asien, på Inje Speedium i Sydkorea.

Tidsschema:
Lördag 16 oktober
10:00 Fri träning 1 (03:00 svensk tid)
14:30 Fri träning 2 (07:30 svensk tid)
Söndag 17 oktober
08:30 Tidskval (01:30 svensk tid)
06:00 Uppvärmning (23:00 svensk tid)

Om banan:
Inje Speedium
Plats: Inje, Sydkorea
"""


def test_per_line_swedish_time_with_the_day_before() -> None:
    table = parse_timetable(INJE_PER_LINE, year=2021)

    # 06:00 on Sunday in Korea is 23:00 on Saturday in Sweden: the Swedish time wins
    assert starts(table) == [
        ("fp1", utc(2021, 10, 16, 1, 0)),
        ("fp2", utc(2021, 10, 16, 5, 30)),
        ("fp", utc(2021, 10, 16, 21, 0)),
        ("q", utc(2021, 10, 16, 23, 30)),
    ]


SVENSK_WITH_NOTE = """\
Syskonen Bäckman till Sydkorea
Nu väntar den första Asien-tävlingen för syskonen.

Tidsschema för helgens tävling (WTCR deltävling 6):
(alla tider är svensk tid, lokal tid i Sydkorea är sju timmar före)
Lördag 16 oktober:
03:00 Fri träning 1
07:30 Fri träning 2
Söndag 17 oktober:
01:30 Tidskval

Om banan:
Plats: Inje, Sydkorea
"""


def test_svensk_tid_with_a_note_on_the_local_difference_is_swedish_time() -> None:
    table = parse_timetable(SVENSK_WITH_NOTE, year=2021)

    assert table.tz == ZoneInfo("Europe/Stockholm")
    assert starts(table) == [
        ("fp1", utc(2021, 10, 16, 1, 0)),
        ("fp2", utc(2021, 10, 16, 5, 30)),
        ("q", utc(2021, 10, 16, 23, 30)),
    ]


BATHURST = """\
Andreas Bäckman gästkör Bathurst 1000
[image: ]
Andreas Bäckman gör i helgen sin första start på Mount Panorama i Australien.

Timetable (AEDT – UTC+11):
Friday 4th November
9:00 am Practice 1
1.30pm Practice 2
Saturday 5th November
10:15 Qualifying
Sunday 6th November
11:15 Race

About the track:
Mount Panorama Circuit
Location: Bathurst, Australia
"""


def test_abbreviation_and_offset_in_australia() -> None:
    table = parse_timetable(BATHURST, year=2022)

    assert table.tz == ZoneInfo("Australia/Sydney")
    assert starts(table) == [
        ("fp1", utc(2022, 11, 3, 22, 0)),
        ("fp2", utc(2022, 11, 4, 2, 30)),
        ("q", utc(2022, 11, 4, 23, 15)),
        ("race", utc(2022, 11, 6, 0, 15)),
    ]


NINGBO_LOCAL = """\
Bäckmans till Kina
Syskonen kör helgens tävling på Ningbo International Speedpark.

Tidsschema (lokal tid):
Lördag 6 november
10:10 Fri träning
15:00 Tidskval
Söndag 7 november
12:40 Race 1
16:00 Race 2

Om banan:
Ningbo International Speedpark
Plats: Ningbo, Kina
"""


def test_local_time_takes_the_zone_of_the_named_place() -> None:
    table = parse_timetable(NINGBO_LOCAL, year=2021)

    assert table.tz == ZoneInfo("Asia/Shanghai")
    assert starts(table)[0] == ("fp", utc(2021, 11, 6, 2, 10))
    assert starts(table)[-1] == ("race2", utc(2021, 11, 7, 8, 0))


def test_local_time_takes_the_track_zone_from_the_series_file() -> None:
    text = NINGBO_LOCAL.replace("Plats: Ningbo, Kina", "Längd: 4,01 km")
    table = parse_timetable(text, year=2021, track_tz=ZoneInfo("Asia/Shanghai"))
    assert starts(table)[0] == ("fp", utc(2021, 11, 6, 2, 10))


def test_tz_that_contradicts_the_track_is_refused() -> None:
    problems = refused(NINGBO_LOCAL, year=2021, default_tz=ZoneInfo("Asia/Seoul"))

    [(line, message, hint)] = problems
    assert line == 4
    assert message == (
        "the zone statements disagree: line 4 ('lokal tid') and --tz ('--tz Asia/Seoul'): "
        "'10:10 Fri träning' would be 02:10 UTC or 01:10 UTC"
    )
    assert "--tz" in hint


def test_tz_that_agrees_is_accepted() -> None:
    table = parse_timetable(NINGBO_LOCAL, year=2021, default_tz=ZoneInfo("Asia/Shanghai"))
    assert starts(table)[0] == ("fp", utc(2021, 11, 6, 2, 10))


def test_conflicting_statements_name_both_lines() -> None:
    text = MACAU_AFTER.replace(
        "Tidsschema för helgens tävling:", "Tidsschema för helgens tävling:\n(svensk tid)"
    )
    [(line, message, _)] = refused(text, year=2021)

    assert line == 13
    assert message.startswith(
        "the zone statements disagree: line 5 ('svensk tid') and line 13 ('Tiderna ovan är "
        "lokal tid i Macau, som ligger sju timmar före Sverige.')"
    )
    assert "'10:30 Fri träning 1' would be 09:30 UTC or 02:30 UTC" in message


def test_cest_on_a_winter_weekend_is_refused() -> None:
    text = JARAMA_TBC.replace("(alla tidsangivelser avser svensk tid)", "(alla tider i CEST)")
    problems = refused(text, year=2020)

    assert problems[0][0] == 5
    assert problems[0][1] == (
        "'alla tider i CEST' says UTC+2, but on 6 November 2020 Europe/Stockholm keeps CET (UTC+1)"
    )


def test_no_zone_and_no_place_is_refused() -> None:
    text = "Helgens schema:\nLördag 14 maj\n10:50 Race 1\n"
    [(line, message, hint)] = refused(text, year=2022)
    assert (line, message) == (1, "the timetable does not say which time zone its times are in")
    assert "--tz" in hint


def test_no_zone_at_an_asian_track_is_refused() -> None:
    text = NINGBO_LOCAL.replace("Tidsschema (lokal tid):", "Tidsschema:")
    [(line, message, _)] = refused(text, year=2021)
    assert line == 6
    assert message.startswith(
        "the timetable does not say whether its times are Swedish time or the track's zone "
        "(Asia/Shanghai)"
    )


# --- lines that must not pass silently ------------------------------------------------------


def test_a_line_not_understood_inside_the_timetable_is_an_error() -> None:
    text = JARAMA_TBC.replace(
        "11:15 Race 1\n", "11:15 Race 1\nRace 1 startar direkt efter paraden\n"
    )
    [(line, message, hint)] = refused(text, year=2020)

    assert line == 12
    assert message == (
        "'Race 1 startar direkt efter paraden': not a line the timetable reader understands"
    )
    assert "10:50 Fri träning 1" in hint


def test_a_range_that_ends_before_it_starts_is_an_error() -> None:
    text = JARAMA_TBC.replace("10:50 – 11:35 Fri träning 1", "11:35 – 10:50 Fri träning 1")
    [(line, message, _)] = refused(text, year=2020)
    assert line == 7
    assert (
        message
        == "'11:35 – 10:50 Fri träning 1': the session ends (10:50) before it starts (11:35)"
    )


def test_a_time_that_is_no_time_of_day_is_an_error() -> None:
    text = JARAMA_TBC.replace("13:10 Fri träning 2", "25.10 Fri träning 2")
    [(line, message, _)] = refused(text, year=2020)
    assert line == 8
    assert message == "'25.10 Fri träning 2': 25:10 is not a time of day"


def test_a_weekday_without_a_date_is_an_error() -> None:
    text = JARAMA_TBC.replace("Lördag 7/11", "Lördag:")
    problems = refused(text, year=2020)
    assert problems[0][:2] == (9, "'Lördag:': a day heading without a date")


def test_range_and_duration_that_disagree_are_an_error() -> None:
    text = JARAMA_TBC.replace("10:50 – 11:35 Fri träning 1", "10:50 – 11:35 Fri träning 1 (60 min)")
    [(line, message, _)] = refused(text, year=2020)
    assert line == 7
    assert (
        message
        == "'10:50 – 11:35 Fri träning 1 (60 min)': gives 45 min by its times but says 60 min"
    )


def test_blank_gap_then_prose_ends_the_timetable() -> None:
    text = JARAMA_TBC.replace(
        "14:00 Race 2 (TBC)\n",
        "14:00 Race 2 (TBC)\n\nInför helgen har Andreas chansen att klättra till femte plats i "
        "mästerskapet om allt går vägen på lördag.\n",
    )
    table = parse_timetable(text, year=2020)
    assert len(table.sessions) == 5


def test_year_outside_2000_2100_is_refused() -> None:
    [(line, message, _)] = refused(JARAMA_TBC, year=20)
    assert (line, message) == (None, "--year 20 is outside 2000–2100")


# --- DST weekends in Swedish time ------------------------------------------------------------


def test_autumn_dst_weekend_gives_each_day_its_offset() -> None:
    text = (
        "Tidsschema för helgens tävling:\n(alla tidsangivelser avser svensk tid)\n"
        "Lördag 24 oktober:\n10:00 Tidskval\nSöndag 25 oktober:\n10:00 Race 1\n03:30 Uppvärmning\n"
    )
    table = parse_timetable(text, year=2026)
    # Sunday 25 October 2026: 03:30 is after the clocks went back (CET), 10:00 too
    assert starts(table) == [
        ("q", utc(2026, 10, 24, 8, 0)),
        ("fp", utc(2026, 10, 25, 2, 30)),
        ("race1", utc(2026, 10, 25, 9, 0)),
    ]


def test_spring_dst_weekend_gives_each_day_its_offset() -> None:
    text = (
        "Tidsschema för helgens tävling:\n(alla tidsangivelser avser svensk tid)\n"
        "Lördag 28 mars:\n10:00 Tidskval\nSöndag 29 mars:\n03:00 Uppvärmning\n10:00 Race 1\n"
    )
    table = parse_timetable(text, year=2026)
    assert starts(table) == [
        ("q", utc(2026, 3, 28, 9, 0)),
        ("fp", utc(2026, 3, 29, 1, 0)),
        ("race1", utc(2026, 3, 29, 8, 0)),
    ]


# --- Word lists and tables ----------------------------------------------------------------

KNUTSTORP_WORD_TABLE = """\
Syskonen Bäckman laddar för Ring Knutstorp[image: ]
Foto: STCC (Fria rättigheter att använda bilden)
[bookmark: _GoBack]Helgen 9–10 september gästar syskonen TCR Scandinavia på Ring Knutstorp i Skåne.

Helgens tidsschema
Alla tider är preliminära och anges i svensk tid.
Lördag 9 september – kvaldag
• 09:40 Fri träning 1
• 12:15 Fri träning 2
Tidskval
15:30–16:00
Söndag 10 september
11:15 | Race 1 | LIVE på TV4 Play
- 15:05 Race 2 (omvänd startordning)

Om banan:
Ring Knutstorp
Plats: Kågeröd, Sverige
"""


def test_word_lists_and_table_cells_with_provisional_times() -> None:
    table = parse_timetable(KNUTSTORP_WORD_TABLE, year=2023)

    assert starts(table) == [
        ("fp1", utc(2023, 9, 9, 7, 40)),
        ("fp2", utc(2023, 9, 9, 10, 15)),
        ("q", utc(2023, 9, 9, 13, 30)),
        ("race1", utc(2023, 9, 10, 9, 15)),
        ("race2", utc(2023, 9, 10, 13, 5)),
    ]
    assert all(s.tentative for s in table.sessions)
    assert table.sessions[2].duration == timedelta(minutes=30)
    assert [lk.label for lk in table.sessions[3].links] == ["TV4 Play"]
    race2 = table.sessions[4]
    assert race2.note is not None
    assert (race2.note.sv, race2.note.en) == ("omvänd startordning", "reversed grid")


def test_a_time_cell_without_a_name_is_an_error() -> None:
    text = KNUTSTORP_WORD_TABLE.replace("Tidskval\n15:30–16:00\n", "15:30–16:00\n\n")
    problems = refused(text, year=2023)
    assert problems[0][:2] == (
        10,
        "'15:30–16:00': not a line the timetable reader understands",
    )


MANTORP_ONE_LINE_DAYS = """\
Bäckmans tillbaka på Mantorp
[bookmark: _GoBack]Syskonen kör helgens deltävling av TCR Scandinavia på Mantorp Park.

Tidsschema för helgen:
Samtliga tider avser svensk tid.
Lördag 13/5 kl. 10.50: Fri träning 1
kl. 14.00 Fri träning 2
Söndag 14 maj, 11:15 Race 1

Om banan:
Mantorp Park
Plats: Mantorp, Sverige
"""


def test_day_and_session_on_one_line() -> None:
    table = parse_timetable(MANTORP_ONE_LINE_DAYS, year=2023)
    assert starts(table) == [
        ("fp1", utc(2023, 5, 13, 8, 50)),
        ("fp2", utc(2023, 5, 13, 12, 0)),
        ("race1", utc(2023, 5, 14, 9, 15)),
    ]
    assert [e.line for e in table.entries] == [6, 7, 8]


@pytest.mark.parametrize(
    "line",
    ["Race 1: 10:00 & Race 2: 14:00", "03:00 Fri träning 1 (10:00)"],
)
def test_a_second_time_on_a_line_is_never_dropped(line: str) -> None:
    text = MANTORP_ONE_LINE_DAYS.replace("kl. 14.00 Fri träning 2", line)
    [(number, message, hint)] = refused(text, year=2023)
    assert (number, message) == (7, f"'{line}': a second time the reader cannot place")
    assert "one session per line" in hint


ONE_HEADING_TWO_CLASSES = """\
Syskonen Bäckman i två klasser på Monza
[image: ]
I helgen kör Andreas TCR Europe medan Jessica gör debut i TCR Italy.

Tidsschema för helgen (svensk tid):
TCR Europe (Andreas):
Lördag 17 juni
09:15 Fri träning 1
13:40 Tidskval

TCR Italy (Jessica):
Lördag 17 juni
10:30 Fri träning
Söndag 18 juni
12:20 Race 1

Om banan:
Autodromo Nazionale Monza
Plats: Monza, Italien
"""


def test_one_heading_with_a_sub_heading_per_class() -> None:
    andreas, jessica = parse_release(ONE_HEADING_TWO_CLASSES, year=2023)

    assert (andreas.label, jessica.label) == ("TCR Europe (Andreas)", "TCR Italy (Jessica)")
    assert starts(andreas) == [("fp1", utc(2023, 6, 17, 7, 15)), ("q", utc(2023, 6, 17, 11, 40))]
    assert starts(jessica) == [("fp", utc(2023, 6, 17, 8, 30)), ("race1", utc(2023, 6, 18, 10, 20))]


def test_cet_cest_means_central_european_time_whichever_applies() -> None:
    text = BATHURST.replace("Timetable (AEDT – UTC+11):", "Timetable (AEST/AEDT):")
    table = parse_timetable(text, year=2022)
    # Sydney keeps AEDT in November: the same instants as "AEDT – UTC+11"
    assert starts(table)[0] == ("fp1", utc(2022, 11, 3, 22, 0))
    assert table.tz == ZoneInfo("Australia/Sydney")


def test_an_abbreviation_and_an_offset_that_disagree_are_refused() -> None:
    text = BATHURST.replace("Timetable (AEDT – UTC+11):", "Timetable (AEDT – UTC+10):")
    problems = refused(text, year=2022)
    assert problems[0][:2] == (
        5,
        "'AEDT – UTC+10' names two zones that disagree: '9:00 am Practice 1' would be "
        "22:00 UTC or 23:00 UTC",
    )


def test_a_second_statement_that_cannot_be_checked_is_refused() -> None:
    text = MACAU_AFTER.replace(
        "Tidsschema för helgens tävling:", "Tidsschema för helgens tävling:\n(svensk tid)"
    ).replace(
        "Tiderna ovan är lokal tid i Macau, som ligger sju timmar före Sverige.",
        "Tiderna ovan är lokal tid.",
    )
    [(line, message, hint)] = refused(text, year=2021)
    assert line == 13
    assert (
        message
        == "'Tiderna ovan är lokal tid.' gives local time and the release does not say which zone"
    )
    assert "--tz" in hint


SPA_ENGLISH = """\
Bäckman siblings ready for the Spa 24 Hours support races
[image: ]
Photo: SRO (Free rights to use the image)
[bookmark: _GoBack]Andreas and Jessica Bäckman return to Spa-Francorchamps this weekend, June 29th – July 2nd.

TIMETABLE, ALL TIMES IN CEST
Thu 29 June
FP1 10:50
Free Practice 2 – 14:00 to 14:45
Fri 30 June
Qualifying 1 & 2: 09:00 (2 x 20 min)
Sat, July 1
Race 1 – 11:00 (60 min) – driver change at half distance
Sunday 2nd July
Race 2 – TBA

About the track:
Circuit de Spa-Francorchamps
Location: Stavelot, Belgium
"""


def test_english_release_with_the_zone_in_the_heading_text() -> None:
    table = parse_timetable(SPA_ENGLISH, year=2023)

    assert table.language == "en"
    assert table.tz == ZoneInfo("Europe/Brussels")  # CEST, as the track keeps it
    assert table.title is None
    assert starts(table) == [
        ("fp1", utc(2023, 6, 29, 8, 50)),
        ("fp2", utc(2023, 6, 29, 12, 0)),
        ("q", utc(2023, 6, 30, 7, 0)),
        ("race1", utc(2023, 7, 1, 9, 0)),
    ]
    assert [(s.name.sv, s.duration) for s in table.sessions[1:3]] == [
        ("Fri träning 2", timedelta(minutes=45)),
        ("Tidskval 1 & 2", timedelta(minutes=40)),
    ]
    [pending] = table.pending
    assert (pending.name.en, pending.day.isoformat()) == ("Race 2", "2023-07-02")


def test_swedish_heading_with_the_zone_in_words() -> None:
    text = ANDERSTORP.replace(
        "Tidsschema för helgen (TCR Scandinavia deltävling 1):\nAlla tider nedan anges i svensk tid.",
        "Helgens program i svensk tid:",
    )
    table = parse_timetable(text, year=2023)
    assert starts(table)[0] == ("fp1", utc(2023, 5, 13, 8, 50))
    assert table.zone_note == "Helgens program i svensk tid:"


GELLERASEN = """\
Bäckmans laddade inför Gelleråsen
[bookmark: _GoBack]I helgen kör syskonen på Gelleråsen Arena utanför Karlskoga.

Tidsschema (alla tider i svensk tid):
Lördag 19 augusti
Kl. 9 Fri träning 1
kl 13 Fri träning 2
Tidskval kl. 16.30
Söndag 20 augusti
11:15 Race 1
Prisutdelning direkt efter racet
15:05 Race 2

Om banan:
Gelleråsen Arena
Plats: Karlskoga, Sverige
"""


def test_a_prose_line_inside_the_timetable_never_hides_the_sessions_after_it() -> None:
    [(line, message, hint)] = refused(GELLERASEN, year=2023)
    assert (line, message) == (
        11,
        "'Prisutdelning direkt efter racet': not a line the timetable reader understands, "
        "and the timetable continues after it",
    )
    assert "12:30 Prisutdelning" in hint


def test_whole_hours_written_with_kl() -> None:
    text = GELLERASEN.replace("Prisutdelning direkt efter racet\n", "")
    table = parse_timetable(text, year=2023)
    assert starts(table) == [
        ("fp1", utc(2023, 8, 19, 7, 0)),
        ("fp2", utc(2023, 8, 19, 11, 0)),
        ("q", utc(2023, 8, 19, 14, 30)),
        ("race1", utc(2023, 8, 20, 9, 15)),
        ("race2", utc(2023, 8, 20, 13, 5)),
    ]


def test_days_cut_off_by_a_note_are_reported() -> None:
    text = JARAMA_TBC.replace(
        "Lördag 7/11\n",
        "\nObservera att depån är stängd för publik under fredagen.\n\nLördag 7/11\n",
    )
    problems = refused(text, year=2020)
    assert problems[0][:2] == (
        12,
        "'Lördag 7/11': this day and its sessions are outside the timetable (the timetable "
        "above ends at line 8)",
    )


def test_overlapping_sessions_are_refused_in_release_terms() -> None:
    text = JARAMA_TBC.replace("13:10 Fri träning 2", "11:10 Fri träning 2")
    [(line, message, hint)] = refused(text, year=2020)
    assert (line, message) == (
        8,
        "'11:10 Fri träning 2': starts before '10:50 – 11:35 Fri träning 1' (line 7) ends at 11:35",
    )
    assert "duration" in hint
