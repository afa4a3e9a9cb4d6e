"""Press-release timetable import: the seed releases must give exactly the shipped weekends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.authoring.links import resolve_links
from bot.authoring.schedule_file import to_toml
from bot.authoring.timetable import ImportedTimetable, parse_timetable
from bot.core.errors import ScheduleErrors
from bot.core.export import sessions_json
from bot.core.model import Event, Series, Session, SessionKind
from bot.core.schedule import load_file, load_text

ROOT = Path(__file__).parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
SCHEDULES = ROOT / "schedules"

SEED_WEEKENDS = [
    ("000_5cda74f3411325fd.txt", 2020, "tcr-europe-2020.toml", "r6"),
    ("002_d8df62fedd32419d.txt", 2023, "gt4-european-series-2023.toml", "r6"),
]


def _seed(name: str) -> str:
    path = SEEDS / name
    if not path.is_file():
        pytest.skip(f"seed press release {path} is not available in this checkout")
    return path.read_text(encoding="utf-8")


def _shipped(file: str, event_id: str) -> tuple[Series, Event]:
    series = load_file(SCHEDULES / file)
    event = series.event(event_id)
    assert event is not None
    return series, event


def _facts(session: Session) -> tuple[object, ...]:
    """Everything of a session except its links (the release names only some of them)."""
    return (
        session.id,
        session.name,
        session.kind,
        session.start,
        session.end,
        session.duration,
        session.note,
        session.status,
    )


def _errors(
    text: str, *, year: int, source: str = "<press release>", default_tz: ZoneInfo | None = None
) -> ScheduleErrors:
    with pytest.raises(ScheduleErrors) as caught:
        parse_timetable(text, year=year, source=source, default_tz=default_tz)
    return caught.value


# --- the seed releases ----------------------------------------------------------------


@pytest.mark.parametrize(("seed", "year", "file", "event_id"), SEED_WEEKENDS)
def test_seed_timetable_gives_the_shipped_sessions(
    seed: str, year: int, file: str, event_id: str
) -> None:
    imported = parse_timetable(_seed(seed), year=year, source=seed)
    _, event = _shipped(file, event_id)

    assert imported.tz == ZoneInfo("Europe/Stockholm")
    assert [_facts(s) for s in imported.sessions] == [_facts(s) for s in event.sessions]


@pytest.mark.parametrize(("seed", "year", "file", "event_id"), SEED_WEEKENDS)
def test_seed_link_labels_resolve_to_the_shipped_links(
    seed: str, year: int, file: str, event_id: str
) -> None:
    series, event = _shipped(file, event_id)
    imported = parse_timetable(_seed(seed), year=year, source=seed)
    resolved = resolve_links(imported, series, event_id)

    assert resolved.unresolved_labels() == ()
    for raw, session, shipped in zip(
        imported.sessions, resolved.sessions, event.sessions, strict=True
    ):
        for link in raw.links:
            match = [lk for lk in session.links if lk.label.casefold() == link.label.casefold()]
            assert match, f"{session.id}: label {link.label!r} did not resolve"
            assert match[0] in shipped.links
            assert match[0].url is not None
        # every_session links (TCR live timing) come along as the loader adds them
        assert set(session.links) <= set(shipped.links)
        assert [lk for lk in shipped.links if lk.every_session] == [
            lk for lk in session.links if lk.every_session
        ]


def test_seed_labels_are_kept_as_written() -> None:
    tcr = parse_timetable(_seed("000_5cda74f3411325fd.txt"), year=2020)
    gt4 = parse_timetable(_seed("002_d8df62fedd32419d.txt"), year=2023)

    assert [[lk.label for lk in s.links] for s in tcr.sessions] == [
        [],
        [],
        [],
        ["JA Bäckmans Facebook-sida"],
        ["JA Bäckmans Facebook-sida"],
    ]
    assert [[lk.label for lk in s.links] for s in gt4.sessions] == [
        ["LIVETIMING"],
        ["LIVETIMING"],
        ["LIVE QUALIFYING"],
        ["LIVE TV RACE 1"],
        ["LIVE TV RACE 2"],
    ]
    assert all(lk.url is None for s in gt4.sessions for lk in s.links)


def test_gt4_links_resolve_to_exactly_the_shipped_sessions() -> None:
    series, event = _shipped("gt4-european-series-2023.toml", "r6")
    imported = parse_timetable(_seed("002_d8df62fedd32419d.txt"), year=2023)

    assert resolve_links(imported, series, "r6").sessions == event.sessions


@pytest.mark.parametrize(("seed", "year", "file", "event_id"), SEED_WEEKENDS)
@pytest.mark.parametrize("resolved", [False, True])
def test_to_toml_reloads_to_the_same_sessions(
    seed: str, year: int, file: str, event_id: str, resolved: bool
) -> None:
    series, event = _shipped(file, event_id)
    imported = parse_timetable(_seed(seed), year=year, source=seed)
    if resolved:
        imported = resolve_links(imported, series, event_id)

    text = to_toml(imported, series_id=series.id, event_id=event_id, season=year)
    reloaded = load_text(text, "<generated>")

    assert reloaded.id == series.id
    assert reloaded.name == series.name
    new_event = reloaded.event(event_id)
    assert new_event is not None
    assert new_event.round == event.round
    assert new_event.country == event.country
    assert new_event.track_tz == event.track_tz
    assert (new_event.first_day, new_event.last_day) == (event.first_day, event.last_day)
    assert new_event.sessions == imported.sessions


def test_to_toml_writes_the_shipped_layout() -> None:
    series, _ = _shipped("gt4-european-series-2023.toml", "r6")
    imported = resolve_links(
        parse_timetable(_seed("002_d8df62fedd32419d.txt"), year=2023), series, "r6"
    )
    text = to_toml(imported)

    assert 'timezone = "Europe/Stockholm"' in text
    assert 'day = "lördag"' in text
    assert "start = 2023-09-30T11:25:00" in text
    assert 'duration = "2 x 20 min"' in text
    assert 'name = "Q1/Q2 – Tidskval 1 & 2"' in text
    assert 'label = "LIVE QUALIFYING"' in text
    assert 'url = "https://www.youtube.com/@GTWorld"' in text
    assert 'note_en = "driver change at half distance"' in text
    # defaults come from the release: heading "(GT4 European Series - deltävling 6)", "Om banan"
    assert 'id = "gt4-european-series-2023"' in text
    assert 'name = "GT4 European Series"' in text
    assert "round = 6" in text
    assert 'country = "ES"' in text
    assert 'track_timezone = "Europe/Madrid"' in text
    assert "turns = 14" in text


def test_to_toml_without_urls_writes_label_only_links() -> None:
    imported = parse_timetable(_seed("000_5cda74f3411325fd.txt"), year=2020)
    text = to_toml(imported, event_name="Jarama")
    reloaded = load_text(text)

    race1 = reloaded.events[0].session("race1")
    assert race1 is not None
    assert [(lk.label, lk.url) for lk in race1.links] == [("JA Bäckmans Facebook-sida", None)]
    assert "url =" not in text
    assert reloaded.events[0].name == "Jarama"


@pytest.mark.parametrize("seed", ["003_2e61697797308b99.txt", "004_a701028375bf566f.txt"])
def test_english_results_releases_have_no_timetable(seed: str) -> None:
    error = _errors(_seed(seed), year=2021, source=seed)

    assert len(error.errors) == 1
    assert error.errors[0].file == seed
    assert "no timetable found" in str(error)
    assert error.errors[0].hint is not None
    assert "Tidsschema" in error.errors[0].hint


def test_calendar_without_times_is_not_a_timetable() -> None:
    error = _errors(_seed("001_04014a0c8780b8c1.txt"), year=2021)
    assert "no timetable found" in str(error)


# --- synthetic releases ----------------------------------------------------------------


def _release(
    *timetable: str,
    intro: str = "Syskonen Bäckman tävlar i helgen.",
    place: str = "Mantorp, Sverige",
) -> str:
    return "\n".join([intro, "", *timetable, "", "Om banan:", f"Plats: {place}"])


def test_spring_gap_is_an_error_naming_the_line() -> None:
    text = _release(
        "Tidsschema för helgens tävling:",
        "(alla tidsangivelser avser svensk tid)",
        "Lördag 28 mars:",
        "10:00 Fri träning 1",
        "Söndag 29 mars:",
        "02:30 Race 1",
    )
    error = _errors(text, year=2026, source="release.txt")

    assert len(error.errors) == 1
    problem = error.errors[0]
    assert problem.line == 8
    assert "'02:30 Race 1'" in problem.message
    assert "does not exist in Europe/Stockholm" in problem.message
    assert "Söndag 29 mars" in problem.message
    assert str(problem).startswith("release.txt:8: '02:30 Race 1'")
    assert problem.hint is not None
    assert "clocks jump forward" in problem.hint


def test_autumn_fold_is_an_error_naming_the_line() -> None:
    text = _release(
        "Tidsschema för helgens tävling:",
        "(alla tidsangivelser avser svensk tid)",
        "Söndag 25 oktober:",
        "02:30 Race 1 (30 min)",
        "10:00 Race 2 (30 min)",
    )
    error = _errors(text, year=2026)

    assert [e.line for e in error.errors] == [6]
    message = error.errors[0].message
    assert "'02:30 Race 1 (30 min)'" in message
    assert "occurs twice" in message
    assert "+02:00 or +01:00" in message
    assert error.errors[0].hint is not None
    assert "fold" in error.errors[0].hint


def test_weekday_mismatch_is_an_error_naming_the_line() -> None:
    text = _release(
        "Tidsschema för helgens tävling:",
        "Fredag 7 november:",
        "10:50 Fri träning 1",
        "Lördag 7 november:",
        "11:15 Race 1",
    )
    error = _errors(text, year=2020, source="release.txt")

    assert [e.line for e in error.errors] == [4, 5]
    problem = error.errors[0]
    assert problem.message == "'Fredag 7 november': 7 November 2020 is a Saturday"
    assert str(problem).startswith("release.txt:4: 'Fredag 7 november'")
    assert problem.hint is not None
    assert "Fredag 6 november" in problem.hint
    assert "--year" in problem.hint


def test_all_problems_are_reported_at_once() -> None:
    text = _release(
        "Tidsschema för helgens tävling:",
        "Söndag 29 mars:",
        "02:30 Race 1",
        "Fredag 7 november:",
        "10:50 Fri träning 1",
    )
    error = _errors(text, year=2026)
    assert [e.line for e in error.errors] == [5, 6, 7]
    assert "does not exist" in error.errors[0].message
    assert "7 November 2026 is a Saturday" in error.errors[1].message
    # the session under the refused day is said, not silently left unread
    assert error.errors[2].message == (
        "'10:50 Fri träning 1': under a day heading that was not understood (line 6)"
    )


def test_english_timetable() -> None:
    text = _release(
        "Timetable for the weekend (all times are Swedish time):",
        "Friday 6 November:",
        "10:50 Free Practice 1",
        "13:10 Free Practice 2 (30 min) – LIVETIMING",
        "15:00 Qualifying (Q1 and Q2)",
        "",
        "Saturday, 7 November",
        "11:15 Race 1 (LIVE on JA Bäckman's Facebook page)",
        "14:05 Race 2 (60 min) – driver change at half distance - LIVE TV RACE 2",
        intro="The siblings race this weekend.",
    )
    imported = parse_timetable(text, year=2020)
    stockholm = ZoneInfo("Europe/Stockholm")

    assert imported.language == "en"
    assert [s.id for s in imported.sessions] == ["fp1", "fp2", "q", "race1", "race2"]
    assert [(s.name.sv, s.name.en) for s in imported.sessions] == [
        ("Fri träning 1", "Free Practice 1"),
        ("Fri träning 2", "Free Practice 2"),
        ("Tidskval (Q1 och Q2)", "Qualifying (Q1 and Q2)"),
        ("Race 1", "Race 1"),
        ("Race 2", "Race 2"),
    ]
    assert [s.kind for s in imported.sessions] == [
        SessionKind.PRACTICE,
        SessionKind.PRACTICE,
        SessionKind.QUALIFYING,
        SessionKind.RACE,
        SessionKind.RACE,
    ]
    assert imported.sessions[0].start == datetime(2020, 11, 6, 10, 50, tzinfo=stockholm)
    assert imported.sessions[1].duration == timedelta(minutes=30)
    assert [lk.label for lk in imported.sessions[3].links] == ["JA Bäckman's Facebook page"]
    race2 = imported.sessions[4]
    assert race2.note is not None
    assert (race2.note.sv, race2.note.en) == (
        "byter förare efter halva loppet",
        "driver change at half distance",
    )
    assert [lk.label for lk in race2.links] == ["LIVE TV RACE 2"]
    assert load_text(to_toml(imported)).events[0].sessions == imported.sessions


def test_local_time_uses_the_given_zone() -> None:
    text = _release(
        "Timetable (all times are local time):",
        "Saturday 21 November:",
        "10:30 Qualifying",
        "Sunday 22 November:",
        "09:00 Race 1",
        "14:45 Race 2",
        intro="Macau this weekend.",
        place="Macau",
    )
    imported = parse_timetable(text, year=2020, default_tz=ZoneInfo("Asia/Macau"))

    assert imported.tz == ZoneInfo("Asia/Macau")
    assert [s.start for s in imported.sessions] == [
        datetime(2020, 11, 21, 2, 30, tzinfo=UTC),
        datetime(2020, 11, 22, 1, 0, tzinfo=UTC),
        datetime(2020, 11, 22, 6, 45, tzinfo=UTC),
    ]
    text_out = to_toml(imported, series_id="wtcr-2020", event_id="macau", country="MO")
    assert 'timezone = "Asia/Macau"' in text_out
    assert "start = 2020-11-21T10:30:00" in text_out
    assert load_text(text_out).events[0].sessions == imported.sessions


def test_local_time_without_a_zone_asks_for_tz() -> None:
    text = _release(
        "Tidsschema för helgens tävling:",
        "(alla tider är lokal tid)",
        "Lördag 21 november:",
        "10:30 Tidskval",
        place="Stadsbanan",
    )
    error = _errors(text, year=2020)

    assert [e.line for e in error.errors] == [4]
    assert "lokal tid" in error.errors[0].message
    assert error.errors[0].hint is not None
    assert "--tz" in error.errors[0].hint


def test_zone_note_in_the_heading_and_other_zones() -> None:
    cest = parse_timetable(
        "Schedule (all times CEST):\nFriday 2 October:\n10:50 Free Practice 1\n", year=2020
    )
    assert cest.tz == ZoneInfo("Europe/Stockholm")
    assert cest.sessions[0].start == datetime(2020, 10, 2, 8, 50, tzinfo=UTC)
    utc = parse_timetable(
        "Schedule (all times UTC):\nFriday 6 November:\n10:50 Free Practice 1\n", year=2020
    )
    assert utc.sessions[0].start == datetime(2020, 11, 6, 10, 50, tzinfo=UTC)
    iana = parse_timetable(
        "Schedule (all times Asia/Seoul):\nFriday 6 November:\n10:50 Free Practice 1\n", year=2020
    )
    assert iana.sessions[0].start == datetime(2020, 11, 6, 1, 50, tzinfo=UTC)


def test_timetable_ends_at_a_heading_with_no_sessions_after_it() -> None:
    text = _release(
        "Tidsschema för helgens tävling:",
        "Fredag 6 november:",
        "10:50 Fri träning 1",
        "Live-sändning",
        "Racet sänds på TCR TV.",
    )
    imported = parse_timetable(text, year=2020)
    assert [s.id for s in imported.sessions] == ["fp1"]
    assert imported.section == (3, 5)
    assert imported.entries[0].line == 5
    assert imported.entries[0].text == "10:50 Fri träning 1"


def test_a_line_not_understood_with_sessions_after_it_is_refused() -> None:
    # it used to end the timetable and drop '12:00 Något annat' without a word
    text = _release(
        "Tidsschema för helgens tävling:",
        "Fredag 6 november:",
        "10:50 Fri träning 1",
        "Live-sändning",
        "12:00 Något annat",
    )
    error = _errors(text, year=2020)
    assert [e.line for e in error.errors] == [6]
    assert "the timetable continues after it" in error.errors[0].message


def test_separate_qualifying_sessions_and_other_sessions_get_ids() -> None:
    text = _release(
        "Tidsschema för helgens tävling:",
        "Lördag 7 november:",
        "09:00 Tidskval 1",
        "09:30 Tidskval 2",
        "12:00 Förarparad",
        "13:00 Race",
    )
    sessions = parse_timetable(text, year=2020).sessions
    assert [(s.id, s.kind) for s in sessions] == [
        ("q1", SessionKind.QUALIFYING),
        ("q2", SessionKind.QUALIFYING),
        ("forarparad", SessionKind.OTHER),
        ("race", SessionKind.RACE),
    ]


def test_resolve_links_matches_labels_case_insensitively() -> None:
    series, _ = _shipped("gt4-european-series-2023.toml", "r6")
    text = _release(
        "Tidsschema för helgens tävling:",
        "Fredag 29 september:",
        "11:20 Fri träning 1 (60 min) – Live Qualifying",
        "15:40 Fri träning 2 (60 min) – LIVE PÅ NÅGON ANNANSTANS",
    )
    imported = resolve_links(parse_timetable(text, year=2023), series, None)

    first, second = imported.sessions
    assert [lk.url for lk in first.links] == ["https://www.youtube.com/@GTWorld"]
    assert [(lk.label, lk.url) for lk in second.links] == [("NÅGON ANNANSTANS", None)]
    assert imported.unresolved_labels() == ("NÅGON ANNANSTANS",)


# --- JSON export ------------------------------------------------------------------------


def test_sessions_json_shape() -> None:
    series, event = _shipped("tcr-europe-2020.toml", "r6")
    rows = sessions_json(series.id, event.id, event.sessions, ZoneInfo("Europe/Stockholm"))

    assert rows[0] == {
        "series": "tcr-europe-2020",
        "event": "r6",
        "id": "fp1",
        "name": "Fri träning 1",
        "name_en": "Free Practice 1",
        "kind": "practice",
        "start": "2020-11-06T10:50:00+01:00",
        "end": "2020-11-06T11:35:00+01:00",
        "streams": [{"label": "Live-timing", "url": "https://www.tcr-europe.com/live-timing"}],
    }
    assert rows[3]["streams"][0] == {
        "label": "JA Bäckmans Facebook-sida",
        "url": "https://www.facebook.com/JABackman",
    }


def test_sessions_json_of_an_import_has_null_urls() -> None:
    imported: ImportedTimetable = parse_timetable(_seed("002_d8df62fedd32419d.txt"), year=2023)
    rows = sessions_json("gt4", "r6", imported.sessions, ZoneInfo("UTC"))
    assert rows[2]["start"] == "2023-09-30T09:25:00+00:00"
    assert rows[2]["end"] == "2023-09-30T10:05:00+00:00"
    assert rows[2]["streams"] == [{"label": "LIVE QUALIFYING", "url": None}]
