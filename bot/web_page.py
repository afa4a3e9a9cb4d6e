"""The fan page (``/``): the next weekend's timetable, where to watch, how to subscribe;
after the season, that it is over and the weekends that were. In the visitor's language
(``?lang=en``, else the browser's Accept-Language, else the bot's), every word from the
text catalogue, every dynamic string escaped.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from string import Template
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from yarl import URL

from bot.core.calendar import calendar_urls
from bot.core.model import Catalog, Event, Link, LinkKind, PendingSession, Series, Session
from bot.core.render import (
    country_name,
    dated_weekends,
    dates_only_line,
    event_title,
    pending_when,
    timetable_days,
    weekend_dates,
)
from bot.core.texts import LANGUAGES, capitalized, texts, zone_words
from bot.core.timeutil import SWEDISH_TIME, date_range, day_heading, hhmm

_SAFE_SCHEMES = ("https", "http", "webcal", "tg")


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """Where the site lives and where fans can follow the bot."""

    public_url: str
    telegram_url: str | None = None
    discord_url: str | None = None
    bot_name: str = "racebot"
    #: The page's language when the visitor's browser asks for neither sv nor en.
    language: str = "sv"
    #: ``[bot] timezone``: the zone the page's timetable speaks ("Svensk tid").
    home: ZoneInfo = SWEDISH_TIME


def google_calendar_url(webcal_url: str) -> str:
    """Google Calendar's 'add by URL' page, pre-filled with the feed."""
    return "https://calendar.google.com/calendar/r?" + urlencode({"cid": webcal_url})


def page_language(query: Mapping[str, str], accept_language: str, default: str = "sv") -> str:
    """``?lang=en`` wins; else the first of sv/en the browser prefers (``en-GB,en;q=0.9``);
    else ``default``."""
    asked = query.get("lang", "").strip().lower()[:2]
    if asked in LANGUAGES:
        return asked
    ranked: list[tuple[float, int, str]] = []
    for n, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        match = re.search(r"q=([^;\s]*)", params)
        if match:
            try:
                weight = float(match[1])
            except ValueError:
                weight = 0.0  # a weight nobody can read is no preference
        code = tag.strip().lower()[:2]
        if code in LANGUAGES and weight > 0:
            ranked.append((-weight, n, code))
    return min(ranked)[2] if ranked else default


# -- which weekend ----------------------------------------------------------------------


def _timed(catalog: Catalog, now: datetime) -> list[tuple[Series, Event]]:
    return sorted(
        ((s, e) for s, e in catalog.events() if e.sessions), key=lambda pair: pair[1].starts or now
    )


def upcoming_weekend(
    catalog: Catalog, now: datetime, home: ZoneInfo = SWEDISH_TIME
) -> tuple[Series, Event] | None:
    """The first weekend with a session still to end, or a dated one without times before
    it; None when the season is over."""
    upcoming = next((pair for pair in _timed(catalog, now) if (pair[1].ends or now) > now), None)
    dated = dated_weekends(catalog, now.astimezone(home).date())
    if dated and (
        upcoming is None
        or dated[0][1].first_day < (upcoming[1].starts or now).astimezone(home).date()
    ):
        return dated[0]  # a weekend from the calendar whose times are not out yet
    return upcoming


def next_weekend(
    catalog: Catalog, now: datetime, home: ZoneInfo = SWEDISH_TIME
) -> tuple[Series, Event] | None:
    """The upcoming weekend; after the season, the last one."""
    weekends = _timed(catalog, now)
    return upcoming_weekend(catalog, now, home) or (weekends[-1] if weekends else None)


def past_weekends(
    catalog: Catalog, now: datetime, home: ZoneInfo = SWEDISH_TIME
) -> list[tuple[Series, Event]]:
    """The weekends that are over, latest first."""
    today = now.astimezone(home).date()
    over = [
        (s, e) for s, e in catalog.events() if (e.ends <= now if e.ends else e.last_day < today)
    ]
    return sorted(over, key=lambda pair: (pair[1].last_day, pair[0].id), reverse=True)


