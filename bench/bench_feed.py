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
from dataclasses import dataclass, replace
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


def build_times(catalog: Catalog, runs: int = BUILD_RUNS) -> dict[str, float]:
    """Seconds to build the whole feed with two alarms: cold (nothing cached: what every
    build cost before the per-event cache), warm (nothing changed, median) and after one
    session was moved (median); and its size in bytes."""
    from bot.core import calendar

    known = states(catalog)
    calendar._TEXTS = calendar._TextCache(calendar._TEXTS.size)  # a cold start
    calendar._SEEN = calendar._SeenCache(calendar._SEEN.size)

    def build(cat: Catalog, st: dict[str, SessionStateInfo]) -> tuple[float, int]:
        began = time.perf_counter()
        text = build_calendar(cat, st, alarms=(15, 60), now=START, public_url=PUBLIC)
        return time.perf_counter() - began, len(text.encode())

    cold, size = build(catalog, known)
    warm = statistics.median(build(catalog, known)[0] for _ in range(runs))
    changed = []
    refs = list(catalog.sessions())
    for n in range(runs):
        ref = refs[(n * 37) % len(refs)]
        moved = replace(ref.session, start=ref.session.start + timedelta(minutes=n + 1))
        catalog = catalog.replace_session(ref.key, moved)
        old = known[ref.key]
        known = {**known, ref.key: replace(old, sequence=old.sequence + 1)}
        changed.append(build(catalog, known)[0])
    return {
        "cold": cold,
        "warm": warm,
        "changed": statistics.median(changed),
        "size": float(size),
    }


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


def section(builds: dict[int, dict[str, float]], server: dict[str, float]) -> str:
    rows = []
    for sessions, b in builds.items():
        rows += [
            [f"{sessions} sessions: cold build (nothing cached)", f"{b['cold'] * 1000:.1f} ms"],
            [
                f"{sessions} sessions: after one session moved (median of {BUILD_RUNS})",
                f"{b['changed'] * 1000:.1f} ms",
            ],
            [
                f"{sessions} sessions: nothing changed (median of {BUILD_RUNS})",
                f"{b['warm'] * 1000:.1f} ms",
            ],
            [f"{sessions} sessions: feed size with 2 alarms each", f"{b['size'] / 1024:.0f} KiB"],
        ]
    rows += [
        ["first request (builds in a thread, caches the feed)", f"{server['cold'] * 1000:.1f} ms"],
        ["GET, full body (cached feed)", f"{server['full']:.0f} req/s"],
        ["GET with matching If-None-Match (304)", f"{server['not_modified']:.0f} req/s"],
    ]
    sizes = ",".join(str(n) for n in builds)
    return (
        f"Measured {today()} with `python -m bench.bench_feed --sessions {sizes}` on "
        f"{machine_note()}; but here the server runs in its own process (aiohttp "
        f"{aiohttp.__version__}) and the client beside it; load average "
        f"{os.getloadavg()[0]:.1f} at the end, a shared machine: expect noise.\n"
        f"Synthetic seasons (5 sessions a weekend, 20 weekends a series, every session with "
        f"links); the requests fetch `/calendar/all.ics` of {SESSIONS} sessions without "
        f"options, {REQUESTS} of them, {CONCURRENCY} at a time. Goal: at most 20 ms for 500 "
        f"sessions after a change.\n\n"
        f"{table(['what', 'figure'], rows)}\n\n"
        "Each VEVENT is serialized once per distinct content and reused while the session is "
        "unchanged, so a change rebuilds its session and its weekend's all-day entry; the "
        "cold build is what every build cost before (2026-11-22: 125 ms for 500). A cold "
        "build in the server runs in a thread, off the event loop. The server keeps each "
        "built feed until the engine replaces its catalog or states; a 304 also saves "
        "sending the body."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--sessions", default=str(SESSIONS), help="comma-separated season sizes, e.g. 500,5000"
    )
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    builds = {}
    for sessions in (int(n) for n in args.sessions.split(",")):
        catalog = season(sessions)
        assert sum(1 for _ in catalog.sessions()) == sessions
        builds[sessions] = build_times(catalog)
        print(f"{sessions} sessions: {builds[sessions]}", flush=True)
    server = asyncio.run(measure_server())
    text = section(builds, server)
    print(text)
    if not args.no_write:
        update_section(HEADING, text)
        print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
