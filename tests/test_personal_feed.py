# ruff: noqa: F811 - the Telegram fixtures are imported, then requested by name
"""/calendar's buttons and the chat's own feed (#17): a signed token carries the chat's
series, kinds, language and reminders; the web server serves it and opens it as webcal.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.app import feed_secret
from bot.core.calendar import FeedOptions
from bot.core.feeds import feed_links, feed_token, read_token
from bot.core.model import SessionKind
from bot.web import SiteInfo, create_web_app
from tests.fakes.fake_telegram import SentMessage
from tests.test_telegram import (  # noqa: F401 - the Telegram App fixtures
    GROUP,
    USER,
    Env,
    _timedelta_retry_after,
    env,
    url_buttons,
)

Client = TestClient[web.Request, web.Application]
SECRET = b"k" * 32
PUBLIC = "http://127.0.0.1:8080"  # the test config's [web] public_url


def test_a_token_carries_the_settings_and_cannot_be_forged() -> None:
    options = FeedOptions(
        language="en",
        alarms=(15, 60),
        kinds=frozenset({SessionKind.RACE}),
        series=frozenset({"wtcr-2021"}),
    )
    token = feed_token(options, SECRET)
    assert read_token(token, SECRET) == options
    assert "wtcr" not in token  # opaque, not a readable query
    assert "race" not in token
    assert read_token(token, b"another secret") is None
    payload, _, signature = token.partition(".")
    flipped = payload[:-1] + ("A" if payload[-1] != "A" else "B")
    assert read_token(f"{flipped}.{signature}", SECRET) is None
    assert read_token(payload, SECRET) is None
    assert read_token("", SECRET) is None
    assert read_token(FeedOptions().language, SECRET) is None


def test_the_links_are_https_for_buttons_and_google_gets_a_cache_buster() -> None:
    token = feed_token(FeedOptions(), SECRET)
    now = datetime(2020, 11, 5, 12, 0, tzinfo=UTC)
    links = feed_links("https://race.example.org/", token, "Bäckman – racing", now)
    assert links.https == f"https://race.example.org/calendar/feed/{token}.ics"
    assert links.webcal == f"webcal://race.example.org/calendar/feed/{token}.ics"
    assert links.apple == f"https://race.example.org/calendar/open/{token}"
    google = parse_qs(urlsplit(links.google).query)["cid"][0]
    assert google.startswith(links.webcal + "?v=")
    later = feed_links("https://race.example.org", token, "x", now + timedelta(minutes=5))
    assert parse_qs(urlsplit(later.google).query)["cid"][0] != google  # a new URL for Google
    outlook = parse_qs(urlsplit(links.outlook).query)
    assert links.outlook.startswith("https://outlook.live.com/")
    assert outlook["rru"] == ["addsubscription"]
    assert outlook["url"] == [links.https]
    assert outlook["name"] == ["Bäckman – racing"]


@pytest.fixture
async def web_client(env: Env) -> AsyncIterator[Client]:
    """The bot's own web server, with the App's feed secret."""
    app = create_web_app(
        env.app.engine, SiteInfo(public_url=PUBLIC), feed_secret=feed_secret(env.app.config)
    )
    client: Client = TestClient(TestServer(app))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


async def _calendar_reply(env: Env, chat: int, user: int) -> SentMessage:
    return await env.command(chat, user, "/calendar", "webcal://")


def _path(url: str) -> str:
    return urlsplit(url).path


async def test_calendar_buttons_open_the_chats_own_feed(env: Env, web_client: Client) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    await env.command(USER, USER, "/settings kinds race; leads 30; language en", "Saved")
    reply = await _calendar_reply(env, USER, USER)
    assert "The link is your own" in (reply.text or "")
    assert reply.reply_markup is not None
    labels = [b["text"] for row in reply.reply_markup["inline_keyboard"] for b in row]
    assert labels == ["Apple Calendar (iPhone, Mac)", "Google Calendar", "Outlook.com"]
    apple, google, outlook = url_buttons(reply)
    assert all(url.startswith(("https://", "http://")) for url in (apple, google, outlook))
    feed_url = parse_qs(urlsplit(outlook).query)["url"][0]
    assert (
        f"{feed_url.replace('http://', 'webcal://')}?v="
        in parse_qs(urlsplit(google).query)["cid"][0]
    )

    served = await web_client.get(_path(feed_url))
    assert served.status == 200
    assert served.content_type == "text/calendar"
    cal = icalendar.Calendar.from_ical(await served.read())
    events = [e for e in cal.walk("VEVENT") if "T" in e.decoded("DTSTART").isoformat()]
    assert events
    assert all("Race" in str(e["SUMMARY"]) for e in events)  # kinds: race only, in English
    triggers = {str(a["TRIGGER"].to_ical(), "ascii") for e in events for a in e.walk("VALARM")}
    assert triggers == {"-PT30M"}  # the chat's reminder time

    opened = await web_client.get(_path(apple), allow_redirects=False)
    assert opened.status == 302
    assert opened.headers["Location"] == feed_url.replace("http://", "webcal://")

    token = _path(feed_url).removeprefix("/calendar/feed/").removesuffix(".ics")
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert (await web_client.get(f"/calendar/feed/{forged}.ics")).status == 404
    assert (await web_client.get(f"/calendar/open/{forged}")).status == 404


async def test_an_unsubscribed_chat_gets_every_session_without_alarms(
    env: Env, web_client: Client
) -> None:
    reply = await _calendar_reply(env, GROUP, USER)
    feed_url = parse_qs(urlsplit(url_buttons(reply)[2]).query)["url"][0]
    cal = icalendar.Calendar.from_ical(await (await web_client.get(_path(feed_url))).read())
    summaries = {str(e["SUMMARY"]) for e in cal.walk("VEVENT")}
    assert any("Tidskval" in s for s in summaries)  # Swedish, every kind
    assert any("Fri träning" in s for s in summaries)
    assert not [a for e in cal.walk("VEVENT") for a in e.walk("VALARM")]
