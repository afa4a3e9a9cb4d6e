"""The schedule loader: the shipped press-release data, time zones, DST and every error."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.errors import ScheduleError, ScheduleErrors
from bot.core.model import Catalog, Event, LinkKind, Series, SessionKind, SessionStatus
from bot.core.schedule import load_catalog, load_text
from bot.core.timeutil import SWEDISH_TIME

FILE = "test.toml"


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def catalog(repo_root: Path) -> Catalog:
    return load_catalog(repo_root / "schedules")


def series_of(catalog: Catalog, series_id: str) -> Series:
    series = catalog.get(series_id)
    assert series is not None
    return series


def event_of(series: Series, event_id: str) -> Event:
    event = series.event(event_id)
    assert event is not None
    return event


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based number of the line holding ``needle`` (its ``occurrence``-th such line)."""
    numbers = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(numbers) >= occurrence, f"{needle!r} not in the text {occurrence} times"
    return numbers[occurrence - 1]


def doc(
    *sessions: str,
    series: str = "",
    links: str = "",
    event: str = "",
    first_day: str = "2026-10-23",
    last_day: str = "2026-10-25",
    track_timezone: str = "Europe/Madrid",
) -> str:
    """A one-weekend schedule file; the extra strings are appended to their tables."""
    return (
        "[series]\n"
        'id = "test-2026"\n'
        'name = "Test Series"\n'
        "season = 2026\n"
        f"{series}"
        "\n[[links]]\n"
        'id = "tv"\n'
        'label = "TV"\n'
        'url = "https://example.com/tv"\n'
        f"{links}"
        "\n[[events]]\n"
        'id = "r1"\n'
        "round = 1\n"
        'name = "Jarama"\n'
        'circuit = "Circuito del Jarama"\n'
        'country = "ES"\n'
        f'track_timezone = "{track_timezone}"\n'
        f"first_day = {first_day}\n"
        f"last_day = {last_day}\n"
        f"{event}" + "".join(sessions)
    )


def session(ident: str, start: str, *extra: str, kind: str = "practice") -> str:
    lines = [
        "",
        "[[events.sessions]]",
        f'id = "{ident}"',
        f'name = "{ident.upper()}"',
        f'kind = "{kind}"',
        f"start = {start}",
        *extra,
    ]
    return "\n".join(lines) + "\n"


def errors_of(text: str) -> list[ScheduleError]:
    with pytest.raises(ScheduleErrors) as info:
        load_text(text, FILE)
    errors = info.value.errors
    assert errors
    for error in errors:
        assert error.file == FILE
        assert error.hint, f"no hint for {error.message!r}"
    return errors


def one_error(text: str) -> ScheduleError:
    errors = errors_of(text)
    assert len(errors) == 1, [e.message for e in errors]
    return errors[0]


def starts(text: str) -> dict[str, datetime]:
    (event,) = load_text(text, FILE).events
    return {s.id: s.start for s in event.sessions}


# --------------------------------------------------------------------------- shipped data


def test_shipped_catalog_has_the_three_seed_series_in_season_order(catalog: Catalog) -> None:
    assert [(s.id, s.season) for s in catalog.series] == [
        ("tcr-europe-2020", 2020),
        ("wtcr-2021", 2021),
        ("gt4-european-series-2023", 2023),
    ]
    for series in catalog.series:
        assert series.source is not None
        assert series.source.endswith(f"{series.id}.toml")
        assert [d.full_name for d in series.drivers] == ["Andreas Bäckman", "Jessica Bäckman"]


