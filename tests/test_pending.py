# ruff: noqa: E501  (press releases have long lines; they are kept as written)
"""Sessions a release lists without a time yet ("TBA – Tidskval"): imported into the
schedule file as [[events.pending]], accepted by `racebot check`, shown to fans as
"Tidskval – tid kommer", never reminded or put in a feed as a time, and normal
sessions once the file gives their time."""

from __future__ import annotations

import io
import json
import shutil
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import icalendar
import pytest

from bot.cli import main
from bot.core.calendar import build_calendar
from bot.core.errors import ScheduleErrors
from bot.core.markup import plain_text
from bot.core.model import Catalog, SessionKind
from bot.core.reminders import plan
from bot.core.render import render_dates_only, render_preview
from bot.core.schedule import catalog_of, load_file, load_text
from bot.core.timeutil import SWEDISH_TIME
from bot.web import SiteInfo, render_page
from tests.test_cli import write_config
from tests.test_cli_import import ADRIA

ROOT = Path(__file__).resolve().parents[1]

MANTORP = """\
Bäckmans redo för Mantorp Park
[bookmark: _GoBack]Efter sommaruppehållet är syskonen tillbaka i TCR Scandinavia, och helgens deltävling körs på Mantorp Park utanför Mjölby.
[image: ]
"Vi testade här i juni och vet att bilen fungerar", säger Andreas Bäckman.

Tidsschema för helgen (TCR Scandinavia deltävling 4):
(alla tidsangivelser avser svensk tid)
Fredag 29 september
kl. 10.50 Fri träning 1
kl. 14.05 Fri träning 2
Lördag 30 september
TBA – Tidskval
kl. 15.30 Race 1 – LIVE: TV4 Play
Söndag 1 oktober
kl. 11.00 Race 2
14:00 Race 3 (TBC)

Om banan:
Mantorp Park
Plats: Mantorp, Sverige
Längd: 3,106 km
"""

PORTIMAO = """\
Bäckman Racing heads to Portimão
[image: ]
The final round of the season takes the team to the Algarve.

Weekend timetable (TCR Europe round 6)
All times are local time in Portugal (WEST, UTC+1).
Saturday 14th October
09:30 Free Practice 1
Qualifying – TBA
Sunday 15th October
11:20 Race 1
"""

SERIES_HEAD = """\
[series]
id = "tcr-scandinavia-2023"
name = "TCR Scandinavia"
season = 2023

[[events]]
id = "r4"
round = 4
name = "Mantorp Park"
circuit = "Mantorp Park"
country = "SE"
track_timezone = "Europe/Stockholm"
first_day = 2023-09-29
last_day = 2023-10-01

  [[events.sessions]]
  id = "race1"
  name = "Race 1"
  kind = "race"
  start = 2023-09-30T15:30:00
"""

BEFORE = datetime(2023, 9, 27, 12, 0, tzinfo=UTC)


def _import(tmp_path: Path, text: str = MANTORP, *extra: str) -> Path:
    release = tmp_path / "release.txt"
    release.write_text(text, encoding="utf-8")
    folder = tmp_path / "schedules"
    folder.mkdir(exist_ok=True)
    out = folder / "tcr.toml"
    args = ["import-timetable", str(release), "--year", "2023", "--out", str(out), *extra]
    assert main([*args, "--config", str(write_config(tmp_path, folder))]) == 0
    return out


def _catalog(path: Path) -> Catalog:
    return catalog_of([load_file(path)])


def test_a_tba_session_is_written_to_the_file_and_check_accepts_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _import(tmp_path)
    text = out.read_text(encoding="utf-8")
    assert "[[events.pending]]" in text
    assert "# Not yet timed" not in text  # real data now, not a comment

    [event] = load_file(out).events
    [pending] = event.pending
    assert (pending.id, pending.name.sv, pending.name.en) == ("q", "Tidskval", "Qualifying")
    assert (pending.kind, pending.day) == (SessionKind.QUALIFYING, date(2023, 9, 30))
    assert "q" not in {s.id for s in event.sessions}  # the timed ones are untouched
    assert [s.start for s in event.sessions][2] == datetime(2023, 9, 30, 13, 30, tzinfo=UTC)

    capsys.readouterr()
    assert main(["check", "--config", str(write_config(tmp_path, out.parent))]) == 0
    assert "1 schedule files OK: 1 series, 5 sessions, 1 without a time yet" in (
        capsys.readouterr().out
    )


def test_the_preview_shows_it_under_its_day_in_swedish_and_english(tmp_path: Path) -> None:
    catalog = _catalog(_import(tmp_path))
    series, event = next(catalog.events())
    sv = plain_text(render_preview(series, event, "sv", SWEDISH_TIME, SWEDISH_TIME), SWEDISH_TIME)
    saturday = sv.split("Lördag 30 september:\n")[1].split("Söndag")[0]
    assert saturday == "15:30 Race 1 – LIVE\nTidskval – tid kommer\n"
    assert "14:00 Race 3 (preliminär tid)" in sv
    en = plain_text(render_preview(series, event, "en", SWEDISH_TIME, SWEDISH_TIME), SWEDISH_TIME)
    assert "Saturday 30 September:\n15:30 Race 1 – LIVE\nQualifying – time TBC\n" in en