# -- pieces -----------------------------------------------------------------------------


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _href(url: str) -> str:
    """An escaped link target, or '#' for anything but web, webcal and Telegram links."""
    return _e(url) if URL(url).scheme in _SAFE_SCHEMES else "#"


def _link_html(link: Link) -> str:
    if not link.url:
        return _e(link.label)
    return f'<a href="{_href(link.url)}" rel="noopener">{_e(link.label)}</a>'


def _session_row(session: Session, language: str, home: ZoneInfo) -> str:
    """A session: Swedish time, the visitor's (filled in by the script), the name with its
    tags; its stream is named, and linked once, under "Se det live"."""
    start = session.start.isoformat().replace("+00:00", "Z")
    cancelled = session.cancelled
    tag = f' <span class="tag">{_e(texts(language).page.cancelled)}</span>' if cancelled else ""
    if session.tentative and not cancelled:
        tag = f' <span class="tag">{_e(texts(language).render.tentative)}</span>'
    note = f"<br><small>{_e(session.note.get(language))}</small>" if session.note else ""
    streams = list(dict.fromkeys(lk.label for lk in session.links if lk.kind is LinkKind.STREAM))
    live = f' <span class="live">LIVE: {_e(", ".join(streams))}</span>' if streams else ""
    return (
        f'<tr class="session{" cancelled" if cancelled else ""}" data-utc="{_e(start)}">'
        f'<td class="time">{hhmm(session.start, home)}</td><td class="local">–</td>'
        f'<td class="name">{_e(session.name.get(language))}{tag}{live}{note}</td></tr>'
    )


def _pending_row(pending: PendingSession, language: str) -> str:
    """A session without a time: no data-utc, so the page's script gives it no local time."""
    note = f"<br><small>{_e(pending.note.get(language))}</small>" if pending.note else ""
    return (
        '<tr class="session pending"><td class="time">–</td><td class="local">–</td>'
        f'<td class="name">{_e(pending.name.get(language))} <span class="tag">'
        f"{_e(pending_when(pending, language))}</span>{note}</td></tr>"
    )


def _timetable_html(event: Event, language: str, home: ZoneInfo) -> str:
    page = texts(language).page
    parts = [f"<h2>{_e(texts(language).render.timetable)}</h2>"]
    for day, sessions, pending in timetable_days(event, home):
        rows = "\n".join(
            [
                *(_session_row(s, language, home) for s in sessions),
                *(_pending_row(p, language) for p in pending),
            ]
        )
        heading = day_heading(day, language) if day else texts(language).render.other_sessions
        parts.append(
            f"<h3>{_e(heading)}</h3>\n<table>\n<thead><tr>"
            f"<th>{_e(capitalized(zone_words(home.key, language)))}</th><th>{_e(page.your_time)} "
            f'(<span class="visitor-zone">{_e(page.your_zone)}</span>)</th>'
            f"<th>{_e(page.session)}</th></tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>"
        )
    return "\n".join(parts)


def _watch_html(event: Event, language: str) -> str:
    """Each stream and timing link once."""
    w = texts(language).render
    links = [lk for s in event.sessions for lk in s.links] + list(event.links)
    items = [
        f"<li><strong>{_e(word)}:</strong> {', '.join(_link_html(lk) for lk in found)}</li>"
        for word, kind in ((w.streams, LinkKind.STREAM), (w.timing, LinkKind.TIMING))
        if (found := list({(lk.label, lk.url): lk for lk in links if lk.kind is kind}.values()))
    ]
    heading = _e(texts(language).page.watch)
    return f"<h2>{heading}</h2>\n<ul>{''.join(items)}</ul>" if items else ""


def _past_html(catalog: Catalog, now: datetime, language: str, home: ZoneInfo) -> str:
    """The weekends that were, each with its year ("6–7 november 2020")."""
    items = [
        f"<li>{_e(event_title(s, e, language))} · "
        f"{_e(date_range(e.first_day, e.last_day, language))} {e.last_day.year}</li>"
        for s, e in past_weekends(catalog, now, home)
    ]
    if not items:
        return ""
    heading = _e(texts(language).page.past_weekends)
    return f'<h2>{heading}</h2>\n<ul class="past">{"".join(items)}</ul>'


