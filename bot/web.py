"""The public web side: subscribable calendar feeds, a small fan page, health and metrics.

Feeds are built from whatever catalog and states the source holds right now (the Engine
replaces both on every change), cached until either object is replaced, and served with
a strong ETag so polling calendar apps mostly get a 304.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from aiohttp import web

from bot.core.calendar import FeedOptions, build_calendar, calendar_urls, parse_options
from bot.core.errors import UserError
from bot.core.feeds import EPOCH, feed_links, read_token
from bot.core.model import Catalog
from bot.core.notices import SessionStateInfo
from bot.metrics import CONTENT_TYPE, HealthCollector, Metrics, ScheduleCollector
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

    def lookup(self, source: FeedSource, key: tuple[str | None, FeedOptions]) -> Feed | None:
        """The feed built for the source's current catalog and states, if any."""
        if self._catalog is not source.catalog or self._states is not source.states:
            self._catalog, self._states = source.catalog, source.states
            self._feeds.clear()
        return self._feeds.get(key)

    def store(
        self,
        built_from: tuple[Catalog, Mapping[str, SessionStateInfo]],
        key: tuple[str | None, FeedOptions],
        text: str,
    ) -> Feed:
        """Keep a feed built from ``built_from``, unless that was replaced meanwhile."""
        body = text.encode("utf-8")
        feed = Feed(body, hashlib.sha256(body).hexdigest()[:32])
        catalog, states = built_from
        if catalog is self._catalog and states is self._states:
            if len(self._feeds) >= self.size:
                del self._feeds[next(iter(self._feeds))]
            self._feeds[key] = feed
        return feed


def _etag_matches(request: web.Request, etag: str) -> bool:
    """If-None-Match uses the weak comparison (RFC 9110 13.1.2), so W/"x" matches "x"."""
    tags = request.if_none_match or ()
    return any(tag.value in (etag, "*") for tag in tags)


# -- the application --------------------------------------------------------------------


class _Site:
    """The request handlers, sharing the source, the site info and the feed cache."""

    def __init__(
        self,
        source: FeedSource,
        info: SiteInfo,
        health: Health | None,
        metrics: Metrics,
        platforms: Mapping[str, str | None],
        feed_secret: bytes,
    ) -> None:
        self.feed_secret = feed_secret
        self.source = source
        self.info = info
        self.health = health
        self.metrics = metrics
        self.platforms = platforms
        #: ``held`` or ``standby`` per platform under a lease (several processes, bot.leases).
        self.leases: Mapping[str, str] = {}
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
        return await self._serve(request, series_id, options, series_id or "all")

    def _personal(self, request: web.Request) -> FeedOptions:
        options = read_token(request.match_info["token"], self.feed_secret)
        if options is None:  # not signed by this bot: indistinguishable from no feed
            raise web.HTTPNotFound(text="No such calendar feed.\n")
        return options

    async def personal_feed(self, request: web.Request) -> web.StreamResponse:
        """A chat's own feed (``bot.core.feeds``): its series, kinds, language, alarms."""
        return await self._serve(request, None, self._personal(request), "racebot")

    async def open_feed(self, request: web.Request) -> web.StreamResponse:
        """An https link for chat buttons that opens the feed as webcal:// (Apple)."""
        self._personal(request)
        links = feed_links(self.info.public_url, request.match_info["token"], "", EPOCH)
        raise web.HTTPFound(links.webcal)

    async def _serve(
        self, request: web.Request, series_id: str | None, options: FeedOptions, name: str
    ) -> web.StreamResponse:
        key = (series_id, options)
        feed = self.feeds.lookup(self.source, key)
        if feed is None:
            # Built in a thread: only what changed is serialized again (see
            # bot.core.calendar), but a cold build of 500 sessions takes ~100 ms, which the
            # event loop (answers, timers) should not wait for.
            built_from = (self.source.catalog, self.source.states)
            text = await asyncio.to_thread(self._build, built_from, series_id, options)
            feed = self.feeds.store(built_from, key, text)
        headers = {"Cache-Control": CACHE_CONTROL}
        if _etag_matches(request, feed.etag):
            response = web.Response(status=304, headers=headers)
        else:
            headers["Content-Disposition"] = f'inline; filename="{name}.ics"'
            response = web.Response(
                body=feed.body, content_type="text/calendar", charset="utf-8", headers=headers
            )
        response.etag = feed.etag
        return response

    def _build(
        self,
        built_from: tuple[Catalog, Mapping[str, SessionStateInfo]],
        series_id: str | None,
        options: FeedOptions,
    ) -> str:
        catalog, states = built_from
        return build_calendar(
            catalog,
            states,
            series_id=series_id,
            language=options.language,
            alarms=options.alarms,
            kinds=options.kinds,
            series_ids=options.series,
            now=self.source.clock.now(),
            public_url=self.info.public_url,
            calendar_name=self.info.bot_name,
            home=self.info.home,
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
        unreachable or its writes fail, or a platform is not connected (yet), naming it
        (a container HEALTHCHECK then notices)."""
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
        if self.leases:  # a platform another process holds is not down here: it stands by
            body["leases"] = dict(sorted(self.leases.items()))
        if self.platforms:
            body["platforms"] = {
                name: {"status": "ok"} if reason is None else {"status": "down", "reason": reason}
                for name, reason in sorted(self.platforms.items())
            }
            down = sorted(name for name, reason in self.platforms.items() if reason is not None)
            if down:
                body["status"] = "degraded"
                reasons = [str(body.get("reason") or "")]
                reasons += [f"{name} not connected: {self.platforms[name]}" for name in down]
                body["reason"] = "; ".join(r for r in reasons if r)
                status = 503
        return web.json_response(body, status=status, headers={"Cache-Control": "no-store"})

    async def scrape(self, request: web.Request) -> web.StreamResponse:
        headers = {"Content-Type": CONTENT_TYPE, "Cache-Control": "no-store"}
        return web.Response(body=await self.metrics.render(), headers=headers)


def create_web_app(
    source: FeedSource,
    info: SiteInfo,
    health: Health | None = None,
    *,
    metrics: Metrics | None = None,
    platforms: Mapping[str, str | None] | None = None,
    feed_secret: bytes = b"",
    leases: Mapping[str, str] | None = None,
) -> web.Application:
    """Routes: /, /calendar/all.ics, /calendar/{series}.ics, a chat's own feed
    /calendar/feed/{token}.ics and its webcal redirect /calendar/open/{token}, /healthz,
    /metrics (GET and HEAD). ``feed_secret`` signs and checks the personal feeds' tokens.

    ``health`` (the Store's) makes /healthz and /metrics tell the database's state;
    ``platforms`` (name → why it is down, None while up) theirs; ``metrics`` is the App's
    registry (see bot.metrics), to which the schedule and health gauges are added here.
    """
    metrics = metrics or Metrics()
    platforms = {} if platforms is None else platforms
    metrics.watch(ScheduleCollector(lambda: (source.catalog, source.states, source.clock.now())))
    metrics.watch(HealthCollector(health, platforms))
    site = _Site(source, info, health, metrics, platforms, feed_secret)
    if leases is not None:
        site.leases = leases
    app = web.Application()
    app.router.add_get("/", site.index)
    app.router.add_get("/calendar/all.ics", site.feed)
    app.router.add_get("/calendar/{series}.ics", site.feed)
    app.router.add_get("/calendar/feed/{token}.ics", site.personal_feed)
    app.router.add_get("/calendar/open/{token}", site.open_feed)
    app.router.add_get("/healthz", site.healthz)
    app.router.add_get("/metrics", site.scrape)
    return app
