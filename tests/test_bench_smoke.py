"""Every benchmark still runs, at a tiny size: the scripts call product code the suite
changes under them (a renamed markup field broke bench_fanout once), and a figure in
bench/RESULTS.md is only worth something while its script can be run again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

TINY = {
    "bench_fanout": ["--telegram", "30", "--discord", "10", "--no-peer", "--no-paid"],
    "bench_timeliness": ["--targets", "200", "--fires", "2"],
    "bench_rebuild": ["--subscribers", "2000"],
    "bench_weekend": ["--fans", "2000"],
    "bench_feed": ["--sessions", "100"],
    "bench_answers": ["--fans", "20", "--subscribers", "50"],
    # bench_processes starts its own PostgreSQL and racebot processes: tests/test_leases_process.py
    # drives the same path.
}


@pytest.mark.parametrize("script", sorted(TINY))
def test_the_benchmark_runs_and_prints_its_table(script: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("RACEBOT_TEST_DATABASE_URL", None)  # the benches choose their own databases
    done = subprocess.run(
        [sys.executable, "-m", f"bench.{script}", *TINY[script], "--no-write"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=100,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    assert len(rows) >= 3, done.stdout[-2000:]  # a header, a rule and at least one figure
