# ruff: noqa: E501  (press releases have long lines; they are kept as written)
"""`racebot import-timetable` and `import-calendar` end to end: files check accepts,
ids that agree, merges that keep what staff wrote, and refusals without tracebacks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.core.schedule import load_file
from tests.test_cli import write_config
from tests.test_releases import ANDERSTORP, TWO_CLASSES

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"

ADRIA = """\
Bäckmans laddade inför Adria
[bookmark: _GoBack]Nu i helgen kör syskonen den fjärde deltävlingen av WTCR på Adria International Raceway i Italien.

Tidsschema för helgens tävling (WTCR deltävling 4):
(alla tidsangivelser avser svensk tid)
Lördag 31 juli:
10:00 Fri träning 1
12:30 Fri träning 2
16:00 Tidskval
Söndag 1 augusti:
11:15 Race 1 – se racet live HÄR
14:00 Race 2 (TBC)

Om banan:
Adria International Raceway
Plats: Adria, Italien
"""


def _seed(name: str) -> Path:
    path = SEEDS / name
    if not path.is_file():
        pytest.skip(f"seed {path} missing")
    return path


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write_config(tmp_path)


def _release(tmp_path: Path, text: str, name: str = "release.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_json_and_out_agree_on_series_and_event_ids(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    release = _release(tmp_path, ANDERSTORP)
    base = ["import-timetable", str(release), "--year", "2023", "--config", str(config)]
    assert main([*base, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    out = tmp_path / "new.toml"
    assert main([*base, "--out", str(out)]) == 0
    series = load_file(out)

    assert {(r["series"], r["event"]) for r in rows} == {("tcr-scandinavia-2023", "r1")}
    assert series.id == "tcr-scandinavia-2023"
    [event] = series.events
    assert event.id == "r1"
    assert event.name == "Anderstorp"
    assert event.circuit == "Anderstorp Raceway"
    assert [s.id for s in event.sessions] == [r["id"] for r in rows if r["start"]]
    untimed = [(r["id"], r["name"]) for r in rows if r["start"] is None]
    assert untimed == [("race2", "Race 2")]  # TBA kept, untimed, same id as the file's
    assert [(p.id, p.name.sv, str(p.day)) for p in event.pending] == [
        ("race2", "Race 2", "2023-05-14")
    ]


def test_new_series_id_starts_a_series_and_check_says_what_is_missing(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    release = _release(tmp_path, ADRIA)
    folder = tmp_path / "schedules"
    folder.mkdir()
    out = folder / "wtcr-2021.toml"
    args = ["import-timetable", str(release), "--year", "2021", "--series", "wtcr-asia-2021"]
    assert main([*args, "--event", "r4", "--out", str(out), "--config", str(config)]) == 0
    err = capsys.readouterr().err
    assert "release.txt:11: link 'se racet live HÄR' has no address" in err
    assert load_file(out).id == "wtcr-asia-2021"

    (tmp_path / "c").mkdir()
    checked = write_config(tmp_path / "c", folder)
    assert main(["check", "--config", str(checked)]) == 0
    report = capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    label_line = next(
        n
        for n, ln in enumerate(text.splitlines(), 1)
        if ln.strip() == 'label = "se racet live HÄR"'
    )
    assert f"warning: {out}:{label_line}: link 'se racet live HÄR' has no url" in report
    assert "no [[drivers]]" in report


def test_out_with_a_known_series_carries_its_drivers_and_links(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    release = _release(tmp_path, ADRIA)
    out = tmp_path / "wtcr.toml"
    args = ["import-timetable", str(release), "--year", "2021", "--series", "wtcr-2021"]
    assert main([*args, "--out", str(out), "--config", str(config)]) == 0
    series = load_file(out)

    assert [d.id for d in series.drivers] == ["andreas", "jessica"]
    event = series.event("r4")  # matched by the dates of the shipped calendar
    assert event is not None
    assert event.name == "Adria"
    race1 = event.session("race1")
    assert race1 is not None
    assert {lk.label for lk in race1.links} >= {"Eurosport", "Kanal 9"}
    race2 = event.session("race2")
    assert race2 is not None
    assert race2.tentative


def test_into_adds_the_event_keeping_comments_and_layout(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "wtcr-2021.toml"
    shutil.copy(ROOT / "schedules" / "wtcr-2021.toml", target)
    before = target.read_text(encoding="utf-8")
    release = _release(tmp_path, ADRIA)
    args = ["import-timetable", str(release), "--year", "2021", "--into", str(target)]
    assert main([*args, "--config", str(config)]) == 0
    assert "replaced event r4" in capsys.readouterr().err
    after = target.read_text(encoding="utf-8")

    head = before.split("[[events]]")[0]
    assert after.startswith(head)  # comments, series, format, drivers, links as written
    untouched = before.split('id = "r5"')[1]
    assert after.endswith(untouched)
    series = load_file(target)
    event = series.event("r4")
    assert event is not None
    assert (event.name, event.first_day.isoformat()) == ("Adria", "2021-07-30")
    assert [s.id for s in event.sessions] == ["fp1", "fp2", "q", "race1", "race2"]
    assert len(series.events) == 8
    # a second import replaces, never duplicates
    assert main([*args, "--config", str(config)]) == 0
    assert len(load_file(target).events) == 8
    assert target.read_text(encoding="utf-8") == after


def test_two_timetables_become_two_events(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    release = _release(tmp_path, TWO_CLASSES)
    base = ["import-timetable", str(release), "--year", "2023", "--config", str(config)]
    assert main([*base, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    out = tmp_path / "two.toml"
    assert main([*base, "--series", "monza-2023", "--out", str(out)]) == 0
    series = load_file(out)

    events = sorted({r["event"] for r in rows})
    assert len(events) == 2
    assert sorted(e.id for e in series.events) == ["r2-tcr-italy", "r3-tcr-europe"]
    assert sum(len(e.sessions) for e in series.events) == 8


@pytest.mark.parametrize("year", ["1999", "2101", "20223"])
def test_year_outside_the_range_is_refused(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str], year: str
) -> None:
    release = _release(tmp_path, ADRIA)
    assert main(["import-timetable", str(release), "--year", year, "--config", str(config)]) == 1
    err = capsys.readouterr().err
    # said in [bot] language, Swedish unless set
    assert f"--year {year} ligger utanför 2000–2100" in err
    assert "tips: Ange helgens eller säsongens år, t.ex. --year 2024." in err
    assert "Traceback" not in err


def test_refusal_names_file_and_line(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    release = _release(tmp_path, ADRIA.replace("12:30 Fri träning 2", "12:30-11:00 Fri träning 2"))
    assert main(["import-timetable", str(release), "--year", "2021", "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert (
        f"{release}:8: ”12:30-11:00 Fri träning 2”: passet slutar (11:00) innan det börjar" in err
    )
    assert "tips: Kontrollera tiderna, t.ex. 10:50–11:35." in err


def test_refusal_is_in_the_configured_language(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    english = config.read_text(encoding="utf-8").replace("[bot]\n", '[bot]\nlanguage = "en"\n')
    config.write_text(english, encoding="utf-8")
    release = _release(tmp_path, ADRIA.replace("12:30 Fri träning 2", "12:30-11:00 Fri träning 2"))
    assert main(["import-timetable", str(release), "--year", "2021", "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert f"{release}:8: '12:30-11:00 Fri träning 2': the session ends (11:00)" in err
    assert "  hint: check the range" in err


# --- season calendars ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "year", "rounds", "adria"),
    [
        ("001_04014a0c8780b8c1.txt", 2021, 8, ("r4", "Adria", "IT", "Europe/Rome", "2021-07-31")),
        (
            "002_d8df62fedd32419d.txt",
            2023,
            6,
            ("r3", "Spa-Francorchamps", "BE", "Europe/Brussels", "2023-06-29"),
        ),
    ],
)
def test_import_calendar_out_writes_dated_weekends(
    tmp_path: Path,
    config: Path,
    capsys: pytest.CaptureFixture[str],
    seed: str,
    year: int,
    rounds: int,
    adria: tuple[str, str, str, str, str],
) -> None:
    out = tmp_path / "season.toml"
    args = ["import-calendar", str(_seed(seed)), "--year", str(year), "--out", str(out)]
    assert main([*args, "--config", str(config)]) == 0
    series = load_file(out)

    assert len(series.events) == rounds
    event = series.event(adria[0])
    assert event is not None
    assert (event.name, event.country, event.track_tz.key, event.first_day.isoformat()) == adria[1:]
    assert all(not e.sessions for e in series.events)


def test_import_calendar_into_keeps_weekends_that_have_times(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "gt4.toml"
    shutil.copy(ROOT / "schedules" / "gt4-european-series-2023.toml", target)
    before = load_file(target)
    args = ["import-calendar", str(_seed("002_d8df62fedd32419d.txt")), "--year", "2023"]
    assert main([*args, "--into", str(target), "--config", str(config)]) == 0
    after = load_file(target)
    assert [e.id for e in after.events] == [e.id for e in before.events]
    assert after.event("r6") == before.event("r6")


def test_import_calendar_refuses_a_line_it_does_not_understand(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "WTCR Kalender 2021:\n3-5 Juni - Nürburgring Nordschleife, Tyskland\n26-27 Juno - Vila Real, Portugal\n"
    release = _release(tmp_path, text)
    assert main(["import-calendar", str(release), "--year", "2021", "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert f"{release}:3: ”26-27 Juno - Vila Real, Portugal”: ”Juno” är ingen månad" in err


def test_seed_out_without_a_series_names_the_event_after_the_circuit(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "jarama.toml"
    seed = str(_seed("000_5cda74f3411325fd.txt"))
    args = ["import-timetable", seed, "--year", "2020", "--out", str(out)]
    assert main([*args, "--config", str(config)]) == 0
    series = load_file(out)
    [event] = series.events
    assert (series.id, event.id, event.round) == ("tcr-europe-2020", "r6", 6)
    assert (event.name, event.circuit, event.country) == ("Jarama", "Circuito del Jarama", "ES")
    assert event.track_tz.key == "Europe/Madrid"
    assert [s.id for s in event.sessions] == ["fp1", "fp2", "q", "race1", "race2"]


def test_into_that_would_break_the_file_leaves_it_untouched(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "wtcr-2021.toml"
    shutil.copy(ROOT / "schedules" / "wtcr-2021.toml", target)
    before = target.read_bytes()
    release = _release(tmp_path, ADRIA)
    # the Adria times given to the Hungaroring weekend (21–22 August): outside its dates
    args = ["import-timetable", str(release), "--year", "2021", "--event", "r5"]
    assert main([*args, "--into", str(target), "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert "outside the weekend 2021-08-21–2021-08-22" in err
    assert "Traceback" not in err
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bot.toml", "release.txt", target.name]


def test_a_failed_write_leaves_no_half_file(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    release = _release(tmp_path, ADRIA)
    blocked = tmp_path / "out.toml"
    blocked.mkdir()  # os.replace onto a directory fails like a full or read-only disk
    args = ["import-timetable", str(release), "--year", "2021", "--out", str(blocked)]
    assert main([*args, "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert f"cannot write {blocked}" in err
    assert "Traceback" not in err
    assert not (tmp_path / ".out.toml.tmp").exists()
    assert blocked.is_dir()


def test_a_calendar_release_given_to_import_timetable_points_to_import_calendar(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = str(_seed("001_04014a0c8780b8c1.txt"))
    assert main(["import-timetable", seed, "--year", "2021", "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert "no timetable found, but a season calendar (line 33)" in err
    assert f"racebot import-calendar {seed} --year 2021" in err


def test_json_marks_provisional_times(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    release = _release(tmp_path, ADRIA)
    args = ["import-timetable", str(release), "--year", "2021", "--json", "--config", str(config)]
    assert main(args) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["id"], r.get("tentative", False)) for r in rows] == [
        ("fp1", False),
        ("fp2", False),
        ("q", False),
        ("race1", False),
        ("race2", True),
    ]
    assert rows[4]["start"] == "2021-08-01T14:00:00+02:00"


INJE_LOCAL = """\
Syskonen Bäckman till Sydkorea
[bookmark: _GoBack]Nu väntar säsongens första Asien-tävling.

Tidsschema för helgens tävling (WTCR deltävling 6):
(alla tider är lokal tid)
Lördag 16 oktober:
10:00 Fri träning 1
14:30 Fri träning 2
Söndag 17 oktober:
08:30 Tidskval
"""


def test_local_time_takes_the_zone_of_the_weekend_the_series_file_knows(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    release = _release(tmp_path, INJE_LOCAL)
    base = ["import-timetable", str(release), "--year", "2021", "--json", "--config", str(config)]
    assert main([*base]) == 1  # no place named, no series: which local time?
    assert "säger inte vilken tidszon det är" in capsys.readouterr().err
    assert main([*base, "--series", "wtcr-2021"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["event"] for r in rows} == {"r6"}
    assert [r["start"] for r in rows] == [
        "2021-10-16T10:00:00+09:00",
        "2021-10-16T14:30:00+09:00",
        "2021-10-17T08:30:00+09:00",
    ]
