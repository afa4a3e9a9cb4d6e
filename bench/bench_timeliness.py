"""How late reminders start going out, with 10,000 planned notifications on the timer.

Why: "starts in 15 minutes" must leave at the due instant, not seconds later, even when a
whole season's reminders sit in APScheduler and many fall due at once. This schedules
10,000 jobs in the production timer (APSchedulerTimer, real clock) due over a few seconds,
several per instant, and measures (a) timer lateness for all of them and (b) for a sample,
due -> first delivery through Engine.fire -> Store.enqueue -> DeliveryWorker -> a recording
Sender. It also reports the cost of plan() for a 10,000-notification catalogue and the
memory the plan plus the 10,000 jobs take.

Run from the repo root:  .venv/bin/python -m bench.bench_timeliness [--jobs N]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench._common import machine_note, percentile, table, today, update_section
from bot.core.audience import Target
from bot.core.clock import SystemClock
from bot.core.markup import Post
from bot.core.model import Catalog, Event, Series, Session, SessionKind, Text
from bot.core.reminders import Planned, plan
from bot.delivery import REQUEUE_EVERY, DeliveryWorker
from bot.platforms.base import Limits
from bot.scheduler import Engine
from bot.store.store import TARGETS_MAX_AGE, ClaimedDelivery, Store
from bot.timers import APSchedulerTimer

STOCKHOLM = ZoneInfo("Europe/Stockholm")
KINDS = (
    SessionKind.PRACTICE,
    SessionKind.PRACTICE,
    SessionKind.QUALIFYING,
    SessionKind.QUALIFYING,
    SessionKind.RACE,
    SessionKind.RACE,
    SessionKind.RACE,
    SessionKind.OTHER,
)


def synthetic_catalog(notifications: int, start: datetime) -> Catalog:
    """Series x weekends x 8 sessions; with leads (60, 15) each weekend plans 25 notices
    (and a digest per day, which goes only to chats that turned it on)."""
    per_event = 1 + 3 * len(KINDS)
    events_needed = max(1, round(notifications / per_event))
    series_count = 4
    per_series = -(-events_needed // series_count)
    series = []
    made = 0
    for s in range(series_count):
        events = []
        for e in range(per_series):
            if made >= events_needed:
                break
            first = start + timedelta(days=7 * e + s, hours=8)
            sessions = tuple(
                Session(
                    id=f"s{k}",
                    name=Text(f"Pass {k}", f"Session {k}"),
                    kind=kind,
                    start=first + timedelta(hours=3 * k),
                )
                for k, kind in enumerate(KINDS)
            )
            day = first.date()
            events.append(
                Event(
                    id=f"r{e + 1}",
                    round=e + 1,
                    name=f"Round {e + 1}",
                    circuit="Monza",
                    country="IT",
                    track_tz=STOCKHOLM,
                    first_day=day,
                    last_day=day + timedelta(days=1),
                    sessions=sessions,
                )
            )
            made += 1
        series.append(Series(id=f"bench-{s}", name=f"Bench {s}", season=2026, events=tuple(events)))
    return Catalog(tuple(series))


def plan_cost(catalog: Catalog, now: datetime, runs: int = 5) -> tuple[float, int]:
    """Median seconds for plan() over the catalogue, and how many notices it planned."""
    times = []
    count = 0
    for _ in range(runs):
        started = time.perf_counter()
        count = len(plan(catalog, now))
        times.append(time.perf_counter() - started)
    return statistics.median(times), count


class RecordingSender:
    """Accepts every post at once; the bench reads timing from the worker's events."""

    name = "bench"
    limits = Limits(global_per_second=1000.0, concurrency=32)

    def __init__(self) -> None:
        self.count = 0

    async def send(self, target: Target, post: Post, *, key: str = "") -> list[str]:
        self.count += 1
        return [str(self.count)]

    async def edit(self, target: Target, message_ids: list[str], post: Post) -> list[str]:
        return message_ids


@dataclass
class Run:
    schedule_s: float
    lead_in: float
    timer_ms: list[float]
    e2e_ms: list[float]
    samples: int
    instants: int