def test_tcr_jarama_sessions_at_the_press_release_swedish_times(catalog: Catalog) -> None:
    series = series_of(catalog, "tcr-europe-2020")
    jarama = event_of(series, "r6")
    assert (jarama.name, jarama.round, jarama.country) == ("Jarama", 6, "ES")
    assert jarama.track_tz.key == "Europe/Madrid"
    assert (jarama.first_day, jarama.last_day) == (date(2020, 11, 6), date(2020, 11, 7))
    assert (jarama.length_km, jarama.turns) == (3.850, 13)
    # "alla tidsangivelser avser svensk tid": Fredag 6 november / Lördag 7 november
    swedish = {s.id: s.start.astimezone(SWEDISH_TIME).replace(tzinfo=None) for s in jarama.sessions}
    assert swedish == {
        "fp1": datetime(2020, 11, 6, 10, 50),
        "fp2": datetime(2020, 11, 6, 13, 10),
        "q": datetime(2020, 11, 6, 15, 0),
        "race1": datetime(2020, 11, 7, 11, 15),
        "race2": datetime(2020, 11, 7, 14, 5),
    }
    # November: Swedish time is CET, UTC+1
    assert [(s.id, s.start) for s in jarama.sessions] == [
        ("fp1", utc(2020, 11, 6, 9, 50)),
        ("fp2", utc(2020, 11, 6, 12, 10)),
        ("q", utc(2020, 11, 6, 14, 0)),
        ("race1", utc(2020, 11, 7, 10, 15)),
        ("race2", utc(2020, 11, 7, 13, 5)),
    ]
    assert [s.kind for s in jarama.sessions] == [
        SessionKind.PRACTICE,
        SessionKind.PRACTICE,
        SessionKind.QUALIFYING,
        SessionKind.RACE,
        SessionKind.RACE,
    ]
    q = jarama.session("q")
    assert q is not None
    assert (q.name.sv, q.name.en) == ("Tidskval (Q1 och Q2)", "Qualifying (Q1 and Q2)")
    # both races are live on the Facebook page and on TCR TV
    for race_id in ("race1", "race2"):
        race = jarama.session(race_id)
        assert race is not None
        labels = [link.label for link in race.links]
        assert "JA Bäckmans Facebook-sida" in labels
        assert "TCR TV (YouTube)" in labels


def test_gt4_barcelona_timetable_with_durations_in_cest(catalog: Catalog) -> None:
    series = series_of(catalog, "gt4-european-series-2023")
    barcelona = event_of(series, "r6")
    assert barcelona.track_tz.key == "Europe/Madrid"
    assert (barcelona.first_day, barcelona.last_day) == (date(2023, 9, 29), date(2023, 10, 1))
    assert [s.id for s in barcelona.sessions] == ["fp1", "fp2", "q", "race1", "race2"]
    assert [s.duration for s in barcelona.sessions] == [
        timedelta(minutes=60),
        timedelta(minutes=60),
        timedelta(minutes=40),  # "2 x 20 min"
        timedelta(minutes=60),
        timedelta(minutes=60),
    ]
    # late September / 1 October: Swedish time is CEST, UTC+2 (11:20 CEST = 09:20 UTC)
    assert [s.start for s in barcelona.sessions] == [
        utc(2023, 9, 29, 9, 20),
        utc(2023, 9, 29, 13, 40),
        utc(2023, 9, 30, 9, 25),
        utc(2023, 9, 30, 14, 50),
        utc(2023, 10, 1, 9, 20),
    ]
    race1 = barcelona.session("race1")
    assert race1 is not None
    assert race1.end == utc(2023, 9, 30, 15, 50)
    assert race1.note is not None
    assert race1.note.en == "driver change at half distance"
    assert [link.label for link in race1.links] == ["LIVE TV RACE 1"]
    fp1 = barcelona.session("fp1")
    assert fp1 is not None
    assert [(link.label, link.kind) for link in fp1.links] == [("LIVETIMING", LinkKind.TIMING)]


def test_gt4_has_six_rounds_in_calendar_order(catalog: Catalog) -> None:
    series = series_of(catalog, "gt4-european-series-2023")
    assert series.rounds == 6
    assert [(e.round, e.name, e.first_day, e.last_day) for e in series.events] == [
        (1, "Monza", date(2023, 4, 21), date(2023, 4, 23)),
        (2, "Paul Ricard", date(2023, 6, 2), date(2023, 6, 4)),
        (3, "Spa-Francorchamps", date(2023, 6, 29), date(2023, 7, 2)),
        (4, "Misano", date(2023, 7, 14), date(2023, 7, 16)),
        (5, "Hockenheim", date(2023, 9, 1), date(2023, 9, 3)),
        (6, "Barcelona", date(2023, 9, 29), date(2023, 10, 1)),
    ]


def test_wtcr_2021_calendar_of_eight_rounds_with_asian_zones(catalog: Catalog) -> None:
    series = series_of(catalog, "wtcr-2021")
    assert series.rounds == 8
    assert [e.round for e in series.events] == list(range(1, 9))
    assert event_of(series, "r2").name == "Estoril"  # moved from Vila Real
    assert event_of(series, "r2").country == "PT"
    zones = {e.name: e.track_tz.key for e in series.events[5:]}
    assert zones == {
        "Inje Speedium": "Asia/Seoul",
        "Ningbo": "Asia/Shanghai",
        "Macau": "Asia/Macau",
    }
    macau = event_of(series, "r8")
    assert (macau.first_day, macau.last_day) == (date(2021, 11, 19), date(2021, 11, 21))
    # times not published yet: only the format is known
    assert all(not e.sessions for e in series.events)
    assert [(t.id, t.kind) for t in series.format] == [
        ("fp1", SessionKind.PRACTICE),
        ("fp2", SessionKind.PRACTICE),
        ("q", SessionKind.QUALIFYING),
        ("race1", SessionKind.RACE),
        ("race2", SessionKind.RACE),
    ]
    assert series.format[2].name.get("sv") == "Tidskval"
    assert series.format[2].name.get("en") == "Qualifying"