def _button(url: str, label: str, secondary: bool = False) -> str:
    css = "button secondary" if secondary else "button"
    return f'<li><a class="{css}" href="{_href(url)}" rel="noopener">{_e(label)}</a></li>'


def _subscribe_html(info: SiteInfo, language: str) -> str:
    page = texts(language).page
    _, webcal = calendar_urls(info.public_url)
    buttons = [
        _button(webcal, page.add_to_calendar),
        _button(google_calendar_url(webcal), page.add_to_google),
    ]
    if info.telegram_url:
        buttons.append(_button(info.telegram_url, page.follow_telegram, secondary=True))
    if info.discord_url:
        buttons.append(_button(info.discord_url, page.join_discord, secondary=True))
    return "\n".join(buttons)


def _series_feeds_html(catalog: Catalog, info: SiteInfo, language: str) -> str:
    page = texts(language).page
    items = []
    for series in catalog.series:
        https, webcal = calendar_urls(info.public_url, series.id)
        items.append(
            f'<li>{_e(f"{series.name} {series.season}")}: <a href="{_href(webcal)}">'
            f'{_e(page.subscribe_link)}</a> · <a href="{_href(https)}">.ics</a></li>'
        )
    return f"<h3>{_e(page.one_series)}</h3>\n<ul>{''.join(items)}</ul>" if items else ""


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


def _weekend_html(catalog: Catalog, info: SiteInfo, now: datetime, language: str) -> dict[str, str]:
    """Heading, place line and body: the upcoming weekend, or the season's end."""
    page = texts(language).page
    found = upcoming_weekend(catalog, now, info.home)
    if found is None:
        past = _past_html(catalog, now, language, info.home)
        if not past:
            return {"title": info.bot_name, "heading": info.bot_name, "place": "",
                    "body": f"<p>{_e(page.no_races)}</p>"}  # fmt: skip
        return {
            "title": f"{page.season_over} – {info.bot_name}",
            "heading": page.season_over,
            "place": page.season_over_lead,
            "body": past,
        }
    series, event = found
    heading = event_title(series, event, language)
    where = ", ".join(
        p for p in (event.circuit, event.city, country_name(event.country, language)) if p
    )
    today = now.astimezone(info.home).date()
    body = f"{_timetable_html(event, language, info.home)}\n{_watch_html(event, language)}"
    if not event.sessions:
        dates = f"<p>{_e(dates_only_line(event, language, today))}</p>"
        body = f"{dates}\n{_timetable_html(event, language, info.home)}" if event.pending else dates
    return {
        "title": f"{heading} – {info.bot_name}",
        "heading": heading,
        "place": f"{where} · {weekend_dates(event, language, today)}",
        "body": body,
    }


def render_page(
    catalog: Catalog, info: SiteInfo, now: datetime, language: str | None = None
) -> str:
    """The fan page in ``language`` (the site's own by default)."""
    language = language if language is not None and language in LANGUAGES else info.language
    page = texts(language).page
    weekend = _weekend_html(catalog, info, now, language)
    other = next(code for code in LANGUAGES if code != language)
    options = page.options.format(
        lang="<code>?lang=en</code>",
        alarm="<code>?alarm=15,60</code>",
        kinds="<code>?kinds=race,qualifying</code>",
    )
    return _TEMPLATE.substitute(
        lang=language,
        page_title=_e(weekend["title"]),
        heading=_e(weekend["heading"]),
        place=_e(weekend["place"]),
        body=weekend["body"],
        other_language=f'<a href="?lang={other}" hreflang="{other}" lang="{other}">'
        f"{_e(page.other_language)}</a>",
        subscribe_heading=_e(page.subscribe),
        subscribe_lead=_e(page.subscribe_lead),
        subscribe=_subscribe_html(info, language),
        calendar_address=_e(page.calendar_address),
        feed_url=_e(calendar_urls(info.public_url)[0]),
        series_feeds=_series_feeds_html(catalog, info, language),
        options=options,
        bot_name=_e(info.bot_name),
        footer=_e(page.footer),
    )
