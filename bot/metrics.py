"""Prometheus metrics: one registry per App, written by the senders, read by ``/metrics``.

The delivery worker reports each outbox row's outcome (``delivery``) and times each
platform call (``sending``); the answer lane does the same for command answers
(``answer``, ``sending``). What is a state rather than an event (the schedule, the
database, the queue, the platforms) is read when scraped: the schedule and health
collectors here, and the ``before_scrape`` callbacks the App registers (queue depth).

Metric names (all prefixed ``racebot_``):

- ``deliveries_total{platform,outcome}``: sent, failed, retried, expired, gone, moved, and
  late (sent, but more than ``late_after`` seconds after it was due; also counted as sent);
- ``answers_total{platform,outcome}``: sent, dropped;
- ``delivery_lateness_seconds{platform}``: due → sent, per sent row (histogram);
- ``send_latency_seconds{platform,lane}``: one platform call, lane broadcast or answer;
- ``queue_depth{platform,lane}``: outbox rows waiting or in flight, answers waiting;
- ``platform_up{platform}``, ``degraded`` (1 while the database or a platform is away);
- the schedule gauges (``series``, ``events``, ``sessions{status}``, ``upcoming_sessions``,
  ``schedule_changes``, ``next_session_start_seconds``), the database gauges
  (``database_up``, ``database_degraded_seconds``, ``database_outages``,
  ``unrecorded_sends``), and the client library's process_*, python_* and gc metrics.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from prometheus_client import (
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from bot.core.model import Catalog
    from bot.core.notices import SessionStateInfo
    from bot.store.health import Health

log = logging.getLogger(__name__)

#: The exposition format ``generate_latest`` writes (Prometheus text 0.0.4).
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
#: The worker's event names → the outcome label.
OUTCOMES = {
    "sent": "sent",
    "retry": "retried",
    "failed": "failed",
    "expired": "expired",
    "gone": "gone",
    "moved": "moved",
}
LATE_AFTER = 60.0
LATENESS_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600)
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """The App's metrics; a worker or lane built without one gets its own, unscraped."""

    def __init__(self, *, late_after: float = LATE_AFTER, process: bool = False) -> None:
        self.late_after = late_after
        self.registry = CollectorRegistry()
        r = self.registry
        self.deliveries = Counter(
            "racebot_deliveries",
            "Outbox deliveries by outcome; late ones are sent too.",
            ["platform", "outcome"],
            registry=r,
        )
        self.answers = Counter(
            "racebot_answers", "Command answers by outcome.", ["platform", "outcome"], registry=r
        )
        self.lateness = Histogram(
            "racebot_delivery_lateness_seconds",
            "From when a post was due to when it was sent.",
            ["platform"],
            buckets=LATENESS_BUCKETS,
            registry=r,
        )
        self.latency = Histogram(
            "racebot_send_latency_seconds",
            "How long one call to the platform took.",
            ["platform", "lane"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.queue = Gauge(
            "racebot_queue_depth", "Waiting or in flight.", ["platform", "lane"], registry=r
        )
        self.lease = Gauge(
            "racebot_lease_held",
            "1 while this process holds the platform's lease (polls and sends for it), "
            "0 while it stands by for another process.",
            ["platform"],
            registry=r,
        )
        self._scrapers: list[Callable[[], Awaitable[None]]] = []
        if process:  # the client library's process, Python and GC metrics
            for collector in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):
                r.register(collector)

    def add_platform(self, platform: str) -> None:
        """Show every outcome of ``platform`` from the start, at 0."""
        for outcome in (*OUTCOMES.values(), "late"):
            self.deliveries.labels(platform, outcome)
        for outcome in ("sent", "dropped"):
            self.answers.labels(platform, outcome)
        self.lateness.labels(platform)

    # -- what the senders call -------------------------------------------------------------

    def delivery(self, platform: str, event: str, due: datetime | None, now: datetime) -> None:
        """One outbox row's outcome (the worker's event name); a send also its lateness."""
        outcome = OUTCOMES.get(event)
        if outcome is None:
            return
        self.deliveries.labels(platform, outcome).inc()
        if outcome == "sent" and due is not None:
            late = max(0.0, (now - due).total_seconds())
            self.lateness.labels(platform).observe(late)
            if late > self.late_after:
                self.deliveries.labels(platform, "late").inc()

    def answer(self, platform: str, sent: bool) -> None:
        self.answers.labels(platform, "sent" if sent else "dropped").inc()

    @contextlib.contextmanager
    def sending(self, platform: str, lane: str) -> Iterator[None]:
        """Time one platform call, whatever it ends with."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.latency.labels(platform, lane).observe(time.perf_counter() - started)

    # -- scraping --------------------------------------------------------------------------

    def before_scrape(self, refresh: Callable[[], Awaitable[None]]) -> None:
        """Run ``refresh`` (e.g. read the queue depth from the database) before each scrape."""
        self._scrapers.append(refresh)

    def watch(self, collector: Collector) -> None:
        self.registry.register(collector)

    async def render(self) -> bytes:
        for refresh in self._scrapers:
            try:
                await refresh()
            except Exception as exc:  # the database is away: the last values stay
                log.debug("metrics: %s", exc)
        return generate_latest(self.registry)


def _gauge(name: str, doc: str, value: float, labels: Mapping[str, str] | None = None) -> Metric:
    family = GaugeMetricFamily(name, doc, labels=list(labels or ()))
    family.add_metric(list((labels or {}).values()), value)
    return family


class ScheduleCollector(Collector):
    """Schedule size and freshness, read from ``read()`` = (catalog, states, now)."""

    def __init__(
        self, read: Callable[[], tuple[Catalog, Mapping[str, SessionStateInfo], datetime]]
    ) -> None:
        self.read = read

    def collect(self) -> Iterable[Metric]:
        catalog, states, now = self.read()
        sessions = [ref.session for ref in catalog.sessions()]
        upcoming = [s for s in sessions if s.end > now and not s.cancelled]
        yield _gauge("racebot_series", "Series-seasons loaded.", len(catalog.series))
        yield _gauge("racebot_events", "Race weekends loaded.", sum(1 for _ in catalog.events()))
        by_status = GaugeMetricFamily("racebot_sessions", "Sessions by status.", labels=["status"])
        for status in ("scheduled", "cancelled"):
            by_status.add_metric([status], sum(1 for s in sessions if s.status.value == status))
        yield by_status
        yield _gauge("racebot_upcoming_sessions", "Sessions not yet ended.", len(upcoming))
        changes = sum(state.sequence for state in states.values())
        yield _gauge("racebot_schedule_changes", "Sum of session SEQUENCE.", changes)
        if upcoming:
            first = min(s.start for s in upcoming).timestamp()
            yield _gauge("racebot_next_session_start_seconds", "Next start, Unix.", first)


class HealthCollector(Collector):
    """The database's state, and ``degraded``: 1 while the database or a platform is away.

    ``platforms`` maps each platform to why it is down, or None while it is up.
    """

    def __init__(self, health: Health | None, platforms: Mapping[str, str | None]) -> None:
        self.health = health
        self.platforms = platforms

    def collect(self) -> Iterable[Metric]:
        down = any(reason is not None for reason in self.platforms.values())
        health = self.health
        if health is not None:
            down = down or health.degraded
            answers = "1 if the database answers writes."
            yield _gauge("racebot_database_up", answers, int(not health.degraded))
            away = "How long the database has been away (0 when up)."
            yield _gauge("racebot_database_degraded_seconds", away, health.degraded_seconds())
            yield _gauge("racebot_database_outages", "Outages seen since start.", health.outages)
            waiting = "Sends that went out and wait for the database to record them."
            yield _gauge("racebot_unrecorded_sends", waiting, sum(health.unrecorded.values()))
        yield _gauge("racebot_degraded", "1 while the database or a platform is away.", int(down))
        if self.platforms:
            connected = GaugeMetricFamily(
                "racebot_platform_up", "1 while the platform is connected.", labels=["platform"]
            )
            for name, reason in sorted(self.platforms.items()):
                connected.add_metric([name], int(reason is None))
            yield connected