def test_schedule_in_the_shell_shows_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _import(tmp_path)
    config = write_config(tmp_path, out.parent)
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.StringIO("/schedule\n/quit\n"))
    assert main(["shell", "--config", str(config), "--at", "2023-09-28T12:00:00+02:00"]) == 0
    shown = capsys.readouterr().out
    assert "Lördag 30 september:\n15:30 Race 1 – LIVE\nTidskval – tid kommer" in shown
    assert "Live-sändning: TV4 Play" in shown  # a channel without an address: named once


def test_schedule_json_lists_it_without_a_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _import(tmp_path)
    capsys.readouterr()
    assert main(["schedule", "--config", str(write_config(tmp_path, out.parent)), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    [untimed] = [r for r in rows if r["start"] is None]
    assert untimed == {
        "series": "tcr-scandinavia-2023",
        "event": "r4",
        "id": "q",
        "name": "Tidskval",
        "name_en": "Qualifying",
        "kind": "qualifying",
        "day": "2023-09-30",
        "start": None,
        "end": None,
        "streams": [],
        "tentative": True,
    }
    assert len(rows) == 6


def test_it_is_never_planned_nor_in_the_feed(tmp_path: Path) -> None:
    catalog = _catalog(_import(tmp_path))
    planned = plan(catalog, BEFORE)
    assert planned  # the timed sessions are planned
    assert not [p for p in planned if p.session_key and p.session_key.endswith("/q")]
    assert not [p for p in planned if "race3" in p.key]  # TBC: shown, not reminded
    feed = build_calendar(catalog, {}, now=BEFORE, public_url="https://race.example.org")
    found = icalendar.Calendar.from_ical(feed).walk("VEVENT")
    timed = [e for e in found if isinstance(e.decoded("DTSTART"), datetime)]
    assert len(timed) == 5  # fp1, fp2, race1, race2, race3; no instant made up for q
    assert not [e for e in found if "Tidskval" in str(e["SUMMARY"])]


def test_the_fan_page_shows_it_escaped_and_without_a_time(tmp_path: Path) -> None:
    text = _import(tmp_path).read_text(encoding="utf-8")
    text = text.replace('name = "Tidskval"', 'name = "Tidskval <b>&</b>"')
    catalog = catalog_of([load_text(text)])
    page = render_page(catalog, SiteInfo(public_url="https://race.example.org"), BEFORE)
    assert "Tidskval &lt;b&gt;&amp;&lt;/b&gt;" in page
    assert '<span class="tag">tid kommer</span>' in page
    saturday = page.split("Lördag 30 september")[1].split("Söndag")[0]
    assert '<tr class="session pending"><td class="time">–</td>' in saturday
    assert saturday.count("data-utc") == 1  # Race 1 only: no local time is made up


def test_an_english_release_keeps_its_tba_line(tmp_path: Path) -> None:
    out = _import(tmp_path, PORTIMAO)
    [event] = load_file(out).events
    assert [(p.id, p.name.en, p.day) for p in event.pending] == [
        ("q", "Qualifying", date(2023, 10, 14))
    ]
    series = load_file(out)
    en = plain_text(render_preview(series, event, "en", SWEDISH_TIME, SWEDISH_TIME), SWEDISH_TIME)
    # 09:30 WEST is 10:30 Swedish time; the TBA line stays under its Saturday
    assert "Saturday 14 October:\n10:30 Free Practice 1\nQualifying – time TBC\nSunday" in en


def test_once_the_time_arrives_it_is_a_normal_session(tmp_path: Path) -> None:
    out = _import(tmp_path)
    text = out.read_text(encoding="utf-8")
    block = text[text.index("  # line 12") :]
    timed = text.replace(
        block,
        '  [[events.sessions]]\n  id = "q"\n  name = "Tidskval"\n  name_en = "Qualifying"\n'
        '  kind = "qualifying"\n  start = 2023-09-30T11:00:00\n',
    )
    catalog = catalog_of([load_text(timed)])
    [(_, event)] = list(catalog.events())
    assert event.pending == ()
    quali = event.session("q")
    assert quali is not None
    assert quali.start == datetime(2023, 9, 30, 9, 0, tzinfo=UTC)
    assert [p for p in plan(catalog, BEFORE) if p.session_key == "tcr-scandinavia-2023/r4/q"]
    # a file that keeps the pending entry beside the timed one is refused, naming the line
    both = timed + block
    with pytest.raises(ScheduleErrors) as exc:
        load_text(both, "tcr.toml")
    [error] = exc.value.errors
    assert "'q' is both timed" in error.message
    assert error.line == both[: both.rindex('id = "q"')].count("\n") + 1


def _refused(entry: str) -> list[tuple[int | None, str, str | None]]:
    text = f"{SERIES_HEAD}\n  [[events.pending]]\n{entry}"
    with pytest.raises(ScheduleErrors) as exc:
        load_text(text, "tcr.toml")
    return [(e.line, e.message, e.hint) for e in exc.value.errors]


def test_a_pending_entry_with_a_time_is_refused_with_its_line() -> None:
    [(line, message, hint)] = _refused(
        '  id = "q"\n  name = "Tidskval"\n  kind = "qualifying"\n  start = 2023-09-30T11:00:00\n'
    )
    assert line == 26
    assert "unknown key 'start'" in message
    assert hint is not None
    assert "move it to [[events.sessions]]" in hint


def test_a_pending_day_that_is_not_a_date_is_refused() -> None:
    for day in ('"lördag"', "2023-09-30T11:00:00", "30"):
        [(line, message, hint)] = _refused(
            f'  id = "q"\n  name = "Tidskval"\n  kind = "qualifying"\n  day = {day}\n'
        )
        assert line == 26, day
        assert "a date without a time" in message
        assert hint is not None
        assert "day = 2023-09-30" in hint


def test_a_pending_day_outside_the_weekend_is_refused() -> None:
    [(line, message, _)] = _refused(
        '  id = "q"\n  name = "Tidskval"\n  kind = "qualifying"\n  day = 2023-10-07\n'
    )
    assert line == 26
    assert "outside the weekend 2023-09-29–2023-10-01" in message


def test_a_pending_entry_with_a_typo_or_missing_name_is_refused() -> None:
    missing, typo = _refused('  id = "q"\n  nmae = "Tidskval"\n  kind = "qualifying"\n')
    assert missing[:2] == (22, "events.0.pending.0.name: Field required")  # the table's line
    assert typo[:2] == (24, "events.0.pending.0.nmae: unknown key 'nmae'")
    assert typo[2] is not None
    assert "did you mean 'name'?" in typo[2]
    [kind] = _refused('  id = "q"\n  name = "Tidskval"\n  kind = "quali"\n')
    assert kind[0] == 25
    assert "'qualifying'" in kind[1]


def test_a_pending_session_without_a_day_comes_last_and_says_so() -> None:
    text = f'{SERIES_HEAD}\n  [[events.pending]]\n  id = "q"\n  name = "Tidskval"\n  name_en = "Qualifying"\n  kind = "qualifying"\n'
    series = load_text(text)
    [event] = series.events
    sv = plain_text(render_preview(series, event, "sv", SWEDISH_TIME, SWEDISH_TIME), SWEDISH_TIME)
    assert sv.endswith("15:30 Race 1\nÖvriga pass:\nTidskval – dag och tid kommer")
    en = plain_text(render_preview(series, event, "en", SWEDISH_TIME, SWEDISH_TIME), SWEDISH_TIME)
    assert en.endswith("Other sessions:\nQualifying – day and time TBC")


def test_a_weekend_with_only_untimed_sessions_shows_them_with_its_dates() -> None:
    head = SERIES_HEAD.split("  [[events.sessions]]")[0]
    text = f'{head}\n  [[events.pending]]\n  id = "q"\n  name = "Tidskval"\n  kind = "qualifying"\n  day = 2023-09-30\n  note = "efter Race 1"\n'
    series = load_text(text)
    [event] = series.events
    post = render_dates_only(series, event, "sv", date(2023, 9, 1), SWEDISH_TIME)
    shown = plain_text(post, SWEDISH_TIME)
    assert "Mantorp Park, 29 september–1 oktober – tiderna kommer" in shown
    assert "Lördag 30 september:\nTidskval – tid kommer – efter Race 1" in shown
    catalog = catalog_of([series])
    assert plan(catalog, BEFORE) == []
    page = render_page(catalog, SiteInfo(public_url="https://race.example.org"), BEFORE)
    assert "tiderna kommer" in page
    assert "Tidskval" in page


ADRIA_TBA = ADRIA.replace("16:00 Tidskval", "TBA – Tidskval")


def test_into_writes_it_and_a_later_release_with_the_time_makes_it_a_session(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "schedules").mkdir()
    target = tmp_path / "schedules" / "wtcr-2021.toml"
    shutil.copy(ROOT / "schedules" / "wtcr-2021.toml", target)
    release = tmp_path / "release.txt"
    release.write_text(ADRIA_TBA, encoding="utf-8")
    config = str(write_config(tmp_path, target.parent))
    args = ["import-timetable", str(release), "--year", "2021", "--into", str(target)]
    assert main([*args, "--config", config]) == 0
    event = load_file(target).event("r4")
    assert event is not None
    assert [s.id for s in event.sessions] == ["fp1", "fp2", "race1", "race2"]
    assert [(p.id, p.name.sv, p.day) for p in event.pending] == [
        ("q", "Tidskval", date(2021, 7, 31))
    ]
    assert main(["check", "--config", config]) == 0

    release.write_text(ADRIA_TBA.replace("TBA – Tidskval", "16:00 Tidskval"), encoding="utf-8")
    assert main([*args, "--config", config]) == 0
    event = load_file(target).event("r4")
    assert event is not None
    assert event.pending == ()
    quali = event.session("q")
    assert quali is not None
    assert quali.start == datetime(2021, 7, 31, 14, 0, tzinfo=UTC)
    assert "[[events.pending]]" not in target.read_text(encoding="utf-8")
