"""Benchmark the calendar feed: build time for a 500-session season, and how many feed
requests per second the aiohttp server answers, with and without a matching ETag.

Run from the repository root:  .venv/bin/python -m bench.bench_feed
The server runs in its own process (as in production) so client and server do not share
one event loop; the figures land in bench/RESULTS.md under "## Calendar feed".
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
from aiohttp import web

from bench._common import RESULTS, machine_note, table, today, update_section
from bot.core.calendar import build_calendar
from bot.core.model import (
    Catalog,
    Event,
    Link,
    LinkKind,
    Series,
    Session,
    SessionKind,
    Text,
)
from bot.store.store import SessionStateInfo
from bot.web import SiteInfo, create_web_app

ROOT = Path(__file__).resolve().parent.parent
HEADING = "Calendar feed"
SESSIONS = 500
BUILD_RUNS = 15
REQUESTS = 2000
CONCURRENCY = 20
START = datetime(2026, 3, 6, 9, 0, tzinfo=UTC)
PUBLIC = "https://race.example.org"
KINDS = (
    (SessionKind.PRACTICE, "Fri träning", "Free Practice"),
    (SessionKind.QUALIFYING, "Tidskval", "Qualifying"),
    (SessionKind.RACE, "Race", "Race"),
)


# -- the synthetic season -----------------------------------------------------------------


def season(sessions: int = SESSIONS) -> Catalog:
    """Five series of 20 weekends with 5 sessions each (500), every session with links."""
    tv = Link("TV", "https://example.com/tv", LinkKind.STREAM)
    timing = Link("Live-timing", "https://example.com/timing", LinkKind.TIMING)
    all_series = []
    per_event, per_series = 5, 20
    for s in range(sessions // (per_event * per_series)):
        events = []
        for e in range(per_series):
            first = START + timedelta(days=7 * e + s)
            items = tuple(
                Session(
                    id=f"s{k + 1}",
                    name=Text(f"{KINDS[k % 3][1]} {k + 1}", f"{KINDS[k % 3][2]} {k + 1}"),
                    kind=KINDS[k % 3][0],
                    start=first + timedelta(hours=3 * k),
                    duration=timedelta(minutes=45),
                    links=(tv, timing),
                )
                for k in range(per_event)
            )
            events.append(
                Event(
                    id=f"r{e + 1}",
                    round=e + 1,
                    name=f"Track {e + 1}",
                    circuit=f"Circuit {e + 1}",
                    country="ES",
                    track_tz=ZoneInfo("Europe/Madrid"),
                    first_day=first.date(),
                    last_day=first.date() + timedelta(days=2),
                    city="Madrid",
                    sessions=items,
                )
            )
        all_series.append(
            Series(id=f"series-{s + 1}", name=f"Series {s + 1}", season=2026, events=tuple(events))
        )
    return Catalog(tuple(all_series))


def states(catalog: Catalog) -> dict[str, SessionStateInfo]:
    stamp = START - timedelta(days=30)
    return {
        ref.key: SessionStateInfo(ref.key, None, False, "x", i % 3, stamp)
        for i, ref in enumerate(catalog.sessions())
    }


@dataclass
class Source:
    catalog: Catalog
    states: dict[str, SessionStateInfo]

    @property
    def clock(self) -> Source:
        return self

    def now(self) -> datetime:
        return START


# -- measuring ----------------------------------------------------------------------------


def build_times(catalog: Catalog, runs: int = BUILD_RUNS) -> tuple[float, int]:
    """Median seconds to build the whole feed with two alarms, and its size in bytes."""
    known = states(catalog)
    times, size = [], 0
    for _ in range(runs):
        began = time.perf_counter()
        text = build_calendar(catalog, known, alarms=(15, 60), now=START, public_url=PUBLIC)
        times.append(time.perf_counter() - began)
        size = len(text.encode())
    return statistics.median(times), size


async def hammer(url: str, headers: dict[str, str], expect: int) -> float:
    """Requests per second for REQUESTS requests, CONCURRENCY at a time."""
    left = iter(range(REQUESTS))
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def worker() -> None:
            for _ in left:
                async with http.get(url, headers=headers) as response:
                    await response.read()
                    assert response.status == expect, response.status

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        return REQUESTS / (time.perf_counter() - began)


async def first_request(url: str) -> tuple[str, float]:
    """The ETag, and the latency of the request that builds the feed (cold cache)."""
    async with aiohttp.ClientSession() as http:
        began = time.perf_counter()
        async with http.get(url) as response:
            await response.read()
            return response.headers["ETag"], time.perf_counter() - began


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def wait_ready(base: str) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(100):
            try:
                async with http.get(f"{base}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the benchmark server did not start")


async def measure_server() -> dict[str, float]:
    port = free_port()
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.bench_feed", "--serve", str(port), cwd=ROOT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_ready(base)
        url = f"{base}/calendar/all.ics"
        etag, cold = await first_request(url)
        full = await hammer(url, {}, 200)
        cached = await hammer(url, {"If-None-Match": etag}, 304)
        return {"cold": cold, "full": full, "not_modified": cached}
    finally:
        server.terminate()
        await asyncio.wait_for(server.wait(), timeout=10)


def serve(port: int) -> None:
    catalog = season()
    app = create_web_app(Source(catalog, states(catalog)), SiteInfo(public_url=PUBLIC))
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


# -- reporting ----------------------------------------------------------------------------


def section(build: float, size: int, server: dict[str, float]) -> str:
    rows = [
        [f"build the feed, {SESSIONS} sessions (median of {BUILD_RUNS})", f"{build * 1000:.1f} ms"],
        ["feed size with 2 alarms per session", f"{size / 1024:.0f} KiB"],
        ["first request (builds and caches the feed)", f"{server['cold'] * 1000:.1f} ms"],
        ["GET, full body (cached feed)", f"{server['full']:.0f} req/s"],
        ["GET with matching If-None-Match (304)", f"{server['not_modified']:.0f} req/s"],
    ]
    return (
        f"Measured {today()} with `python -m bench.bench_feed` on {machine_note()}; but here the "
        f"server runs in its own process (aiohttp {aiohttp.__version__}) and the client beside "
        f"it; load average {os.getloadavg()[0]:.1f} at the end, a shared machine: expect noise.\n"
        f"Synthetic season of {SESSIONS} sessions in 5 series; the requests fetch "
        f"`/calendar/all.ics` without options, {REQUESTS} of them, {CONCURRENCY} at a time.\n\n"
        f"{table(['what', 'figure'], rows)}\n\n"
        "The server keeps each built feed until the engine replaces its catalog or states, "
        "so steady-state requests cost no rebuild; a 304 also saves sending the body."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    catalog = season()
    assert sum(1 for _ in catalog.sessions()) == SESSIONS
    build, size = build_times(catalog)
    server = asyncio.run(measure_server())
    text = section(build, size, server)
    print(text)
    if not args.no_write:
        update_section(HEADING, text)
        print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