# --------------------------------------------------------------------------- zones


MACAU = """\
[series]
id = "wtcr-2021"
name = "FIA WTCR"
season = 2021

[[events]]
id = "r8"
round = 8
name = "Macau"
circuit = "Circuito da Guia"
country = "MO"
track_timezone = "Asia/Macau"
timezone = "Asia/Macau"
first_day = 2021-11-19
last_day = 2021-11-21

[[events.sessions]]
id = "race1"
name = "Race 1"
kind = "race"
day = "söndag"
start = 2021-11-21T12:00:00
"""

INJE = """\
[series]
id = "wtcr-2021"
name = "FIA WTCR"
season = 2021

[[events]]
id = "r6"
round = 6
name = "Inje Speedium"
circuit = "Inje Speedium"
country = "KR"
track_timezone = "Asia/Seoul"
timezone = "Asia/Seoul"
first_day = 2021-10-16
last_day = 2021-10-17

[[events.sessions]]
id = "q"
name = "Tidskval"
kind = "qualifying"
start = 2021-10-16T15:30:00

[[events.sessions]]
id = "race1"
name = "Race 1"
kind = "race"
start = 2021-10-17T13:00:00
"""


def test_session_written_in_macau_time() -> None:
    assert starts(MACAU) == {"race1": utc(2021, 11, 21, 4, 0)}  # UTC+8, no DST


def test_session_written_in_seoul_time() -> None:
    assert starts(INJE) == {
        "q": utc(2021, 10, 16, 6, 30),  # UTC+9, no DST
        "race1": utc(2021, 10, 17, 4, 0),
    }


def test_session_timezone_overrides_the_event_zone() -> None:
    text = MACAU.replace(
        "start = 2021-11-21T12:00:00", 'start = 2021-11-21T05:00:00\ntimezone = "Europe/Stockholm"'
    )
    assert starts(text) == {"race1": utc(2021, 11, 21, 4, 0)}  # 05:00 CET


def test_session_timezone_overrides_the_swedish_default() -> None:
    text = doc(session("fp1", "2026-10-24T17:00:00", 'timezone = "Asia/Seoul"'))
    assert starts(text) == {"fp1": utc(2026, 10, 24, 8, 0)}


def test_series_timezone_is_the_default_for_the_file() -> None:
    text = doc(session("fp1", "2026-10-24T10:00:00"), series='timezone = "Asia/Macau"\n')
    assert starts(text) == {"fp1": utc(2026, 10, 24, 2, 0)}


def test_event_without_timezone_is_written_in_swedish_time() -> None:
    assert starts(doc(session("fp1", "2026-10-24T10:00:00"))) == {"fp1": utc(2026, 10, 24, 8, 0)}


# --------------------------------------------------------------------------- DST


def test_time_in_the_spring_gap_does_not_exist() -> None:
    text = doc(
        session("race1", "2026-03-29T02:30:00", kind="race"),
        first_day="2026-03-27",
        last_day="2026-03-29",
    )
    error = one_error(text)
    assert error.line == line_of(text, "start = 2026-03-29T02:30:00")
    assert error.message == (
        "session 'race1': 2026-03-29 02:30 does not exist in Europe/Stockholm "
        "(the clocks jump forward over it)"
    )
    assert error.hint == (
        "check the time; if it is right, write it with its UTC offset, "
        "e.g. 2026-03-29T03:30:00+02:00"
    )


def test_time_in_the_autumn_fold_must_say_which() -> None:
    text = doc(session("race1", "2026-10-25T02:30:00", kind="race"))
    error = one_error(text)
    assert error.line == line_of(text, "start = 2026-10-25T02:30:00")
    assert error.message == (
        "session 'race1': 2026-10-25 02:30 occurs twice in Europe/Stockholm "
        "(the clocks go back): +02:00 or +01:00"
    )
    assert error.hint == (
        "add fold = 0 for the first (summer time) or fold = 1 for the second, "
        "or write the UTC offset"
    )


