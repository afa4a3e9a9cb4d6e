"""The public web side: subscribable calendar feeds, a small fan page, health and metrics.

Feeds are built from whatever catalog and states the source holds right now (the Engine
replaces both on every change), cached until either object is replaced, and served with
a strong ETag so polling calendar apps mostly get a 304.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from itertools import groupby
from string import Template
from typing import Protocol
from urllib.parse import urlencode

from aiohttp import web
from yarl import URL

from bot.core.calendar import FeedOptions, build_calendar, calendar_urls, parse_options
from bot.core.errors import UserError
from bot.core.model import Catalog, Event, Link, LinkKind, PendingSession, Series, Session
from bot.core.notices import SessionStateInfo
from bot.core.render import (
    country_name,
    dated_weekends,
    dates_only_line,
    event_title,
    pending_when,
    timetable_days,
    weekend_dates,
    words,
)
from bot.core.timeutil import SWEDISH_TIME, day_heading, hhmm
from bot.store.health import Health

CACHE_CONTROL = "public, max-age=300"
FEED_CACHE_SIZE = 64
METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_SAFE_SCHEMES = ("https", "http", "webcal", "tg")


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


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """Where the site lives and where fans can follow the bot."""

    public_url: str
    telegram_url: str | None = None
    discord_url: str | None = None
    bot_name: str = "racebot"


def google_calendar_url(webcal_url: str) -> str:
    """Google Calendar's 'add by URL' page, pre-filled with the feed."""
    return "https://calendar.google.com/calendar/r?" + urlencode({"cid": webcal_url})


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


# -- the page ---------------------------------------------------------------------------

_TEMPLATE_TEXT = resources.files("bot").joinpath("web_static/index.html").read_text("utf-8")
_TEMPLATE = Template(_TEMPLATE_TEXT)
_SCRIPT = re.search(r"<script>(.*?)</script>", _TEMPLATE_TEXT, re.DOTALL)
_SCRIPT_HASH = base64.b64encode(
    hashlib.sha256((_SCRIPT[1] if _SCRIPT else "").encode("utf-8")).digest()
).decode("ascii")
#: Only the page's own inline script may run, whatever text ends up in the page.
PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; "
    f"script-src 'sha256-{_SCRIPT_HASH}'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)


def next_weekend(catalog: Catalog, now: datetime) -> tuple[Series, Event] | None:
    """The first weekend with a session still to end, or a dated one without times before
    it; after the season, the last one."""
    weekends = sorted(
        ((s, e) for s, e in catalog.events() if e.sessions),
        key=lambda pair: pair[1].starts or now,
    )
    upcoming = next((pair for pair in weekends if (pair[1].ends or now) > now), None)
    dated = dated_weekends(catalog, now.astimezone(SWEDISH_TIME).date())
    if dated and (
        upcoming is None
        or dated[0][1].first_day < (upcoming[1].starts or now).astimezone(SWEDISH_TIME).date()
    ):
        return dated[0]  # a weekend from the calendar whose times are not out yet
    return upcoming or (weekends[-1] if weekends else None)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _href(url: str) -> str:
    """An escaped link target, or '#' for anything but web, webcal and Telegram links."""
    return _e(url) if URL(url).scheme in _SAFE_SCHEMES else "#"


def _link_html(link: Link) -> str:
    if not link.url:
        return _e(link.label)
    return f'<a href="{_href(link.url)}" rel="noopener">{_e(link.label)}</a>'


def _links_html(links: Iterable[Link]) -> str:
    return ", ".join(_link_html(link) for link in links)


def _session_row(session: Session) -> str:
    start = session.start.isoformat().replace("+00:00", "Z")
    cancelled = session.cancelled
    tag = ' <span class="tag">Inställt</span>' if cancelled else ""
    if session.tentative and not cancelled:
        tag = f' <span class="tag">{_e(words("sv")["tentative"])}</span>'

    note = f"<br><small>{_e(session.note.sv)}</small>" if session.note else ""
    streams = [lk for lk in session.links if lk.kind is LinkKind.STREAM]
    return (
        f'<tr class="session{" cancelled" if cancelled else ""}" data-utc="{_e(start)}">'
        f'<td class="time">{hhmm(session.start)}</td><td class="local">–</td>'
        f'<td class="name">{_e(session.name.sv)}{tag}{note}</td>'
        f"<td>{_links_html(streams)}</td></tr>"
    )


def _pending_row(pending: PendingSession) -> str:
    """A session without a time: no data-utc, so the page's script gives it no local time."""
    note = f"<br><small>{_e(pending.note.sv)}</small>" if pending.note else ""
    return (
        '<tr class="session pending"><td class="time">–</td><td class="local">–</td>'
        f'<td class="name">{_e(pending.name.sv)} <span class="tag">'
        f"{_e(pending_when(pending, 'sv'))}</span>{note}</td><td></td></tr>"
    )


