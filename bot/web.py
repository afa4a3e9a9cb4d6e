"""The public web side: subscribable calendar feeds, a small fan page, health and metrics.

Feeds are built from whatever catalog and states the source holds right now (the Engine
replaces both on every change), cached until either object is replaced, and served with
a strong ETag so polling calendar apps mostly get a 304.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Protocol

from aiohttp import web

from bot.core.calendar import FeedOptions, build_calendar, calendar_urls, parse_options
from bot.core.errors import UserError
from bot.core.model import Catalog
from bot.core.notices import SessionStateInfo
from bot.store.health import Health
from bot.web_page import (
    PAGE_CSP,
    SiteInfo,
    google_calendar_url,
    next_weekend,
    page_language,
    render_page,
)

#: The page's names, kept importable from here (``bot.web.SiteInfo``).
__all__ = [
    "SiteInfo",
    "calendar_urls",
    "create_web_app",
    "google_calendar_url",
    "next_weekend",
    "render_page",
]

CACHE_CONTROL = "public, max-age=300"
FEED_CACHE_SIZE = 64
METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class NowSource(Protocol):
    def now(self) -> datetime: ...


class FeedSource(Protocol):
    """What the web side reads; the Engine fits. Replace catalog/states, never mutate them."""

    @property
    def catalog(self) -> Catalog: ...

    @property
    def states(self) -> Mapping[str, SessionStateInfo]: ...

    @property
    def clock(self) -> NowSource: ...


# -- feeds ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Feed:
    body: bytes
    etag: str


class FeedCache:
    """Feeds for the current catalog and states; replacing either object drops them all."""

    def __init__(self, size: int = FEED_CACHE_SIZE) -> None:
        self.size = size
        self._catalog: Catalog | None = None
        self._states: Mapping[str, SessionStateInfo] | None = None
        self._feeds: dict[tuple[str | None, FeedOptions], Feed] = {}

    def get(
        self,
        source: FeedSource,
        key: tuple[str | None, FeedOptions],
        build: Callable[[], str],
    ) -> Feed:
        if self._catalog is not source.catalog or self._states is not source.states:
            self._catalog, self._states = source.catalog, source.states
            self._feeds.clear()
        feed = self._feeds.get(key)
        if feed is None:
            body = build().encode("utf-8")
            feed = Feed(body, hashlib.sha256(body).hexdigest()[:32])
            if len(self._feeds) >= self.size:
                del self._feeds[next(iter(self._feeds))]
            self._feeds[key] = feed
        return feed


def _etag_matches(request: web.Request, etag: str) -> bool:
    """If-None-Match uses the weak comparison (RFC 9110 13.1.2), so W/"x" matches "x"."""
    tags = request.if_none_match or ()
    return any(tag.value in (etag, "*") for tag in tags)


# -- metrics ----------------------------------------------------------------------------


def render_metrics(catalog: Catalog, states: Mapping[str, SessionStateInfo], now: datetime) -> str:
    """Prometheus text format (0.0.4): schedule size and freshness, all gauges.

    racebot_series, racebot_events: loaded series-seasons and weekends;
    racebot_sessions{status}: sessions by status; racebot_upcoming_sessions: not yet ended;
    racebot_schedule_changes: sum of SEQUENCE over sessions (delays, moves, cancellations);
    racebot_next_session_start_seconds: Unix time of the next start (absent if none).
    """
    sessions = [ref.session for ref in catalog.sessions()]
    upcoming = [s for s in sessions if s.end > now and not s.cancelled]
    samples: list[tuple[str, str, dict[str, str], int]] = [
        ("racebot_series", "Series-seasons loaded.", {}, len(catalog.series)),
        ("racebot_events", "Race weekends loaded.", {}, sum(1 for _ in catalog.events())),
    ]
    for status in ("scheduled", "cancelled"):
        count = sum(1 for s in sessions if s.status.value == status)
        samples.append(("racebot_sessions", "Sessions by status.", {"status": status}, count))
    samples.append(("racebot_upcoming_sessions", "Sessions not yet ended.", {}, len(upcoming)))
    changes = sum(state.sequence for state in states.values())
    samples.append(("racebot_schedule_changes", "Sum of session SEQUENCE.", {}, changes))
    if upcoming:
        first = int(min(s.start for s in upcoming).timestamp())
        samples.append(("racebot_next_session_start_seconds", "Next start, Unix.", {}, first))
    return _exposition(samples)


def _exposition(samples: list[tuple[str, str, dict[str, str], int]]) -> str:
    lines: list[str] = []
    for name, group in groupby(samples, key=lambda sample: sample[0]):
        items = list(group)
        lines += [f"# HELP {name} {items[0][1]}", f"# TYPE {name} gauge"]
        for _, _, labels, value in items:
            label_text = ",".join(f'{k}="{v}"' for k, v in labels.items())
            lines.append(f"{name}{{{label_text}}} {value}" if labels else f"{name} {value}")
    return "\n".join(lines) + "\n"


# -- the application --------------------------------------------------------------------


def render_health_metrics(health: Health) -> str:
    """The database's state as gauges: racebot_database_up (0 while degraded),
    racebot_database_degraded_seconds, racebot_database_outages (since start),
    racebot_unrecorded_sends (sent, waiting to be recorded)."""
    samples: list[tuple[str, str, dict[str, str], int]] = [
        ("racebot_database_up", "1 if the database answers writes.", {}, int(not health.degraded)),
        (
            "racebot_database_degraded_seconds",
            "How long the database has been away (0 when up).",
            {},
            int(health.degraded_seconds()),
        ),
        ("racebot_database_outages", "Outages seen since start.", {}, health.outages),
        (
            "racebot_unrecorded_sends",
            "Sends that went out and wait for the database to record them.",
            {},
            sum(health.unrecorded.values()),
        ),
    ]
    return _exposition(samples)


class _Site:
    """The request handlers, sharing the source, the site info and the feed cache."""

    def __init__(self, source: FeedSource, info: SiteInfo, health: Health | None) -> None:
        self.source = source
        self.info = info
        self.health = health
        self.feeds = FeedCache()

    async def feed(self, request: web.Request) -> web.StreamResponse:
        series_id: str | None = request.match_info.get("series", "all")
        catalog = self.source.catalog
        if series_id == "all":
            series_id = None
        elif catalog.get(str(series_id)) is None:
            known = ", ".join(["all", *(s.id for s in catalog.series)])
            return web.Response(
                status=404, text=f"Unknown series {series_id!r}. Known series: {known}\n"
            )
        try:
            options = parse_options(request.query)
        except UserError as exc:
            return web.Response(status=400, text=f"{exc}\n")
        feed = self.feeds.get(
            self.source, (series_id, options), lambda: self._build(series_id, options)
        )
        headers = {"Cache-Control": CACHE_CONTROL}
        if _etag_matches(request, feed.etag):
            response = web.Response(status=304, headers=headers)
        else:
            headers["Content-Disposition"] = f'inline; filename="{series_id or "all"}.ics"'
            response = web.Response(
                body=feed.body, content_type="text/calendar", charset="utf-8", headers=headers
            )
        response.etag = feed.etag
        return response

    def _build(self, series_id: str | None, options: FeedOptions) -> str:
        return build_calendar(
            self.source.catalog,
            self.source.states,
            series_id=series_id,
            language=options.language,
            alarms=options.alarms,
            kinds=options.kinds,
            now=self.source.clock.now(),
            public_url=self.info.public_url,
            calendar_name=self.info.bot_name,
        )

    async def index(self, request: web.Request) -> web.StreamResponse:
        language = page_language(
            request.query, request.headers.get("Accept-Language", ""), self.info.language
        )
        body = render_page(self.source.catalog, self.info, self.source.clock.now(), language)
        headers = {
            "Content-Security-Policy": PAGE_CSP,
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "public, max-age=60",
            "Content-Language": language,
            "Vary": "Accept-Language",
        }
        return web.Response(text=body, content_type="text/html", charset="utf-8", headers=headers)

    async def healthz(self, request: web.Request) -> web.StreamResponse:
        """200 while the bot can do its job; 503 with the reason while the database is
        unreachable or its writes fail (a container HEALTHCHECK then notices)."""
        catalog = self.source.catalog
        body: dict[str, object] = {
            "status": "ok",
            "series": len(catalog.series),
            "sessions": sum(1 for _ in catalog.sessions()),
            "now": self.source.clock.now().isoformat(),
        }
        status = 200
        if self.health is not None:
            body.update(self.health.snapshot())
            if self.health.degraded:
                body["status"] = "degraded"
                status = 503
        return web.json_response(body, status=status, headers={"Cache-Control": "no-store"})

    async def metrics(self, request: web.Request) -> web.StreamResponse:
        text = render_metrics(self.source.catalog, self.source.states, self.source.clock.now())
        if self.health is not None:
            text += render_health_metrics(self.health)
        headers = {"Content-Type": METRICS_TYPE, "Cache-Control": "no-store"}
        return web.Response(body=text.encode("utf-8"), headers=headers)


def create_web_app(
    source: FeedSource, info: SiteInfo, health: Health | None = None
) -> web.Application:
    """Routes: /, /calendar/all.ics, /calendar/{series}.ics, /healthz, /metrics (GET and HEAD).

    ``health`` (the Store's) makes /healthz and /metrics tell the database's state.
    """
    site = _Site(source, info, health)
    app = web.Application()
    app.router.add_get("/", site.index)
    app.router.add_get("/calendar/all.ics", site.feed)
    app.router.add_get("/calendar/{series}.ics", site.feed)
    app.router.add_get("/healthz", site.healthz)
    app.router.add_get("/metrics", site.metrics)
    return app