@pytest.mark.parametrize(
    ("start", "extra", "expected"),
    [
        ("2026-10-25T02:30:00", ("fold = 0",), utc(2026, 10, 25, 0, 30)),
        ("2026-10-25T02:30:00", ("fold = 1",), utc(2026, 10, 25, 1, 30)),
        ("2026-10-25T02:30:00+01:00", (), utc(2026, 10, 25, 1, 30)),
        ("2026-10-25T02:30:00+02:00", (), utc(2026, 10, 25, 0, 30)),
    ],
)
def test_time_in_the_autumn_fold_with_fold_or_offset(
    start: str, extra: tuple[str, ...], expected: datetime
) -> None:
    text = doc(session("race1", start, *extra, kind="race"))
    assert starts(text) == {"race1": expected}


def test_end_in_the_fold_uses_the_sessions_fold() -> None:
    text = doc(session("race1", "2026-10-25T02:10:00", "end = 2026-10-25T02:50:00", "fold = 1"))
    (event,) = load_text(text, FILE).events
    (race,) = event.sessions
    assert (race.start, race.end) == (utc(2026, 10, 25, 1, 10), utc(2026, 10, 25, 1, 50))


def test_sessions_straddling_the_october_change() -> None:
    text = doc(
        session("race1", "2026-10-24T10:00:00", 'day = "lördag"', kind="race"),
        session("race2", "2026-10-25T10:00:00", 'day = "söndag"', kind="race"),
    )
    assert starts(text) == {
        "race1": utc(2026, 10, 24, 8, 0),  # CEST, UTC+2
        "race2": utc(2026, 10, 25, 9, 0),  # CET, UTC+1
    }


def test_sessions_straddling_the_march_change() -> None:
    text = doc(
        session("race1", "2026-03-28T10:00:00", kind="race"),
        session("race2", "2026-03-29T10:00:00", kind="race"),
        first_day="2026-03-27",
        last_day="2026-03-29",
    )
    assert starts(text) == {
        "race1": utc(2026, 3, 28, 9, 0),  # CET
        "race2": utc(2026, 3, 29, 8, 0),  # CEST
    }


# --------------------------------------------------------------------------- errors: zones


def test_unknown_series_zone() -> None:
    text = doc(session("fp1", "2026-10-24T10:00:00"), series='timezone = "Europe/Stokholm"\n')
    error = one_error(text)
    assert error.line == line_of(text, 'timezone = "Europe/Stokholm"') == 5
    assert error.message == "unknown time zone 'Europe/Stokholm'"
    assert error.hint == "use an IANA name such as Europe/Stockholm, Asia/Macau or Asia/Seoul"


def test_unknown_event_zone() -> None:
    # (Asia/Macao, with an o, is a valid IANA alias of Asia/Macau)
    text = doc(session("fp1", "2026-10-24T10:00:00"), event='timezone = "Asia/Makau"\n')
    error = one_error(text)
    assert error.line == line_of(text, 'timezone = "Asia/Makau"')
    assert error.message == "unknown time zone 'Asia/Makau'"
    assert error.hint == "use an IANA name such as Europe/Stockholm, Asia/Macau or Asia/Seoul"


def test_unknown_track_zone() -> None:
    text = doc(track_timezone="Europe/Madird")
    error = one_error(text)
    assert error.line == line_of(text, "track_timezone")
    assert error.message == "unknown time zone 'Europe/Madird'"


def test_unknown_session_zone() -> None:
    text = doc(session("fp1", "2026-10-24T10:00:00", 'timezone = "Asia/Soul"'))
    error = one_error(text)
    assert error.line == line_of(text, 'timezone = "Asia/Soul"')
    assert error.message == "unknown time zone 'Asia/Soul'"
    assert error.hint == "use an IANA name such as Europe/Stockholm, Asia/Macau or Asia/Seoul"


# --------------------------------------------------------------------------- errors: sessions


def test_end_before_start() -> None:
    text = doc(session("fp1", "2026-10-24T10:00:00", "end = 2026-10-24T09:00:00"))
    error = one_error(text)
    assert error.line == line_of(text, "end = 2026-10-24T09:00:00")
    assert error.message == "session 'fp1' ends before it starts"
    assert error.hint == "the end must be after the start"


def test_end_gives_the_duration() -> None:
    text = doc(session("fp1", "2026-10-24T10:00:00", "end = 2026-10-24T10:45:00"))
    (event,) = load_text(text, FILE).events
    assert event.sessions[0].duration == timedelta(minutes=45)


def test_both_duration_and_end() -> None:
    text = doc(
        session("fp1", "2026-10-24T10:00:00", 'duration = "60 min"', "end = 2026-10-24T11:00:00")
    )
    error = one_error(text)
    assert error.line == line_of(text, "end = 2026-10-24T11:00:00")
    assert error.message == "give either duration or end, not both"
    assert error.hint == "remove one of them"


