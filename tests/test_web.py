"""The web side over real HTTP: feeds with ETags, errors, health, metrics and the fan page."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.core.calendar import session_uid
from bot.core.clock import VirtualClock
from bot.core.model import Catalog
from bot.core.schedule import load_catalog
from bot.store.health import Health
from bot.store.store import SessionStateInfo
from bot.web import (
    SiteInfo,
    calendar_urls,
    create_web_app,
    google_calendar_url,
    next_weekend,
    render_page,
)
from tests.helpers import metric_samples

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2020, 11, 1, 12, 0, tzinfo=UTC)
INFO = SiteInfo(
    public_url="https://race.example.org/",
    telegram_url="https://t.me/backman_racebot",
    discord_url="https://discord.gg/backman",
    bot_name="Bäckman Racing",
)
HOSTILE = "<script>alert(1)</script> & Co"
Client = TestClient[web.Request, web.Application]


@dataclass
class Source:
    """Stands in for the Engine: what the web side reads, nothing more."""

    catalog: Catalog
    states: dict[str, SessionStateInfo] = field(default_factory=dict)
    clock: VirtualClock = field(default_factory=lambda: VirtualClock(NOW))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(ROOT / "schedules")


@pytest.fixture
def source(catalog: Catalog) -> Source:
    stamp = NOW - timedelta(days=2)
    states = {
        ref.key: SessionStateInfo(ref.key, None, False, "x", 0, stamp) for ref in catalog.sessions()
    }
    return Source(catalog, states)


async def serve(source: Source, info: SiteInfo = INFO) -> Client:
    client: Client = TestClient(TestServer(create_web_app(source, info)))
    await client.start_server()
    return client


@pytest_asyncio.fixture
async def client(source: Source) -> AsyncIterator[Client]:
    client = await serve(source)
    try:
        yield client
    finally:
        await client.close()


# --------------------------------------------------------------------------- feeds


async def test_feed_is_a_calendar_with_cache_headers(client: Client) -> None:
    response = await client.get("/calendar/all.ics")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.headers["ETag"].startswith('"')
    body = await response.read()
    assert body.startswith(b"BEGIN:VCALENDAR\r\n")
    cal = icalendar.Calendar.from_ical(body)
    assert str(cal["X-WR-CALNAME"]) == "Bäckman Racing – alla race"
    timed = [e for e in cal.walk("VEVENT") if isinstance(e.decoded("DTSTART"), datetime)]
    assert len(timed) == 10  # the sessions; the rest are the weekends' all-day entries


async def test_series_feed_and_options(client: Client) -> None:
    response = await client.get(
        "/calendar/tcr-europe-2020.ics", params={"lang": "en", "alarm": "15", "kinds": "race"}
    )
    assert response.status == 200
    cal = icalendar.Calendar.from_ical(await response.read())
    summaries = sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT"))
    assert summaries == ["TCR Europe · Jarama · Race 1", "TCR Europe · Jarama · Race 2"]
    assert all(e.walk("VALARM") for e in cal.walk("VEVENT"))
    assert str(cal["X-WR-CALNAME"]) == "Bäckman Racing – TCR Europe 2020"


async def test_matching_etag_gives_304(client: Client) -> None:
    first = await client.get("/calendar/tcr-europe-2020.ics")
    etag = first.headers["ETag"]
    again = await client.get("/calendar/tcr-europe-2020.ics", headers={"If-None-Match": etag})
    assert again.status == 304
    assert await again.read() == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == "public, max-age=300"
    weak = await client.get(
        "/calendar/tcr-europe-2020.ics", headers={"If-None-Match": f'"other", W/{etag}'}
    )
    assert weak.status == 304
    stale = await client.get("/calendar/tcr-europe-2020.ics", headers={"If-None-Match": '"old"'})
    assert stale.status == 200
    english = await client.get("/calendar/tcr-europe-2020.ics?lang=en")
    assert english.headers["ETag"] != etag


async def test_etag_is_stable_across_restarts_and_follows_changes(source: Source) -> None:
    async def etag_of(src: Source) -> str:
        client = await serve(src)
        try:
            return (await client.get("/calendar/all.ics")).headers["ETag"]
        finally:
            await client.close()

    first = await etag_of(source)
    source.clock = VirtualClock(NOW + timedelta(hours=3))
    assert await etag_of(source) == first
    key = "tcr-europe-2020/r6/race1"
    bumped = dict(source.states)
    bumped[key] = replace(bumped[key], sequence=1, modified_at=NOW)
    assert await etag_of(replace(source, states=bumped)) != first


async def test_replacing_the_states_rebuilds_the_cached_feed(source: Source) -> None:
    client = await serve(source)
    try:
        etag = (await client.get("/calendar/all.ics")).headers["ETag"]
        key = "tcr-europe-2020/r6/race1"
        source.states = {**source.states, key: replace(source.states[key], sequence=4)}
        response = await client.get("/calendar/all.ics", headers={"If-None-Match": etag})
        assert response.status == 200
        cal = icalendar.Calendar.from_ical(await response.read())
        (race1,) = [e for e in cal.walk("VEVENT") if str(e["UID"]) == session_uid(key)]
        assert race1["SEQUENCE"] == 4
    finally:
        await client.close()


async def test_head_gives_headers_without_body(client: Client) -> None:
    get = await client.get("/calendar/all.ics")
    head = await client.head("/calendar/all.ics")
    assert head.status == 200
    assert head.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert head.headers["ETag"] == get.headers["ETag"]
    assert head.headers["Content-Length"] == get.headers["Content-Length"]
    assert await head.read() == b""


async def test_unknown_series_is_404_listing_the_known(client: Client) -> None:
    response = await client.get("/calendar/dtm-2020.ics")
    assert response.status == 404
    assert response.headers["Content-Type"].startswith("text/plain")
    text = await response.text()
    assert "dtm-2020" in text
    for known in ("all", "tcr-europe-2020", "wtcr-2021", "gt4-european-series-2023"):
        assert known in text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("alarm=0", "Bad alarm '0'"),
        ("alarm=15,abc", "Bad alarm 'abc'"),
        ("lang=fi", "Unknown language 'fi'"),
        ("kinds=race,test", "Unknown session kind 'test'"),
    ],
)
async def test_bad_options_are_400_with_the_reason(
    client: Client, query: str, message: str
) -> None:
    response = await client.get(f"/calendar/all.ics?{query}")
    assert response.status == 400
    assert message in await response.text()


# --------------------------------------------------------------------------- health, metrics


async def test_healthz(client: Client) -> None:
    response = await client.get("/healthz")
    assert response.status == 200
    data: dict[str, Any] = await response.json()
    assert data["status"] == "ok"
    assert data["series"] == 3
    assert data["sessions"] == 10


async def test_metrics_in_prometheus_text_format(client: Client) -> None:
    response = await client.get("/metrics")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    text = await response.text()
    assert "# TYPE racebot_series gauge\n" in text
    samples = metric_samples(text)
    assert samples["racebot_series"] == 3
    assert samples['racebot_sessions{status="scheduled"}'] == 10
    assert samples['racebot_sessions{status="cancelled"}'] == 0
    assert samples["racebot_upcoming_sessions"] == 10
    # TCR FP1, Friday 6 November 2020 10:50 Swedish time
    first = datetime(2020, 11, 6, 9, 50, tzinfo=UTC).timestamp()
    assert samples["racebot_next_session_start_seconds"] == first
    assert samples["racebot_degraded"] == 0


async def test_healthz_is_503_with_the_reason_while_the_database_is_away(
    source: Source,
) -> None:
    health = Health()
    client: Client = TestClient(TestServer(create_web_app(source, INFO, health)))
    await client.start_server()
    try:
        assert (await client.get("/healthz")).status == 200
        health.failed("write", OSError("database or disk is full"))
        health.unrecorded["telegram"] = 3
        response = await client.get("/healthz")
        assert response.status == 503
        assert response.headers["Cache-Control"] == "no-store"
        data: dict[str, Any] = await response.json()
        assert data["status"] == "degraded"
        assert data["database"] == "degraded"
        assert data["reason"] == "database write failed: database or disk is full"
        assert data["unrecorded_sends"] == 3
        samples = metric_samples(await (await client.get("/metrics")).text())
        assert samples["racebot_database_up"] == 0
        assert samples["racebot_database_outages"] == 1
        assert samples["racebot_unrecorded_sends"] == 3
        assert samples["racebot_degraded"] == 1
        health.ok()
        health.unrecorded["telegram"] = 0
        response = await client.get("/healthz")
        assert response.status == 200
        assert (await response.json())["database"] == "ok"
        samples = metric_samples(await (await client.get("/metrics")).text())
        assert samples["racebot_database_up"] == 1
        assert samples["racebot_degraded"] == 0
    finally:
        await client.close()


# --------------------------------------------------------------------------- the page


async def test_page_shows_the_next_weekend_and_how_to_follow(client: Client) -> None:
    response = await client.get("/")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "script-src 'sha256-" in response.headers["Content-Security-Policy"]
    page = await response.text()
    assert '<html lang="sv">' in page
    assert 'name="viewport"' in page
    assert "TCR Europe – deltävling 6: Jarama" in page
    assert "Fredag 6 november" in page
    assert "Lördag 7 november" in page
    assert page.count('<tr class="session"') == 5
    assert 'data-utc="2020-11-07T10:15:00Z"' in page
    assert '<td class="time">11:15</td>' in page  # Race 1 in Swedish time
    assert "JA Bäckmans Facebook-sida" in page
    assert "https://www.tcr-europe.com/live-timing" in page
    webcal = "webcal://race.example.org/calendar/all.ics"
    assert f'href="{webcal}"' in page
    google = "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Frace.example.org"
    assert google in page
    assert 'href="https://t.me/backman_racebot"' in page
    assert 'href="https://discord.gg/backman"' in page
    assert 'href="webcal://race.example.org/calendar/tcr-europe-2020.ics"' in page


async def test_page_leaves_out_what_is_not_configured(source: Source) -> None:
    client = await serve(source, SiteInfo(public_url="https://race.example.org"))
    try:
        page = await (await client.get("/")).text()
    finally:
        await client.close()
    assert "t.me" not in page
    assert "discord" not in page.lower()


async def test_page_escapes_every_dynamic_string(catalog: Catalog) -> None:
    tcr = catalog.get("tcr-europe-2020")
    assert tcr is not None
    hostile = Catalog((replace(tcr, name=HOSTILE),))
    client = await serve(Source(hostile))
    try:
        page = await (await client.get("/")).text()
    finally:
        await client.close()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page
    assert "<script>alert" not in page
    assert page.count("<script>") == 1  # the page's own


def test_next_weekend(catalog: Catalog) -> None:
    def name(now: datetime) -> str | None:
        found = next_weekend(catalog, now)
        return found[1].name if found else None

    assert name(NOW) == "Jarama"
    assert name(datetime(2020, 11, 7, 11, 30, tzinfo=UTC)) == "Jarama"  # race 2 still to come
    # the 2023 calendar weekends without times come first (Monza, April 2023)
    assert name(datetime(2022, 1, 1, tzinfo=UTC)) == "Monza"
    assert name(datetime(2023, 9, 10, tzinfo=UTC)) == "Barcelona"
    assert name(datetime(2030, 1, 1, tzinfo=UTC)) == "Barcelona"  # season over: the last one
    assert next_weekend(Catalog(), NOW) is None


def test_calendar_urls() -> None:
    assert calendar_urls("https://race.example.org") == (
        "https://race.example.org/calendar/all.ics",
        "webcal://race.example.org/calendar/all.ics",
    )
    assert calendar_urls("https://example.org/racebot/", "wtcr-2021") == (
        "https://example.org/racebot/calendar/wtcr-2021.ics",
        "webcal://example.org/racebot/calendar/wtcr-2021.ics",
    )
    assert google_calendar_url("webcal://x.org/calendar/all.ics") == (
        "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Fx.org%2Fcalendar%2Fall.ics"
    )


def test_page_shows_a_weekend_without_times(catalog: Catalog) -> None:
    page = render_page(
        catalog, SiteInfo(public_url="https://race.example.org"), datetime(2021, 7, 20, tzinfo=UTC)
    )
    assert "Adria, 30 juli–1 augusti – tiderna kommer" in page
    other_year = render_page(
        catalog, SiteInfo(public_url="https://race.example.org"), datetime(2020, 12, 1, tzinfo=UTC)
    )
    assert "Nürburgring Nordschleife, 3–5 juni 2021 – tiderna kommer" in other_year


def test_the_page_speaks_the_home_zone(catalog: Catalog) -> None:
    """``[bot] timezone`` other than Stockholm: the first column is that zone's time."""
    now = NOW
    swedish = render_page(catalog, SiteInfo(public_url="https://race.example.org"), now)
    london = render_page(
        catalog,
        SiteInfo(public_url="https://race.example.org", home=ZoneInfo("Europe/London")),
        now,
    )
    assert "<th>Svensk tid</th>" in swedish
    assert "<th>London-tid</th>" in london
    assert "Svensk tid" not in london
    first = [
        re.findall(r'<td class="time">(\d\d):(\d\d)</td>', page)[0] for page in (swedish, london)
    ]
    assert int(first[0][0]) - int(first[1][0]) == 1  # CEST is an hour ahead of BST
