"""Seed 004 (WTCR 2021 round 2, Estoril) entered by staff in `racebot shell` reproduces
the press release's per-driver results and standings numbers."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.helpers import SCHEDULES, SEEDS

COMMANDS = [
    "/result fp1 andreas 21 jessica 22",
    "/result free practice 2 andreas 16 jessica 21",
    "/result q andreas 19 jessica 20",
    "/result race1 andreas 15 jessica 16",
    "/result race 2 andreas 17 jessica 16",
]


def _seed_004() -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed press releases are not available at {SEEDS}")
    path = next(SEEDS.glob("004_*.txt"))
    return re.sub(r"\[bookmark: [^\]]*\]", "", path.read_text(encoding="utf-8"))


def _between(text: str, first: str, last: str) -> list[str]:
    lines = [ln.strip() for ln in text.splitlines()]
    start = lines.index(first)
    end = lines.index(last, start)
    return [ln for ln in lines[start : end + 1] if ln]


def test_seed_results_and_standings_entered_in_the_shell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = _seed_004()
    standings = _between(
        seed,
        "FIA World Touring Car Cup for Drivers WTCR – Overall (Top 3)",
        "11: Target Competition, 3 p.",
    )
    script = [line for command in COMMANDS for line in (command, "/publish")]
    script += ["/standings <<", *standings, ".", "/publish", "/results", "/quit"]
    config = tmp_path / "bot.toml"
    config.write_text(
        f'[bot]\nschedules = "{SCHEDULES}"\nlanguage = "en"\n\n'
        f'[storage]\nurl = "sqlite:///{tmp_path}/racebot.db"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(script) + "\n"))
    assert main(["shell", "--config", str(config), "--at", "2021-06-28T12:00:00+02:00"]) == 0
    out = capsys.readouterr().out

    results = _between(seed, "Andreas’ results:", "Race 2: 16th place")
    summary = out[out.rindex("Results") :]  # the /results answer at the end
    for expected in results:
        assert expected in summary, expected
    for row in ("1: Jean-Karl Vernay (FRA), 61 p.", "3: Jessica Bäckman (SWE), 71 p."):
        assert row in summary
    assert "11: Target Competition, 3 p." in summary
    assert "Traceback" not in out