def test_unreadable_duration() -> None:
    text = doc(session("fp1", "2026-10-24T10:00:00", 'duration = "an hour"'))
    error = one_error(text)
    assert error.line == line_of(text, "duration =")
    assert error.message == (
        "cannot read the duration 'an hour'; write e.g. '60 min' or '2 x 20 min'"
    )
    assert error.hint == 'write e.g. duration = "60 min"'


def test_duration_true_is_not_one_minute() -> None:
    text = doc(session("fp1", "2026-10-24T10:00:00", "duration = true"))
    error = one_error(text)
    assert error.line == line_of(text, "duration = true")
    assert error.message == "events.0.sessions.0.duration: a duration is text or a whole number"
    assert error.hint == 'write minutes, e.g. duration = 60, or text such as "2 x 20 min"'


def test_start_without_a_time_of_day_is_refused() -> None:
    text = doc(session("fp1", "2026-10-24"))
    error = one_error(text)
    assert error.line == line_of(text, "start = 2026-10-24")
    assert error.message == "events.0.sessions.0.start: a date without a time of day"
    assert error.hint == "write a date and time such as 2020-11-06T10:50:00"


def test_overlapping_sessions() -> None:
    text = doc(
        session("fp1", "2026-10-24T10:00:00", 'duration = "60 min"'),
        session("fp2", "2026-10-24T10:30:00"),
    )
    error = one_error(text)
    assert error.line == line_of(text, "start = 2026-10-24T10:30:00")
    assert error.message == "session 'fp2' starts before 'fp1' ends (09:00 UTC)"
    assert error.hint == "check the times and durations; sessions of one weekend cannot overlap"


def test_overlap_with_a_long_session_is_found_past_its_neighbour() -> None:
    text = doc(
        session("fp1", "2026-10-24T10:00:00", 'duration = "3 h"'),
        session("fp2", "2026-10-24T10:30:00", 'status = "cancelled"'),
        session("q", "2026-10-24T12:00:00", kind="qualifying"),
    )
    error = one_error(text)
    assert error.line == line_of(text, "start = 2026-10-24T12:00:00")
    assert error.message == "session 'q' starts before 'fp1' ends (11:00 UTC)"


def test_cancelled_session_may_overlap_and_back_to_back_is_fine() -> None:
    text = doc(
        session("fp1", "2026-10-24T10:00:00", 'duration = "60 min"'),
        session("fp2", "2026-10-24T10:30:00", 'status = "cancelled"'),
        session("q", "2026-10-24T11:00:00", kind="qualifying"),
    )
    (event,) = load_text(text, FILE).events
    assert [(s.id, s.status) for s in event.sessions] == [
        ("fp1", SessionStatus.SCHEDULED),
        ("fp2", SessionStatus.CANCELLED),
        ("q", SessionStatus.SCHEDULED),
    ]


def test_unknown_session_kind_lists_the_valid_kinds() -> None:
    text = doc(session("warm", "2026-10-24T10:00:00", kind="warmup"))
    error = one_error(text)
    assert error.line == line_of(text, 'kind = "warmup"')
    assert error.message == (
        "events.0.sessions.0.kind: Input should be 'practice', 'qualifying', 'race' or 'other'"
    )
    assert error.hint == "choose one of the values listed"


def test_weekday_that_does_not_match_the_date() -> None:
    text = doc(session("race1", "2026-10-24T10:00:00", 'day = "fredag"', kind="race"))
    error = one_error(text)
    assert error.line == line_of(text, 'day = "fredag"')
    assert error.message == "day says 'fredag' but 2026-10-24 is a Saturday"
    assert error.hint == "correct the date or the weekday"


def test_weekday_that_is_no_weekday() -> None:
    text = doc(session("race1", "2026-10-24T10:00:00", 'day = "fridag"', kind="race"))
    error = one_error(text)
    assert error.line == line_of(text, 'day = "fridag"')
    assert error.message == "'fridag' is not a weekday"
    assert error.hint == "write e.g. fredag or Friday"


@pytest.mark.parametrize("day", ["lördag", "Lördag", "lör", "Saturday", "sat"])
def test_weekday_in_swedish_or_english(day: str) -> None:
    text = doc(session("race1", "2026-10-24T10:00:00", f'day = "{day}"', kind="race"))
    assert starts(text) == {"race1": utc(2026, 10, 24, 8, 0)}


