"""Wall-clock <-> UTC, Swedish/English dates, durations and countdowns."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.core.timeutil import (
    SWEDISH_TIME,
    LocalTimeError,
    countdown,
    date_range,
    day_heading,
    hhmm,
    month_number,
    parse_duration,
    short_day,
    to_utc,
    weekday_number,
    zone,
)

MACAU = ZoneInfo("Asia/Macau")
SEOUL = ZoneInfo("Asia/Seoul")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


# --------------------------------------------------------------------------- to_utc


@pytest.mark.parametrize(
    ("wall", "expected"),
    [
        (datetime(2020, 11, 7, 11, 15), utc(2020, 11, 7, 10, 15)),  # CET
        (datetime(2023, 9, 29, 11, 20), utc(2023, 9, 29, 9, 20)),  # CEST
        (datetime(2026, 3, 29, 1, 59), utc(2026, 3, 29, 0, 59)),  # just before the gap
        (datetime(2026, 3, 29, 3, 0), utc(2026, 3, 29, 1, 0)),  # just after the gap
        (datetime(2026, 10, 25, 1, 59), utc(2026, 10, 24, 23, 59)),  # just before the fold
        (datetime(2026, 10, 25, 3, 0), utc(2026, 10, 25, 2, 0)),  # just after the fold
    ],
)
def test_to_utc_in_swedish_time(wall: datetime, expected: datetime) -> None:
    assert to_utc(wall, SWEDISH_TIME) == expected
    assert to_utc(wall, SWEDISH_TIME).tzinfo is UTC


def test_to_utc_refuses_the_spring_gap() -> None:
    with pytest.raises(LocalTimeError) as info:
        to_utc(datetime(2026, 3, 29, 2, 30), SWEDISH_TIME)
    assert str(info.value) == (
        "2026-03-29 02:30 does not exist in Europe/Stockholm (the clocks jump forward over it)"
    )
    assert info.value.hint == (
        "check the time; if it is right, write it with its UTC offset, "
        "e.g. 2026-03-29T03:30:00+02:00"
    )


@pytest.mark.parametrize("fold", [None, 0, 1])
def test_to_utc_refuses_the_gap_whatever_the_fold(fold: int | None) -> None:
    with pytest.raises(LocalTimeError, match="does not exist"):
        to_utc(datetime(2021, 3, 28, 2, 0), SWEDISH_TIME, fold)


def test_gap_hint_example_follows_the_zone_and_date() -> None:
    with pytest.raises(LocalTimeError) as info:
        to_utc(datetime(2025, 3, 9, 2, 15), ZoneInfo("America/New_York"))
    assert str(info.value).startswith("2025-03-09 02:15 does not exist in America/New_York")
    assert info.value.hint.endswith("e.g. 2025-03-09T03:15:00-04:00")


def test_to_utc_refuses_the_autumn_fold_without_a_fold() -> None:
    with pytest.raises(LocalTimeError) as info:
        to_utc(datetime(2026, 10, 25, 2, 30), SWEDISH_TIME)
    assert str(info.value) == (
        "2026-10-25 02:30 occurs twice in Europe/Stockholm (the clocks go back): +02:00 or +01:00"
    )
    assert "fold = 0" in info.value.hint
    assert "fold = 1" in info.value.hint


@pytest.mark.parametrize(
    ("fold", "expected"),
    [(0, utc(2026, 10, 25, 0, 30)), (1, utc(2026, 10, 25, 1, 30))],
)
def test_to_utc_in_the_fold_with_a_fold(fold: int, expected: datetime) -> None:
    assert to_utc(datetime(2026, 10, 25, 2, 30), SWEDISH_TIME, fold) == expected


def test_to_utc_ignores_the_fold_outside_the_fold() -> None:
    wall = datetime(2026, 10, 24, 10, 0)
    assert to_utc(wall, SWEDISH_TIME, 0) == to_utc(wall, SWEDISH_TIME, 1) == utc(2026, 10, 24, 8)


def test_to_utc_keeps_an_explicit_offset() -> None:
    written = datetime(2026, 10, 25, 2, 30, tzinfo=timezone(timedelta(hours=1)))
    assert to_utc(written, SWEDISH_TIME) == utc(2026, 10, 25, 1, 30)
    assert to_utc(written, MACAU, 0) == utc(2026, 10, 25, 1, 30)


@pytest.mark.parametrize(
    ("wall", "tz", "expected"),
    [
        (datetime(2021, 11, 21, 12, 0), MACAU, utc(2021, 11, 21, 4, 0)),
        (datetime(2026, 3, 29, 2, 30), MACAU, utc(2026, 3, 28, 18, 30)),
        (datetime(2026, 10, 25, 2, 30), MACAU, utc(2026, 10, 24, 18, 30)),
        (datetime(2021, 10, 17, 13, 0), SEOUL, utc(2021, 10, 17, 4, 0)),
        (datetime(2026, 3, 29, 2, 30), SEOUL, utc(2026, 3, 28, 17, 30)),
        (datetime(2026, 10, 25, 2, 30), SEOUL, utc(2026, 10, 24, 17, 30)),
    ],
)
def test_to_utc_in_zones_without_dst(wall: datetime, tz: ZoneInfo, expected: datetime) -> None:
    # Europe's gap and fold times are ordinary readings there, with or without a fold
    assert to_utc(wall, tz) == to_utc(wall, tz, 0) == to_utc(wall, tz, 1) == expected


def test_zone_by_name() -> None:
    assert zone("Asia/Macau") == MACAU
    with pytest.raises(LocalTimeError) as info:
        zone("Europe/Stokholm")
    assert str(info.value) == "unknown time zone 'Europe/Stokholm'"
    assert "IANA" in info.value.hint


@pytest.mark.parametrize("name", ["", "Nowhere", "../etc/passwd", "Europe/Stockholm "])
def test_zone_refuses_bad_names(name: str) -> None:
    with pytest.raises(LocalTimeError, match="unknown time zone"):
        zone(name)


@given(
    st.datetimes(
        min_value=datetime(2020, 1, 1),
        max_value=datetime(2030, 12, 31, 23, 59, 59),
        timezones=st.just(UTC),
    )
)
@example(utc(2026, 10, 25, 0, 30))  # 02:30 CEST, first time round
@example(utc(2026, 10, 25, 1, 30))  # 02:30 CET, second time round
@example(utc(2026, 3, 29, 1, 0))  # 03:00 CEST, right after the gap
def test_wall_clock_round_trip_in_swedish_time(instant: datetime) -> None:
    wall = instant.astimezone(SWEDISH_TIME).replace(tzinfo=None)  # keeps .fold
    first = wall.replace(tzinfo=SWEDISH_TIME, fold=0)
    second = wall.replace(tzinfo=SWEDISH_TIME, fold=1)
    ambiguous = first.utcoffset() != second.utcoffset()
    assert to_utc(wall, SWEDISH_TIME, wall.fold if ambiguous else None) == instant


# --------------------------------------------------------------------------- words


@pytest.mark.parametrize(
    ("day", "language", "text"),
    [
        (date(2020, 11, 6), "sv", "Fredag 6 november"),
        (date(2020, 11, 6), "en", "Friday 6 November"),
        (date(2020, 11, 7), "sv", "Lördag 7 november"),
        (date(2023, 10, 1), "sv", "Söndag 1 oktober"),
        (date(2023, 10, 1), "en", "Sunday 1 October"),
    ],
)
def test_day_heading(day: date, language: str, text: str) -> None:
    assert day_heading(day, language) == text


def test_short_day_and_date_range() -> None:
    assert short_day(date(2020, 11, 6), "sv") == "fre 6 nov"
    assert short_day(date(2020, 11, 6), "en") == "Fri 6 Nov"
    assert date_range(date(2020, 11, 6), date(2020, 11, 7), "sv") == "6–7 november"
    assert date_range(date(2020, 11, 6), date(2020, 11, 7), "en") == "6–7 November"
    assert date_range(date(2023, 9, 29), date(2023, 10, 1), "sv") == "29 september–1 oktober"
    assert date_range(date(2021, 6, 5), date(2021, 6, 5), "en") == "5 June"


def test_hhmm_in_swedish_time() -> None:
    assert hhmm(utc(2020, 11, 7, 10, 15)) == "11:15"
    assert hhmm(utc(2023, 9, 29, 9, 20)) == "11:20"
    assert hhmm(utc(2021, 11, 21, 4, 0), MACAU) == "12:00"


@pytest.mark.parametrize(
    ("word", "number"),
    [
        ("måndag", 0),
        ("tisdag", 1),
        ("onsdag", 2),
        ("torsdag", 3),
        ("fredag", 4),
        ("Fredag", 4),
        ("lördag", 5),
        ("söndag", 6),
        ("fre", 4),
        ("lör.", 5),
        ("sön", 6),
        ("Monday", 0),
        ("Friday", 4),
        ("saturday", 5),
        ("Sun", 6),
        (" Sat. ", 5),
    ],
)
def test_weekday_number(word: str, number: int) -> None:
    assert weekday_number(word) == number


@pytest.mark.parametrize("word", ["", "fridag", "helg", "7"])
def test_weekday_number_of_a_non_weekday(word: str) -> None:
    assert weekday_number(word) is None


@pytest.mark.parametrize(
    ("word", "number"),
    [
        ("januari", 1),
        ("mars", 3),
        ("maj", 5),
        ("juni", 6),
        ("Juni", 6),
        ("juli", 7),
        ("augusti", 8),
        ("september", 9),
        ("oktober", 10),
        ("okt", 10),
        ("november", 11),
        ("nov.", 11),
        ("January", 1),
        ("May", 5),
        ("June", 6),
        ("August", 8),
        ("October", 10),
        ("Oct", 10),
        ("Sep", 9),
    ],
)
def test_month_number(word: str, number: int) -> None:
    assert month_number(word) == number


@pytest.mark.parametrize("word", ["", "nowember", "fredag", "13"])
def test_month_number_of_a_non_month(word: str) -> None:
    assert month_number(word) is None


# --------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("60 min", 60),
        ("2 x 20 min", 40),
        ("2x20min", 40),
        ("2 × 20 min", 40),
        ("1 h", 60),
        ("2h", 120),
        ("1 hour", 60),
        ("2 hours", 120),
        ("1 timme", 60),
        ("2 timmar", 120),
        ("3 tim", 180),
        ("90 minuter", 90),
        ("1 minut", 1),
        ("45 minutes", 45),
        ("45", 45),
        (" 30 MIN ", 30),
        (45, 45),
        (1, 1),
    ],
)
def test_parse_duration(text: str | int, minutes: int) -> None:
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "cannot read the duration ''"),
        ("abc", "cannot read the duration 'abc'"),
        ("1.5 h", "cannot read the duration '1.5 h'"),
        ("min", "cannot read the duration 'min'"),
        ("20 x min", "cannot read the duration '20 x min'"),
        ("60 sek", "cannot read the duration '60 sek'"),
        ("-5 min", "cannot read the duration '-5 min'"),
        ("0 min", "a duration must be positive"),
        ("0 x 20 min", "a duration must be positive"),
        (0, "a duration must be positive"),
        (-5, "a duration must be positive"),
    ],
)
def test_parse_duration_refuses(text: str | int, message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace(".", r"\.")):
        parse_duration(text)


# --------------------------------------------------------------------------- countdown


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(hours=2, minutes=5), "2 h 5 min"),
        (timedelta(minutes=45), "45 min"),
        (timedelta(minutes=45, seconds=59), "45 min"),
        (timedelta(hours=3), "3 h"),
        (timedelta(days=1, minutes=3), "1 d 3 min"),
        (timedelta(days=2, hours=1, minutes=1), "2 d 1 h 1 min"),
        (timedelta(days=2), "2 d"),
        (timedelta(seconds=59), "0 min"),
        (timedelta(0), "0 min"),
        (timedelta(minutes=-10), "0 min"),
    ],
)
def test_countdown(delta: timedelta, text: str) -> None:
    assert countdown(delta, "sv") == text
    assert countdown(delta, "en") == text