async def measure_lateness(
    jobs: int, window: float, per_instant: int, sample_every: int, targets: int, folder: Path
) -> Run:
    """Schedule ``jobs`` timers; every ``sample_every``-th also fires the real Engine path."""
    clock = SystemClock()
    now = clock.now()
    catalog = synthetic_catalog(jobs, now + timedelta(days=2))
    planned = [p for p in plan(catalog, now) if p.session_key is not None]
    store = await Store.open(f"sqlite:///{folder / 'timeliness.db'}")
    for n in range(targets):
        await store.subscribe("bench", str(1000 + n), now, chat_kind="private")
    timer = APSchedulerTimer()
    engine = Engine(store=store, clock=clock, timer=timer, catalog=catalog)
    first_sent: dict[str, float] = {}
    lateness: list[float] = []
    samples: dict[str, float] = {}  # notification key -> due (epoch seconds)
    finished = asyncio.Event()

    def check() -> None:
        if len(lateness) >= jobs and len(first_sent) >= len(samples):
            finished.set()

    def on_event(what: str, item: ClaimedDelivery, _detail: str) -> None:
        if what == "sent" and item.notification_key not in first_sent:
            first_sent[item.notification_key] = time.time()
            check()

    sender = RecordingSender()
    worker = DeliveryWorker(store, sender, clock, on_event=on_event)
    engine.on_enqueue(lambda _platform: worker.wake())
    worker.start()
    await timer.start()

    instants = max(1, jobs // per_instant)
    lead_in = 2.0 + jobs / 10_000  # leave time to add the jobs before the first is due
    base = clock.now() + timedelta(seconds=lead_in)

    def job(due_ts: float, item: Planned | None) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            lateness.append(time.time() - due_ts)
            check()
            if item is not None:
                await engine.fire(item)

        return run

    wanted = max(1, jobs // sample_every)
    step = max(1, instants // wanted)  # one sampled fire per instant, spread over the window
    started = time.perf_counter()
    for n in range(jobs):
        due = base + timedelta(seconds=window * (n % instants) / instants)
        item = None
        if n < instants and n % step == 0 and len(samples) < min(wanted, len(planned)):
            source = planned[len(samples)]
            item = replace(source, due=due, expires=due + timedelta(minutes=5))
            samples[item.key] = due.timestamp()
        timer.schedule(f"bench-{n}", due, job(due.timestamp(), item))
    schedule_s = time.perf_counter() - started
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(finished.wait(), window + lead_in + 30)
    await timer.stop()
    await worker.stop()
    await store.close()
    e2e = [first_sent[k] - due for k, due in samples.items() if k in first_sent]
    return Run(
        schedule_s,
        lead_in,
        [x * 1000 for x in lateness],
        [x * 1000 for x in e2e],
        len(samples),
        instants,
    )


async def measure_audience(size: int, fires: int, folder: Path, *, streamed: bool) -> list[float]:
    """Fire -> first send (ms) for ``fires`` notifications to ``size`` subscribers each,
    one at a time on an idle worker: the rest of each fan-out is withdrawn once its fire
    returned, so every sample starts from an empty queue. ``streamed=False`` writes every
    row in one transaction before the worker hears of it (the path before issue #16)."""
    from typing import cast

    from sqlalchemy import Table, insert, update

    from bot.store import outbox
    from bot.store.tables import Delivery, Subscription

    saved = (outbox.FIRST_BATCH, outbox.BATCH)
    if not streamed:
        outbox.FIRST_BATCH = outbox.BATCH = 10**9
    clock = SystemClock()
    now = clock.now()
    store = await Store.open(f"sqlite:///{folder / f'audience-{size}-{streamed}.db'}")
    rows = [
        {
            "platform": "bench",
            "chat_id": str(10_000_000 + n),
            "chat_kind": "private",
            "language": "sv",
            "timezone": "Europe/Stockholm",
            "active": True,
            "created_at": now,
            "updated_at": now,
        }
        for n in range(size)
    ]
    async with store.db.write() as conn:
        await conn.execute(insert(cast(Table, Subscription.__table__)), rows)
    catalog = synthetic_catalog(100, now + timedelta(days=2))
    engine = Engine(store=store, clock=clock, timer=APSchedulerTimer(), catalog=catalog)
    # A race's lead: every default fan gets it (practice has only the shortest lead, #14).
    lead = next(
        p
        for p in plan(catalog, now)
        if p.lead is not None
        and (ref := catalog.find(p.session_key or "")) is not None
        and ref.session.kind is SessionKind.RACE
    )
    first: dict[str, float] = {}
    got_first = asyncio.Event()

    def on_event(what: str, item: ClaimedDelivery, _detail: str) -> None:
        if what == "sent" and item.notification_key not in first:
            first[item.notification_key] = time.perf_counter()
            got_first.set()

    worker = DeliveryWorker(store, RecordingSender(), clock, on_event=on_event)
    engine.on_enqueue(lambda _platform: worker.wake())
    worker.start()
    await store.targets()  # in memory, as in a running bot
    # As App.start does once the schedule and every subscriber are loaded: what start-up
    # loaded stays out of the collector's sight (a full collection no longer walks it).
    gc.freeze()
    samples = []
    try:
        for n in range(fires):
            due = clock.now()
            item = replace(lead, key=f"{lead.key}#{n}", due=due, expires=due + timedelta(minutes=5))
            got_first.clear()
            started = time.perf_counter()
            await engine.fire(item)
            await asyncio.wait_for(got_first.wait(), 60)
            samples.append((first[item.key] - started) * 1000)
            async with store.db.write() as conn:  # the rest of this fan-out: withdrawn
                await conn.execute(
                    update(Delivery).where(Delivery.status == "pending").values(status="superseded")
                )
            while (await store.delivery_counts()).get("sending"):  # noqa: ASYNC110
                await asyncio.sleep(0.01)
    finally:
        await worker.stop()
        await store.close()
        gc.unfreeze()
        outbox.FIRST_BATCH, outbox.BATCH = saved
    return samples


async def audience_async(args: argparse.Namespace) -> None:
    sizes = [int(n) for n in args.targets.split(",")]
    rows = []
    for size in sizes:
        for streamed in (True, False):
            with tempfile.TemporaryDirectory(prefix="racebot-bench-") as tmp:
                ms = await measure_audience(size, args.fires, Path(tmp), streamed=streamed)
            how = "streamed batches (now)" if streamed else "one transaction (before)"
            print(f"{size} targets, {how}: p50 {percentile(ms, 50):.1f} ms", flush=True)
            rows.append(
                [
                    str(size),
                    how,
                    str(len(ms)),
                    f"{percentile(ms, 50):.1f}",
                    f"{percentile(ms, 99):.1f}",
                    f"{max(ms):.1f}",
                    "yes" if percentile(ms, 99) <= 50 else "no",
                ]
            )
    result = table(
        ["targets", "enqueue", "fires", "p50 ms", "p99 ms", "max ms", "p99 ≤ 50 ms"], rows
    )
    print()
    print(result)
    if args.no_write:
        return
    body = f"""Taken {today()} on {machine_note()}.

Reproduce: `.venv/bin/python -m bench.bench_timeliness --targets {args.targets} --fires
{args.fires}`.

Fire -> first send for one race's lead reminder to N subscribers (every default fan gets
it; a practice keeps only the shortest lead since #14): the real `Engine.fire` ->
`Store.enqueue` (SQLite) -> `DeliveryWorker` (woken by `on_enqueue`) -> a recording
Sender, the targets already in memory; the clock starts when `fire` is called (the timer's
own lateness is the table above) and stops at the first delivery marked sent. Fires run
one at a time on an idle worker (the rest of each fan-out is withdrawn after its fire
returned), {args.fires} per size. The ideal is a constant (one small batch, one claim, one
send, one mark); the peer is the same code with every row written in one transaction
before the worker is woken, as before issue #16. Goal: p99 ≤ 50 ms at every size.
As in `App.start`, what was loaded before the fires (subscribers, schedule) is frozen out
of the garbage collector's sight (`gc.freeze()`); the audience is chosen batch by batch as
the rows are written, so the work before the first row no longer grows with N. With 10
fires a size's p99 is its slowest fire: one scheduling hiccup on a busy machine shows
there, so compare runs and their load average.

{result}
"""
    update_section("Timeliness by audience size", body)
    print("\nwrote the Timeliness by audience size section of bench/RESULTS.md")


def measure_memory(jobs: int) -> tuple[float, float]:
    """tracemalloc peak (MiB) for building the catalogue, planning and holding the jobs.

    Taken apart from the lateness run because tracing slows every allocation.
    """
    gc.collect()
    tracemalloc.start()
    now = datetime.now(UTC)
    catalog = synthetic_catalog(jobs, now + timedelta(days=2))
    planned = plan(catalog, now)
    timer = APSchedulerTimer()  # not started: jobs wait in the pending list, as before start

    async def noop() -> None:
        return None

    for item in planned:
        timer.schedule(item.key, item.due, noop)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return current / 2**20, peak / 2**20


def maxrss_mib() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 2**20 if sys.platform == "darwin" else rss / 1024


def stats_row(name: str, values: list[float]) -> list[str]:
    return [
        name,
        str(len(values)),
        f"{percentile(values, 50):.1f}",
        f"{percentile(values, 95):.1f}",
        f"{percentile(values, 99):.1f}",
        f"{max(values, default=float('nan')):.1f}",
        "yes" if percentile(values, 99) < 50 else "no",
    ]


async def main_async(args: argparse.Namespace) -> None:
    now = datetime.now(UTC)
    catalog = synthetic_catalog(args.jobs, now + timedelta(days=2))
    plan_s, planned = plan_cost(catalog, now)
    print(f"plan(): {planned} notifications in {plan_s * 1000:.1f} ms (median of 5)", flush=True)
    runs: list[Run] = []
    for n in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="racebot-bench-") as tmp:
            which = f" (run {n + 1} of {args.runs})" if args.runs > 1 else ""
            print(f"timer: {args.jobs} jobs over {args.window:g} s{which} …", flush=True)
            runs.append(
                await measure_lateness(
                    args.jobs,
                    args.window,
                    args.per_instant,
                    args.sample_every,
                    args.targets,
                    Path(tmp),
                )
            )
    run = runs[0]
    current, peak = measure_memory(args.jobs)
    rss = maxrss_mib()
    pooled = f", {args.runs} runs" if args.runs > 1 else ""
    timer_ms = [x for r in runs for x in r.timer_ms]
    e2e_ms = [x for r in runs for x in r.e2e_ms]
    rows = [
        stats_row(f"timer: due -> job runs (all jobs{pooled})", timer_ms),
        stats_row(f"due -> first delivery sent (sample, full path{pooled})", e2e_ms),
    ]
    if args.runs > 1:
        rows += [stats_row(f"full path, run {n + 1}", r.e2e_ms) for n, r in enumerate(runs)]
    lateness = table(["lateness (ms)", "n", "p50", "p95", "p99", "max", "p99 < 50 ms"], rows)
    schedule_s = statistics.median(r.schedule_s for r in runs)
    other = table(
        ["figure", "value"],
        [
            [f"plan() of a {planned}-notification catalogue", f"{plan_s * 1000:.1f} ms"],
            [f"add {args.jobs} jobs to the running timer", f"{schedule_s:.2f} s"],
            ["tracemalloc peak / held: catalogue+plan+jobs", f"{peak:.1f} / {current:.1f} MiB"],
            ["ru_maxrss of the whole bench process", f"{rss:.0f} MiB"],
        ],
    )  # fmt: skip
    print()
    print(lateness)
    print()
    print(other)
    if args.no_write:
        return
    command = "python -m bench.bench_timeliness" + (f" --runs {args.runs}" if args.runs > 1 else "")
    repeated = (
        f"\n\nRepeated {args.runs} times, each with a fresh timer and database: the first two"
        " rows pool\nevery run, the others show each run's full path."
        if args.runs > 1
        else ""
    )
    body = f"""Taken {today()} on {machine_note()}.

Reproduce: `.venv/bin/{command}` (defaults: `--jobs {args.jobs}
--window {args.window:g} --per-instant {args.per_instant} --sample-every {args.sample_every}
--targets {args.targets}`).

{args.jobs} jobs in APSchedulerTimer (APScheduler 3 AsyncIOScheduler, real clock), added
while it runs, due over {args.window:g} s starting {run.lead_in:.1f} s after scheduling
began, {args.per_instant} jobs per instant ({run.instants} instants). Every job records
wall-clock lateness; one job per {args.sample_every} ({run.samples} samples, at most one per
instant, spread over the window) also calls the
real `Engine.fire` -> `Store.enqueue` (SQLite) -> `DeliveryWorker` (woken by `on_enqueue`)
-> a recording Sender with {args.targets} subscribers; its lateness is due -> the first
delivery of that notification marked sent (send returned and the row updated). Goal:
p99 < 50 ms.{repeated}

What one fire costs the database on that path: the targets come from memory
(`Store.targets`, read again after any subscription change or once {TARGETS_MAX_AGE:g} s
old), then one enqueue transaction, one claim transaction (two statements, prepared once)
and mark transactions, each shared by the sends that finished while the one before was
written; leases of crashed workers are handed back every {REQUEUE_EVERY.total_seconds():g} s,
not before each claim.
With {run.samples} samples a run's p99 is its slowest sample or close to it, so a single
garbage-collector pause or scheduling hiccup on a shared machine shows there: compare
several runs (`--runs`).

{lateness}

{other}

Memory is measured apart from the lateness run (tracing slows every allocation).
"""
    update_section("Timeliness", body)
    print("\nwrote the Timeliness section of bench/RESULTS.md")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--jobs", type=int, default=10_000)
    parser.add_argument("--window", type=float, default=8.0, help="seconds the dues spread over")
    parser.add_argument("--per-instant", type=int, default=10, help="jobs sharing one instant")
    parser.add_argument("--sample-every", type=int, default=100, help="full-path sample rate")
    parser.add_argument(
        "--targets",
        default="5",
        help="subscribers per sampled fire; several (1000,5000,20000): fire -> first send"
        " per audience size instead of the timer run",
    )
    parser.add_argument("--fires", type=int, default=10, help="fires per audience size")
    parser.add_argument(
        "--runs", type=int, default=1, help="repeat the lateness run (a noisy machine)"
    )
    parser.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if "," in args.targets or int(args.targets) > 100:
        asyncio.run(audience_async(args))
        return
    args.targets = int(args.targets)
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
