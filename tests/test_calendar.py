"""The iCalendar feed, read back with an independent parser (icalendar), instant by instant."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import pytest_asyncio
from hypothesis import given
from hypothesis import strategies as st

from bot.core.calendar import (
    MAX_ALARM_MINUTES,
    FeedOptions,
    build_calendar,
    fold,
    parse_options,
    session_uid,
)
from bot.core.clock import VirtualClock
from bot.core.errors import UserError
from bot.core.model import Catalog, Session, SessionKind, SessionRef, SessionStatus
from bot.core.schedule import catalog_of, load_catalog, load_text
from bot.scheduler import Engine
from bot.store.store import SessionStateInfo, Store
from bot.timers import ClockTimer
from tests.builders import Event, schedule_toml, session

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2020, 11, 1, 12, 0, tzinfo=UTC)
PUBLIC = "https://race.example.org"
TCR = "tcr-europe-2020"
GT4 = "gt4-european-series-2023"
RACE1 = f"{TCR}/r6/race1"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(ROOT / "schedules")


def feed(catalog: Catalog, states: dict[str, SessionStateInfo] | None = None, **kw: Any) -> str:
    kw.setdefault("now", NOW)
    kw.setdefault("public_url", PUBLIC)
    return build_calendar(catalog, states or {}, **kw)


def parse(text: str) -> Any:
    return icalendar.Calendar.from_ical(text)


def events(text: str, *, weekends: bool = False) -> dict[str, Any]:
    """Session VEVENTs by UID (and every UID is unique); all-day weekend entries on request."""
    found = [c for c in parse(text).walk("VEVENT")]
    by_uid = {str(e["UID"]): e for e in found}
    assert len(by_uid) == len(found), "duplicate UIDs"
    if weekends:
        return by_uid
    return {uid: e for uid, e in by_uid.items() if isinstance(e.decoded("DTSTART"), datetime)}


def refs(catalog: Catalog, series_id: str, event_id: str) -> list[SessionRef]:
    chosen = [r for r in catalog.sessions() if r.series.id == series_id and r.event.id == event_id]
    assert chosen
    return chosen


def state(key: str, sequence: int, at: datetime, *, cancelled: bool = False) -> SessionStateInfo:
    return SessionStateInfo(key, None, cancelled, "x", sequence, at)


# --------------------------------------------------------------------------- instants


@pytest.mark.parametrize(("series_id", "event_id"), [(TCR, "r6"), (GT4, "r6")])
def test_every_session_starts_and_ends_at_the_schedules_instant(
    catalog: Catalog, series_id: str, event_id: str
) -> None:
    by_uid = events(feed(catalog, series_id=series_id))
    for ref in refs(catalog, series_id, event_id):
        vevent = by_uid[session_uid(ref.key)]
        assert vevent.decoded("DTSTART") == ref.session.start
        assert vevent.decoded("DTEND") == ref.session.end
        assert vevent.decoded("DTSTART").utcoffset() == timedelta(0)


def test_known_instants_from_the_press_releases(catalog: Catalog) -> None:
    by_uid = events(feed(catalog))
    # "Race 1 lördag 11:15" Swedish time in November = 10:15 UTC
    race1 = by_uid[session_uid(RACE1)]
    assert race1.decoded("DTSTART") == datetime(2020, 11, 7, 10, 15, tzinfo=UTC)
    assert race1.decoded("DTEND") == datetime(2020, 11, 7, 11, 0, tzinfo=UTC)
    # GT4 Barcelona race 2, Sunday 1 October 2023 11:20 CEST, 60 minutes
    gt4 = by_uid[session_uid(f"{GT4}/r6/race2")]
    assert gt4.decoded("DTSTART") == datetime(2023, 10, 1, 9, 20, tzinfo=UTC)
    assert gt4.decoded("DTEND") == datetime(2023, 10, 1, 10, 20, tzinfo=UTC)


DST_WEEKEND = schedule_toml(
    "dst-2026",
    "DST Cup",
    2026,
    [
        Event(
            "r1",
            1,
            "Anderstorp",
            "Scandinavian Raceway",
            date(2026, 10, 24),
            [
                session("q", "Kval", "qualifying", datetime(2026, 10, 24, 14, 0)),
                session(
                    "night", "Nattpass", "other", datetime(2026, 10, 25, 2, 30), fold=1, duration=20
                ),
                session("race", "Race", "race", datetime(2026, 10, 25, 14, 0)),
            ],
            last_day=date(2026, 10, 25),
        )
    ],
)


def test_dst_weekend_keeps_each_instant() -> None:
    """Clocks go back at 03:00 on Sunday 25 October 2026: Saturday is +02, Sunday +01."""
    catalog = catalog_of([load_text(DST_WEEKEND)])
    by_uid = events(feed(catalog))
    starts = {
        str(uid).split(".")[-1].split("@")[0]: e.decoded("DTSTART") for uid, e in by_uid.items()
    }
    assert starts == {
        "q": datetime(2026, 10, 24, 12, 0, tzinfo=UTC),
        "night": datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # the second 02:30
        "race": datetime(2026, 10, 25, 13, 0, tzinfo=UTC),
    }
    night = by_uid[session_uid("dst-2026/r1/night")]
    assert night.decoded("DTEND") - night.decoded("DTSTART") == timedelta(minutes=20)


# --------------------------------------------------------------------------- identity


def test_uids_are_stable_and_the_output_deterministic(catalog: Catalog) -> None:
    first = feed(catalog)
    assert feed(catalog) == first
    later = feed(catalog, now=NOW + timedelta(days=3), language="en", alarms=(15,))
    assert set(events(later)) == set(events(first))
    expected = {session_uid(ref.key) for ref in catalog.sessions()}
    assert set(events(first)) == expected
    assert session_uid(RACE1) == "tcr-europe-2020.r6.race1@racebot"


def test_dtstamp_comes_from_the_store_not_the_request(catalog: Catalog) -> None:
    at = datetime(2020, 10, 1, 8, 0, tzinfo=UTC)
    states = {ref.key: state(ref.key, 0, at) for ref in catalog.sessions()}
    one = feed(catalog, states, now=NOW)
    other = feed(catalog, states, now=NOW + timedelta(hours=5))
    assert one == other
    for vevent in events(one).values():
        assert vevent.decoded("DTSTAMP") == at
        assert vevent.decoded("LAST-MODIFIED") == at


def test_sequence_and_status_follow_the_store(catalog: Catalog) -> None:
    moved_at = datetime(2020, 11, 7, 9, 0, tzinfo=UTC)
    ref = catalog.find(RACE1)
    assert ref is not None
    cancelled = catalog.replace_session(RACE1, _cancelled(ref))
    states = {RACE1: state(RACE1, 2, moved_at, cancelled=True)}
    by_uid = events(feed(cancelled, states, series_id=TCR))
    race1 = by_uid[session_uid(RACE1)]
    assert race1["SEQUENCE"] == 2
    assert str(race1["STATUS"]) == "CANCELLED"
    assert race1.decoded("DTSTAMP") == moved_at
    assert str(race1["SUMMARY"]).startswith("Inställt: ")
    others = [e for uid, e in by_uid.items() if uid != session_uid(RACE1)]
    assert {str(e["STATUS"]) for e in others} == {"CONFIRMED"}
    assert {int(e["SEQUENCE"]) for e in others} == {0}


def _cancelled(ref: SessionRef) -> Session:
    return replace(ref.session, status=SessionStatus.CANCELLED)


# --------------------------------------------------------------------------- content


def test_required_calendar_properties_and_rfc_lines(catalog: Catalog) -> None:
    text = feed(catalog, series_id=TCR, alarms=(15,))
    cal = parse(text)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]).startswith("-//racebot//")
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == "racebot – TCR Europe 2020"
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Stockholm"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in text
    assert str(cal["X-PUBLISHED-TTL"]) == "PT1H"
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert max(len(line.encode()) for line in text.split("\r\n")) <= 75
    # calendar properties come before the first component (RFC 5545 icalbody)
    assert text.index("METHOD:PUBLISH") < text.index("BEGIN:VEVENT")


def test_all_series_feed_name() -> None:
    catalog = catalog_of([load_text(DST_WEEKEND)])
    cal = parse(feed(catalog, calendar_name="Bäckman Racing"))
    assert str(cal["X-WR-CALNAME"]) == "Bäckman Racing – alla race"
    cal = parse(feed(catalog, calendar_name="Bäckman Racing", language="en"))
    assert str(cal["X-WR-CALNAME"]) == "Bäckman Racing – all races"


def test_summary_location_and_description_in_swedish(catalog: Catalog) -> None:
    race1 = events(feed(catalog, series_id=TCR))[session_uid(RACE1)]
    assert str(race1["SUMMARY"]) == "TCR Europe · Jarama · Race 1"
    assert str(race1["LOCATION"]) == (
        "Circuito del Jarama, San Sebastián de los Reyes, Madrid, Spanien"
    )
    description = str(race1["DESCRIPTION"])
    assert "Live-sändning:" in description
    assert "JA Bäckmans Facebook-sida: https://www.facebook.com/JABackman" in description
    assert "TCR TV (YouTube): https://www.youtube.com/@TCRTV" in description
    assert "Live-timing: https://www.tcr-europe.com/live-timing" in description
    assert str(race1["URL"]) == "https://www.facebook.com/JABackman"
    fp1 = events(feed(catalog, series_id=TCR))[session_uid(f"{TCR}/r6/fp1")]
    assert str(fp1["SUMMARY"]) == "TCR Europe · Jarama · Fri träning 1"
    assert str(fp1["URL"]) == PUBLIC  # no stream for practice: the public page


def test_summary_and_location_in_english(catalog: Catalog) -> None:
    by_uid = events(feed(catalog, series_id=TCR, language="en"))
    assert str(by_uid[session_uid(f"{TCR}/r6/fp1")]["SUMMARY"]) == (
        "TCR Europe · Jarama · Free Practice 1"
    )
    race1 = by_uid[session_uid(RACE1)]
    assert str(race1["LOCATION"]).endswith(", Spain")
    assert "Livestream:" in str(race1["DESCRIPTION"])
    assert "Live timing:" in str(race1["DESCRIPTION"])


def test_alarms_only_when_asked(catalog: Catalog) -> None:
    for vevent in events(feed(catalog, series_id=TCR)).values():
        assert not vevent.walk("VALARM")
    for vevent in events(feed(catalog, series_id=TCR, alarms=(15, 60))).values():
        alarms = vevent.walk("VALARM")
        assert [str(a["ACTION"]) for a in alarms] == ["DISPLAY", "DISPLAY"]
        triggers = sorted(a.decoded("TRIGGER") for a in alarms)
        assert triggers == [timedelta(minutes=-60), timedelta(minutes=-15)]
        assert "startar om 15 min" in str(alarms[0]["DESCRIPTION"])


def test_kinds_filter(catalog: Catalog) -> None:
    by_uid = events(feed(catalog, kinds={SessionKind.RACE}))
    races = {session_uid(r.key) for r in catalog.sessions() if r.session.kind is SessionKind.RACE}
    assert set(by_uid) == races
    both = events(feed(catalog, kinds={SessionKind.RACE, SessionKind.QUALIFYING}))
    assert session_uid(f"{TCR}/r6/q") in both
    assert session_uid(f"{TCR}/r6/fp1") not in both


def test_series_filter_and_unknown_series(catalog: Catalog) -> None:
    by_uid = events(feed(catalog, series_id=GT4))
    assert all(uid.startswith("gt4-european-series-2023.") for uid in by_uid)
    with pytest.raises(UserError, match="Unknown series"):
        feed(catalog, series_id="nope")


@given(st.text(alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\r\n")))
def test_fold_keeps_lines_short_and_reversible(line: str) -> None:
    folded = fold(line)
    physical = folded.split("\r\n")
    assert physical[-1] == ""
    assert all(len(part.encode()) <= 75 for part in physical)
    assert all(part.startswith(" ") for part in physical[1:-1])
    assert folded.replace("\r\n ", "")[:-2] == line


def test_fold_never_splits_a_character() -> None:
    line = "SUMMARY:" + "å" * 100
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "").rstrip("\r\n") == line


# --------------------------------------------------------------------------- options


def test_parse_options_defaults_and_values() -> None:
    assert parse_options({}) == FeedOptions("sv", (), None)
    options = parse_options({"lang": "en", "alarm": "60,15,15", "kinds": "race,qualifying"})
    assert options == FeedOptions(
        "en", (15, 60), frozenset({SessionKind.RACE, SessionKind.QUALIFYING})
    )
    assert parse_options({"utm_source": "x", "alarm": ""}).alarms == ()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"lang": "de"}, "Unknown language 'de'"),
        ({"alarm": "0"}, "Bad alarm '0'"),
        ({"alarm": str(MAX_ALARM_MINUTES + 1)}, "Bad alarm"),
        ({"alarm": "-5"}, "Bad alarm '-5'"),
        ({"alarm": "soon"}, "Bad alarm 'soon'"),
        ({"alarm": "1,2,3,4,5,6"}, "At most 5 alarms"),
        ({"kinds": "race,warmup"}, "Unknown session kind 'warmup'"),
    ],
)
def test_parse_options_refuses_with_a_clear_message(query: dict[str, str], message: str) -> None:
    with pytest.raises(UserError, match=message) as info:
        parse_options(query)
    assert info.value.hint


# --------------------------------------------------------------------------- with the engine


@pytest_asyncio.fixture
async def engine(tmp_path: Path, catalog: Catalog) -> AsyncIterator[Engine]:
    store = await Store.open(f"sqlite:///{tmp_path}/t.db")
    clock = VirtualClock(NOW)
    engine = Engine(store=store, clock=clock, timer=ClockTimer(clock), catalog=catalog)
    await engine.start()
    try:
        yield engine
    finally:
        await engine.stop()
        await store.close()


def engine_feed(engine: Engine) -> dict[str, Any]:
    return events(feed(engine.catalog, engine.states, series_id=TCR, now=engine.clock.now()))


async def test_a_delay_bumps_sequence_and_keeps_the_uid(engine: Engine) -> None:
    before = engine_feed(engine)[session_uid(RACE1)]
    assert before["SEQUENCE"] == 0
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    await clock.advance(timedelta(hours=1))
    await engine.delay(RACE1, 30)
    after_all = engine_feed(engine)
    after = after_all[session_uid(RACE1)]
    assert after["SEQUENCE"] == 1
    assert after.decoded("DTSTART") == before.decoded("DTSTART") + timedelta(minutes=30)
    assert after.decoded("DTSTAMP") == NOW + timedelta(hours=1)
    assert str(after["STATUS"]) == "CONFIRMED"
    assert set(after_all) == set(engine_feed(engine))  # same UIDs, nothing added
    await engine.delay(RACE1, 15)
    assert engine_feed(engine)[session_uid(RACE1)]["SEQUENCE"] == 2


async def test_a_cancel_keeps_the_event_as_cancelled(engine: Engine) -> None:
    count = len(engine_feed(engine))
    await engine.cancel(RACE1)
    by_uid = engine_feed(engine)
    assert len(by_uid) == count
    race1 = by_uid[session_uid(RACE1)]
    assert str(race1["STATUS"]) == "CANCELLED"
    assert race1["SEQUENCE"] == 1
    assert not race1.walk("VALARM")


def test_the_feed_names_the_home_zone(catalog: Catalog) -> None:
    assert "X-WR-TIMEZONE:Europe/Stockholm" in feed(catalog)
    assert "X-WR-TIMEZONE:Europe/London" in feed(catalog, home=ZoneInfo("Europe/London"))


def test_after_a_change_only_what_changed_is_serialized_again(catalog: Catalog) -> None:
    from bot.core import calendar

    at = datetime(2020, 10, 1, 8, 0, tzinfo=UTC)
    states = {ref.key: state(ref.key, 0, at) for ref in catalog.sessions()}
    before = feed(catalog, states, alarms=(30,))
    built = calendar._TEXTS.built
    assert feed(catalog, states, alarms=(30,)) == before
    assert calendar._TEXTS.built == built  # nothing serialized for an unchanged feed
    ref = catalog.find(RACE1)
    assert ref is not None
    moved = catalog.replace_session(
        RACE1, replace(ref.session, start=ref.session.start + timedelta(minutes=30))
    )
    states[RACE1] = state(RACE1, 1, at)  # (a newer instant re-stamps every weekend entry)
    after = feed(moved, states, alarms=(30,))
    # the moved race and its weekend's all-day entry (whose timetable lists it)
    assert calendar._TEXTS.built - built == 2
    race = events(after)[session_uid(RACE1)]
    assert race.decoded("DTSTART") == ref.session.start + timedelta(minutes=30)
    assert int(race["SEQUENCE"]) == 1
    untouched = [u for u in events(before) if u != session_uid(RACE1)]
    assert all(events(after)[u].to_ical() == events(before)[u].to_ical() for u in untouched)
