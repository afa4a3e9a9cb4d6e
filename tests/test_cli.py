"""`racebot` commands run in-process (and `racebot run` as a real process)."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from bot.cli import main
from tests.builders import knutstorp_2026, schedule_toml, session
from tests.helpers import ROOT, SCHEDULES, SEEDS, write_schedule

JARAMA = ["--series", "tcr-europe-2020", "--event", "r6"]


def write_config(tmp_path: Path, schedules: Path = SCHEDULES, extra: str = "") -> Path:
    path = tmp_path / "bot.toml"
    path.write_text(
        f'[bot]\nschedules = "{schedules}"\n\n'
        f'[storage]\nurl = "sqlite:///{tmp_path}/racebot.db"\n\n'
        f"[web]\nenabled = false\n{extra}",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write_config(tmp_path)


def test_check_accepts_the_shipped_schedules(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "config OK" in out
    assert "3 schedule files OK" in out


BROKEN = schedule_toml(
    "broken-2026",
    "Broken Cup",
    2026,
    [knutstorp_2026(session("race1", "Race 1", "rally", datetime(2026, 6, 6, 12, 0)))],
)


def test_check_reports_file_and_line_for_a_broken_schedule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "schedules"
    write_schedule(folder, "broken-2026.toml", BROKEN)
    config = write_config(tmp_path, folder)
    assert main(["check", "--config", str(config)]) == 1
    captured = capsys.readouterr()
    assert "broken-2026.toml:19" in captured.err  # the `kind = "rally"` line
    assert "Traceback" not in captured.err


def test_schedule_in_swedish(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "--config", str(config), *JARAMA]) == 0
    out = capsys.readouterr().out
    assert "Fredag 6 november" in out
    assert "10:50 Fri träning 1" in out
    assert "11:15 Race 1" in out


def test_schedule_in_english(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "--config", str(config), *JARAMA, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Friday 6 November" in out
    assert "Free Practice 1" in out


def test_schedule_in_another_zone(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "--config", str(config), *JARAMA, "--tz", "Asia/Seoul"]) == 0
    out = capsys.readouterr().out
    assert "18:50" in out  # 10:50 CET = 18:50 KST
    assert "10:50 Fri träning 1" not in out


def test_schedule_json(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "--config", str(config), *JARAMA, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == ["fp1", "fp2", "q", "race1", "race2"]
    for row in rows:
        assert {"series", "event", "id", "name", "kind", "start", "end", "streams"} <= set(row)
        assert row["series"] == "tcr-europe-2020"
        assert row["event"] == "r6"
        assert isinstance(row["streams"], list)
    assert rows[0]["start"] == "2020-11-06T10:50:00+01:00"
    assert rows[0]["kind"] == "practice"
    assert rows[3]["start"] == "2020-11-07T11:15:00+01:00"


def test_schedule_unknown_series(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "--config", str(config), "--series", "nope"]) == 1
    err = capsys.readouterr().err
    assert "tcr-europe-2020/r6" in err
    assert "wtcr-2021" in err
    assert "Traceback" not in err


def test_schedule_bad_zone(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "--config", str(config), *JARAMA, "--tz", "Mars/Olympus"]) == 1
    err = capsys.readouterr().err
    assert "Mars/Olympus" in err
    assert "Traceback" not in err


def _seed() -> Path:
    found = sorted(SEEDS.glob("000_*.txt"))
    if not found:
        pytest.skip(f"seed press release missing in {SEEDS}")
    return found[0]


def test_import_timetable_matches_the_shipped_schedule(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = _seed()
    args = ["import-timetable", str(seed), "--year", "2020", *JARAMA, "--config", str(config)]
    assert main([*args, "--json"]) == 0
    imported = json.loads(capsys.readouterr().out)
    assert main(["schedule", "--config", str(config), *JARAMA, "--json"]) == 0
    shipped = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["start"]) for r in imported] == [(r["id"], r["start"]) for r in shipped]


def test_import_timetable_out_writes_a_file_check_accepts(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = _seed()
    folder = tmp_path / "imported"
    folder.mkdir()
    out = folder / "tcr-europe-2020.toml"
    args = ["import-timetable", str(seed), "--year", "2020", *JARAMA, "--config", str(config)]
    assert main([*args, "--out", str(out)]) == 0
    assert out.is_file()
    capsys.readouterr()
    (tmp_path / "c").mkdir()
    checked = write_config(tmp_path / "c", folder)
    assert main(["check", "--config", str(checked)]) == 0, capsys.readouterr().err
    assert "1 schedule files OK" in capsys.readouterr().out


def test_import_timetable_bad_zone(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = _seed()
    args = ["import-timetable", str(seed), "--year", "2020", "--tz", "Nowhere/Land"]
    assert main([*args, "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert "Nowhere/Land" in err
    assert "Traceback" not in err


def test_import_timetable_missing_file(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import-timetable", "/nonexistent.txt", "--year", "2020"]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_demo_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--speed", "0"]) == 0
    out = capsys.readouterr().out
    assert out.count("LIVE NU") == 2  # the races: the only sessions with a stream
    assert out.count("startar nu") == 1  # qualifying: live timing; practice has no live post
    assert out.count("Fri träning 1 – Jarama startar om") == 1
    assert "flyttas" in out
    assert "Slut på demon" in out


def test_shell_from_stdin(
    config: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    script = "/help\n/next\n/delay race1 abc\n/quit\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(script))
    code = main(["shell", "--config", str(config), "--at", "2020-11-07T10:00:00+01:00"])
    out = capsys.readouterr().out
    assert code == 0
    assert "/next" in out  # the help lists the commands
    assert "Race 1" in out  # /next at Saturday 10:00 is Race 1
    assert "abc" in out  # the usage error quotes the bad number


def test_shell_bad_start(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["shell", "--config", str(config), "--at", "tomorrow"]) == 1
    assert "--at" in capsys.readouterr().err


@pytest.mark.slow
def test_run_starts_reports_platforms_and_stops_on_sigterm(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("RACEBOT_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", "--config", str(config)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + 20
    try:
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "Nothing upcoming" in line:  # the start line after the platforms' ones
                break
        text = "".join(lines)
        assert "telegram: off (no token" in text, text
        assert "discord: off (no token" in text, text
        # Start lines, not warnings (the CLI logs at INFO).
        notes = [line for line in lines if ": off (no token" in line]
        assert len(notes) == 2, lines
        assert all(" INFO bot.app: " in line for line in notes), notes
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        rest, _ = proc.communicate(timeout=10)
        assert time.monotonic() - started < 5
        assert proc.returncode == 0, rest
        assert "Traceback" not in text + rest
        # The shipped schedules are past seasons: the operator is told what to do.
        assert " INFO bot.app: Nothing upcoming: the last weekend in " in text
        assert "add the next season's file" in text
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