def test_unknown_link_reference() -> None:
    text = doc(session("race1", "2026-10-24T10:00:00", 'links = ["tv", "youtube"]', kind="race"))
    error = one_error(text)
    assert error.line == line_of(text, 'links = ["tv", "youtube"]')
    assert error.message == "unknown link 'youtube'"
    assert error.hint == "define it under [[links]] or [[events.links]]; known: tv"


def test_session_links_resolve_series_and_event_links() -> None:
    text = doc(
        session("race1", "2026-10-24T10:00:00", 'links = ["fb", "tv"]', kind="race"),
        event='\n[[events.links]]\nid = "fb"\nlabel = "Facebook"\nurl = "https://facebook.com/x"\n',
    )
    (event,) = load_text(text, FILE).events
    assert [(lk.label, lk.url) for lk in event.sessions[0].links] == [
        ("Facebook", "https://facebook.com/x"),
        ("TV", "https://example.com/tv"),
    ]
    assert [lk.label for lk in event.links] == ["Facebook"]


def test_session_outside_the_event_days() -> None:
    text = doc(session("race2", "2026-10-26T10:00:00", kind="race"))
    error = one_error(text)
    assert error.line == line_of(text, "start = 2026-10-26T10:00:00")
    assert error.message == (
        "session 'race2' is on 2026-10-26 (track time), outside the weekend 2026-10-23–2026-10-25"
    )
    assert error.hint == "correct the date, or first_day/last_day of the event"


def test_session_days_are_counted_in_track_time() -> None:
    # 01:30 Macau time on Sunday is Saturday evening in Sweden: inside the weekend
    text = MACAU.replace("2021-11-21T12:00:00", "2021-11-22T01:30:00").replace(
        'day = "söndag"', 'day = "måndag"'
    )
    error = one_error(text)
    assert error.line == line_of(text, "start = 2021-11-22T01:30:00")
    assert error.message == (
        "session 'race1' is on 2021-11-22 (track time), outside the weekend 2021-11-19–2021-11-21"
    )


def test_session_two_days_before_the_event() -> None:
    text = doc(session("test", "2026-10-21T10:00:00", kind="other"))
    error = one_error(text)
    assert error.line == line_of(text, "start = 2026-10-21T10:00:00")
    assert error.message == (
        "session 'test' is on 2026-10-21 (track time), outside the weekend 2026-10-23–2026-10-25"
    )


def test_session_missing_start_points_at_its_header() -> None:
    text = doc(session("fp1", "2026-10-24T10:00:00").replace("start = 2026-10-24T10:00:00\n", ""))
    error = one_error(text)
    assert error.line == line_of(text, "[[events.sessions]]")
    assert error.message == "events.0.sessions.0.start: Field required"
    assert error.hint == "add the key"


# --------------------------------------------------------------------------- errors: ids


def test_duplicate_session_id() -> None:
    text = doc(session("fp1", "2026-10-23T10:00:00"), session("fp1", "2026-10-23T14:00:00"))
    error = one_error(text)
    assert error.line == line_of(text, 'id = "fp1"', occurrence=2)
    assert error.message == "duplicate session id 'fp1'"
    assert error.hint == "each session needs its own id"


def test_duplicate_event_id() -> None:
    second = (
        '\n[[events]]\nid = "r1"\nround = 2\nname = "Estoril"\ncircuit = "Estoril"\n'
        'country = "PT"\ntrack_timezone = "Europe/Lisbon"\n'
        "first_day = 2026-11-06\nlast_day = 2026-11-08\n"
    )
    text = doc() + second
    error = one_error(text)
    assert error.line == line_of(text, 'id = "r1"', occurrence=2)
    assert error.message == "duplicate event id 'r1'"
    assert error.hint == "each event needs its own id"


def test_duplicate_driver_id() -> None:
    drivers = (
        '\n[[drivers]]\nid = "andreas"\nname = "Andreas Bäckman"\ncountry = "SWE"\n'
        '\n[[drivers]]\nid = "andreas"\nname = "Jessica Bäckman"\ncountry = "SWE"\n'
    )
    text = doc(series=drivers)
    error = one_error(text)
    assert error.line == line_of(text, 'id = "andreas"', occurrence=2)
    assert error.message == "duplicate driver id 'andreas'"
    assert error.hint == "each driver needs its own id"


def test_duplicate_series_link_id() -> None:
    text = doc(links='\n[[links]]\nid = "tv"\nlabel = "TV 2"\nurl = "https://example.com/tv2"\n')
    error = one_error(text)
    assert error.line == line_of(text, 'id = "tv"', occurrence=2)
    assert error.message == "duplicate link id 'tv'"
    assert error.hint == "each link needs its own id"