def _timetable_html(event: Event) -> str:
    parts = ["<h2>Tidsschema</h2>"]
    for day, sessions, pending in timetable_days(event, SWEDISH_TIME):
        rows = "\n".join([*(_session_row(s) for s in sessions), *map(_pending_row, pending)])
        heading = day_heading(day, "sv") if day is not None else words("sv")["other_sessions"]
        parts.append(
            f"<h3>{_e(heading)}</h3>\n<table>\n<thead><tr>"
            '<th>Svensk tid</th><th>Din tid (<span class="visitor-zone">din zon</span>)</th>'
            f"<th>Pass</th><th>Live</th></tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>"
        )
    return "\n".join(parts)


def _unique(links: Iterable[Link]) -> list[Link]:
    return list({(lk.label, lk.url): lk for lk in links}.values())


def _watch_html(event: Event) -> str:
    w = words("sv")
    links = [lk for s in event.sessions for lk in s.links] + list(event.links)
    items = [
        f"<li><strong>{_e(w[word])}:</strong> {_links_html(found)}</li>"
        for word, kind in (("streams", LinkKind.STREAM), ("timing", LinkKind.TIMING))
        if (found := _unique(lk for lk in links if lk.kind is kind))
    ]
    return f"<h2>Se det live</h2>\n<ul>{''.join(items)}</ul>" if items else ""


def _button(url: str, label: str, secondary: bool = False) -> str:
    css = "button secondary" if secondary else "button"
    return f'<li><a class="{css}" href="{_href(url)}" rel="noopener">{_e(label)}</a></li>'


def _subscribe_html(info: SiteInfo) -> str:
    _, webcal = calendar_urls(info.public_url)
    buttons = [
        _button(webcal, "Lägg till i kalendern (iPhone, Mac, Outlook)"),
        _button(google_calendar_url(webcal), "Lägg till i Google Kalender"),
    ]
    if info.telegram_url:
        buttons.append(_button(info.telegram_url, "Följ på Telegram", secondary=True))
    if info.discord_url:
        buttons.append(_button(info.discord_url, "Gå med på Discord", secondary=True))
    return "\n".join(buttons)


def _series_feeds_html(catalog: Catalog, info: SiteInfo) -> str:
    items = []
    for series in catalog.series:
        https, webcal = calendar_urls(info.public_url, series.id)
        items.append(
            f'<li>{_e(f"{series.name} {series.season}")}: <a href="{_href(webcal)}">'
            f'prenumerera</a> · <a href="{_href(https)}">.ics</a></li>'
        )
    return f"<h3>Bara en serie</h3>\n<ul>{''.join(items)}</ul>" if items else ""


def render_page(catalog: Catalog, info: SiteInfo, now: datetime) -> str:
    """The fan page: the next weekend's timetable, where to watch, how to subscribe."""
    found = next_weekend(catalog, now)
    if found is None:
        heading, place, timetable, watch = info.bot_name, "", "<p>Inga race inlagda.</p>", ""
    else:
        series, event = found
        heading = event_title(series, event, "sv")
        where = ", ".join(
            p for p in (event.circuit, event.city, country_name(event.country, "sv")) if p
        )
        today = now.astimezone(SWEDISH_TIME).date()
        place = f"{where} · {weekend_dates(event, 'sv', today)}"
        timetable, watch = _timetable_html(event), _watch_html(event)
        if not event.sessions:
            dates = f"<p>{_e(dates_only_line(event, 'sv', today))}</p>"
            timetable = f"{dates}\n{_timetable_html(event)}" if event.pending else dates
    return _TEMPLATE.substitute(
        page_title=_e(f"{heading} – {info.bot_name}" if found else heading),
        heading=_e(heading),
        place=_e(place),
        timetable=timetable,
        watch=watch,
        subscribe=_subscribe_html(info),
        feed_url=_e(calendar_urls(info.public_url)[0]),
        series_feeds=_series_feeds_html(catalog, info),
        bot_name=_e(info.bot_name),
    )


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
            headers["Content-Disposition"] = f'inline; filename="{series_id or "all"}.ics"'
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
            now=self.source.clock.now(),
            public_url=self.info.public_url,
            calendar_name=self.info.bot_name,
        )

    async def index(self, request: web.Request) -> web.StreamResponse:
        body = render_page(self.source.catalog, self.info, self.source.clock.now())
        headers = {
            "Content-Security-Policy": PAGE_CSP,
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "public, max-age=60",
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
