"""Weekends with dates but no times yet, and provisional times, as fans see them.

/next and /schedule through the real command path (the shell), the feed through
build_calendar and an ics parser, reminders through the planner.
"""

from __future__ import annotations

import io
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import icalendar
import pytest

from bot.cli import main
from bot.core.calendar import build_calendar, weekend_uid
from bot.core.model import SessionKind
from bot.core.reminders import NoticeKind, plan
from bot.core.schedule import catalog_of, load_text
from tests.test_cli import write_config

ROOT = Path(__file__).resolve().parents[1]
WTCR = (ROOT / "schedules" / "wtcr-2021.toml").read_text(encoding="utf-8")

ADRIA_TIMES = """
  [[events.sessions]]
  id = "fp1"
  name = "Fri träning 1"
  kind = "practice"
  start = 2021-07-31T09:30:00

  [[events.sessions]]
  id = "race1"
  name = "Race 1"
  kind = "race"
  start = 2021-08-01T13:00:00
  tentative = true
"""


def _with_adria_times() -> str:
    marker = "last_day = 2021-08-01\n"
    assert marker in WTCR
    return WTCR.replace(marker, marker + ADRIA_TIMES, 1)


def _shell(
    config: Path,
    at: str,
    script: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO(script + "/quit\n"))
    assert main(["shell", "--config", str(config), "--at", at]) == 0
    return capsys.readouterr().out


def test_next_and_schedule_show_a_weekend_without_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path)
    out = _shell(config, "2021-07-20T10:00:00+02:00", "/next\n/schedule\n", monkeypatch, capsys)

    assert out.count("Adria, 30 juli–1 augusti – tiderna kommer") == 2
    assert "2021 –" not in out  # the current year is not repeated


def test_next_shows_the_year_of_a_weekend_in_another_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path)
    out = _shell(config, "2020-12-01T10:00:00+01:00", "/next\n", monkeypatch, capsys)

    assert "Nürburgring Nordschleife, 3–5 juni 2021 – tiderna kommer" in out


def test_next_prefers_a_timed_session_that_comes_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path)
    out = _shell(config, "2020-11-07T10:00:00+01:00", "/next\n", monkeypatch, capsys)

    assert "Race 1" in out
    assert "tiderna kommer" not in out


def _events(text: str) -> dict[str, Any]:
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(text).walk("VEVENT")}


def test_feed_carries_dated_weekends_as_all_day_events_with_one_uid() -> None:
    now = datetime(2021, 7, 1, tzinfo=UTC)
    before = _events(
        build_calendar(
            catalog_of([load_text(WTCR)]),
            {},
            series_id="wtcr-2021",
            now=now,
            public_url="https://example.org",
        )
    )
    after = _events(
        build_calendar(
            catalog_of([load_text(_with_adria_times())]),
            {},
            series_id="wtcr-2021",
            now=now,
            public_url="https://example.org",
        )
    )

    assert len(before) == 8
    adria = before[weekend_uid("wtcr-2021", "r4")]
    assert str(adria["SUMMARY"]) == "FIA WTCR · Adria – tiderna kommer"
    assert adria.decoded("DTSTART") == date(2021, 7, 30)
    assert adria.decoded("DTEND") == date(2021, 8, 2)
    assert adria["SEQUENCE"] == 0
    # once the times arrive the same entry is updated in place, and the sessions join it
    updated = after[weekend_uid("wtcr-2021", "r4")]
    assert str(updated["SUMMARY"]) == "FIA WTCR · Adria"
    assert updated["SEQUENCE"] == 1
    assert "lör 31 juli 09:30 Fri träning 1" in str(updated["DESCRIPTION"])
    assert "sön 1 aug 13:00 Race 1 (preliminär tid)" in str(updated["DESCRIPTION"])
    assert set(before) < set(after)
    race1 = after["wtcr-2021.r4.race1@racebot"]
    assert race1.decoded("DTSTART") == datetime(2021, 8, 1, 11, 0, tzinfo=UTC)
    assert str(race1["STATUS"]) == "TENTATIVE"
    assert str(race1["SUMMARY"]) == "FIA WTCR · Adria · Race 1 (preliminär tid)"


def test_ics_command_for_a_calendar_only_series_is_not_empty(
    capsys: pytest.CaptureFixture[str],
) -> None:
    schedules = str(ROOT / "schedules")
    assert main(["ics", "--series", "wtcr-2021", "--schedules", schedules]) == 0
    text = capsys.readouterr().out
    assert text.count("BEGIN:VEVENT") == 8
    assert "Adria – tiderna kommer" in text


def test_tentative_sessions_are_never_reminded() -> None:
    catalog = catalog_of([load_text(_with_adria_times())])
    planned = plan(catalog, datetime(2021, 7, 1, tzinfo=UTC))
    adria = [p for p in planned if p.event_id == "r4"]

    session_keys = {p.session_key for p in adria if p.session_key}
    assert session_keys == {"wtcr-2021/r4/fp1"}
    kinds = {NoticeKind.PREVIEW, NoticeKind.DIGEST, NoticeKind.LEAD, NoticeKind.LIVE}
    assert {p.kind for p in adria} == kinds
    (digest,) = [p for p in adria if p.kind is NoticeKind.DIGEST]
    assert digest.day_kinds == (SessionKind.PRACTICE,)  # the tentative sessions are left out


@pytest.mark.parametrize(("language", "mark"), [("sv", "preliminär tid"), ("en", "time TBC")])
def test_preview_marks_a_tentative_time(language: str, mark: str) -> None:
    from bot.core.markup import plain_text
    from bot.core.render import render_preview
    from bot.core.timeutil import SWEDISH_TIME

    series = load_text(_with_adria_times())
    event = series.event("r4")
    assert event is not None
    text = plain_text(
        render_preview(series, event, language, SWEDISH_TIME, SWEDISH_TIME), SWEDISH_TIME
    )
    assert f"13:00 Race 1 ({mark})" in text
    assert "09:30 Fri träning 1 (" not in text