def test_duplicate_event_link_id() -> None:
    link = '\n[[events.links]]\nid = "fb"\nlabel = "Facebook"\nurl = "https://facebook.com/x"\n'
    text = doc(event=link + link)
    error = one_error(text)
    assert error.line == line_of(text, 'id = "fb"', occurrence=2)
    assert error.message == "duplicate link id 'fb'"


def test_duplicate_format_session_id() -> None:
    template = '\n[[series.format]]\nid = "fp1"\nname = "Fri träning 1"\nkind = "practice"\n'
    text = doc(series=template + template)
    error = one_error(text)
    assert error.line == line_of(text, 'id = "fp1"', occurrence=2)
    assert error.message == "duplicate format session id 'fp1'"


def test_duplicate_series_id_across_two_files(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(doc(), encoding="utf-8")
    (tmp_path / "b.toml").write_text("# the same series again\n" + doc(), encoding="utf-8")
    with pytest.raises(ScheduleErrors) as info:
        load_catalog(tmp_path)
    (error,) = info.value.errors
    assert error.file == str(tmp_path / "b.toml")
    assert error.line == 3  # id = "test-2026" in b.toml
    assert error.message == f"series id 'test-2026' is also used by {tmp_path / 'a.toml'}"
    assert error.hint == "give each series-season file its own id, e.g. wtcr-2022"


def test_load_catalog_collects_the_errors_of_every_file(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(doc(track_timezone="Mars/Olympus"), encoding="utf-8")
    (tmp_path / "b.toml").write_text('[series]\nid = "b"\n', encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a schedule", encoding="utf-8")
    with pytest.raises(ScheduleErrors) as info:
        load_catalog(tmp_path)
    assert [(Path(e.file).name, e.line, e.message) for e in info.value.errors] == [
        ("a.toml", 17, "unknown time zone 'Mars/Olympus'"),
        ("b.toml", 1, "series.name: Field required"),
        ("b.toml", 1, "series.season: Field required"),
    ]


def test_load_catalog_of_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ScheduleErrors) as info:
        load_catalog(tmp_path / "nowhere")
    (error,) = info.value.errors
    assert (error.file, error.line) == (str(tmp_path / "nowhere"), None)
    assert error.message == "schedule folder not found"
    assert error.hint == "set [bot] schedules"


# --------------------------------------------------------------------------- errors: values


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "links.0.url: Input should be a valid URL, relative URL without a base"),
        ("ftp://example.com/tv", "links.0.url: URL scheme should be 'http' or 'https'"),
    ],
)
def test_bad_url(url: str, message: str) -> None:
    text = doc().replace("https://example.com/tv", url)
    error = one_error(text)
    assert error.line == line_of(text, f'url = "{url}"') == 9
    assert error.message == message
    assert error.hint == "write a full address starting with https://"


def test_unknown_country_code() -> None:
    text = doc().replace('country = "ES"', 'country = "XX"')
    error = one_error(text)
    assert error.line == line_of(text, 'country = "XX"')
    assert error.message == "unknown country code 'XX'"
    assert error.hint == "use the ISO 3166 two-letter code in capitals, e.g. ES, SE, MO"


def test_country_code_in_lower_case() -> None:
    text = doc().replace('country = "ES"', 'country = "es"')
    error = one_error(text)
    assert error.line == line_of(text, 'country = "es"')
    assert error.message == "events.0.country: String should match pattern '^[A-Z]{2}$'"
    assert error.hint == "use the ISO 3166 two-letter code in capitals, e.g. ES, SE, MO"


def test_last_day_before_first_day_is_one_error() -> None:
    text = doc(session("fp1", "2026-10-24T10:00:00"), last_day="2026-10-22")
    error = one_error(text)
    assert error.line == line_of(text, "last_day = 2026-10-22")
    assert error.message == "last_day is before first_day"
    assert error.hint == "swap or correct the dates"


def test_round_beyond_the_season() -> None:
    text = doc(series="rounds = 6\n").replace("round = 1", "round = 7")
    error = one_error(text)
    assert error.line == line_of(text, "round = 7")
    assert error.message == "round 7 but the season has 6 rounds"
    assert error.hint == "fix the round or [series] rounds"


@pytest.mark.parametrize(
    ("ident", "extra", "needle", "message", "hint"),
    [
        (
            "fp1",
            "fold = 2",
            "fold = 2",
            "events.0.sessions.0.fold: Input should be 0 or 1",
            "choose one of the values listed",
        ),
        (
            "FP1",
            "",
            'id = "FP1"',
            "events.0.sessions.0.id: String should match pattern '^[a-z0-9][a-z0-9-]*$'",
            "ids are lower-case letters, digits and dashes (race1, r6)",
        ),
        (
            "fp1",
            'status = "delayed"',
            'status = "delayed"',
            "events.0.sessions.0.status: Input should be 'scheduled' or 'cancelled'",
            "choose one of the values listed",
        ),
        (
            "fp1",
            "links = 'tv'",
            "links = 'tv'",
            "events.0.sessions.0.links: Input should be a valid list",
            'write a list in brackets, e.g. links = ["tv"]',
        ),
    ],
)
def test_bad_session_values(ident: str, extra: str, needle: str, message: str, hint: str) -> None:
    text = doc(session(ident, "2026-10-24T10:00:00", extra))
    error = one_error(text)
    assert error.line == line_of(text, needle)
    assert error.message == message
    assert error.hint == hint


def test_malformed_toml_gives_the_parser_line() -> None:
    text = doc(session("fp1", "2026-10-24T10:00:00", 'note = "unterminated'))
    error = one_error(text)
    line = line_of(text, 'note = "unterminated')
    assert error.line == line
    assert error.message == f"not valid TOML: Illegal character '\\n' (at line {line}, column 21)"
    assert error.hint == "check quotes and brackets"


def test_unknown_key_names_the_closest_key() -> None:
    text = doc(session("fp1", "2026-10-24T10:00:00").replace("start =", "stat ="))
    errors = errors_of(text)
    assert [(e.line, e.message, e.hint) for e in errors] == [
        (
            line_of(text, "[[events.sessions]]"),
            "events.0.sessions.0.start: Field required",
            "add the key",
        ),
        (
            line_of(text, "stat = 2026-10-24T10:00:00"),
            "events.0.sessions.0.stat: unknown key 'stat'",
            "remove the key or check its spelling; did you mean 'start'?",
        ),
    ]


def test_unknown_key_in_the_series_table() -> None:
    text = doc(series="colour = '#FF0000'\n")
    error = one_error(text)
    assert error.line == 5
    assert error.message == "series.colour: unknown key 'colour'"
    assert error.hint == "remove the key or check its spelling; did you mean 'color'?"


def test_unknown_key_without_a_close_match() -> None:
    text = doc(event="sponsor = 'Hyundai'\n")
    error = one_error(text)
    assert error.line == line_of(text, "sponsor =")
    assert error.message == "events.0.sponsor: unknown key 'sponsor'"
    assert error.hint == "remove the key or check its spelling"


# --------------------------------------------------------------------------- all at once


def test_all_domain_errors_of_a_file_come_together() -> None:
    text = doc(
        session("fp1", "2026-10-24T10:00:00", 'day = "fredag"'),
        session("fp2", "2026-10-24T14:00:00", "end = 2026-10-24T13:00:00"),
        session("q", "2026-10-24T16:00:00", 'links = ["nope"]', kind="qualifying"),
        event='timezone = "Europe/Stockholm"\n',
    ).replace('country = "ES"', 'country = "XX"')
    errors = errors_of(text)
    assert [(e.line, e.message) for e in errors] == [
        (line_of(text, 'country = "XX"'), "unknown country code 'XX'"),
        (line_of(text, 'day = "fredag"'), "day says 'fredag' but 2026-10-24 is a Saturday"),
        (line_of(text, "end = 2026-10-24T13:00:00"), "session 'fp2' ends before it starts"),
        (line_of(text, 'links = ["nope"]'), "unknown link 'nope'"),
    ]


def test_two_shape_errors_give_two_entries() -> None:
    text = doc(session("warm", "2026-10-24T10:00:00", kind="warmup")).replace(
        "https://example.com/tv", "not a url"
    )
    with pytest.raises(ScheduleErrors) as info:
        load_text(text, FILE)
    errors = info.value.errors
    assert [(e.line, e.message.split(":")[0]) for e in errors] == [
        (line_of(text, 'url = "not a url"'), "links.0.url"),
        (line_of(text, 'kind = "warmup"'), "events.0.sessions.0.kind"),
    ]
    assert str(info.value) == "\n".join(str(e) for e in errors)


def test_schedule_error_text_names_file_line_and_hint() -> None:
    text = doc(session("fp1", "2026-10-24T10:00:00", 'day = "fredag"'))
    error = one_error(text)
    assert str(error) == (
        f"test.toml:{error.line}: day says 'fredag' but 2026-10-24 is a Saturday\n"
        "  hint: correct the date or the weekday"
    )
