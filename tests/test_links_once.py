"""Each link once per post (#14): as a button where the platform has buttons, a text link
where it has none; never a label repeated as its own link ("Live-timing: Live-timing"),
never a button face cut short. Through the fake Bot API and the real PTB client."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from bot.core.markup import plain_text
from bot.core.model import Link, LinkKind
from bot.core.render import BUTTON_LABEL_MAX, render_preview
from bot.core.schedule import load_catalog
from bot.core.timeutil import SWEDISH_TIME
from tests import test_telegram
from tests.fakes.fake_telegram import SentMessage
from tests.helpers import SCHEDULES
from tests.test_telegram import RACE1, USER, Env, url_buttons

env = test_telegram.env  # the same App on FakeTelegram as tests/test_telegram.py

JARAMA_LINKS = (
    "https://www.facebook.com/JABackman",
    "https://www.youtube.com/@TCRTV",
    "https://www.tcr-europe.com/live-timing",
)


def button_rows(msg: SentMessage) -> list[list[str]]:
    assert msg.reply_markup is not None
    return [[b["text"] for b in row] for row in msg.reply_markup["inline_keyboard"]]


def assert_each_link_once(msg: SentMessage) -> None:
    sent = (msg.raw or "") + " ".join(url_buttons(msg))
    for url in JARAMA_LINKS:
        assert sent.count(url) == 1, (url, msg.raw)
    assert "<a href" not in (msg.raw or "")  # the buttons carry the links
    assert "Live-timing: Live-timing" not in (msg.text or "")


async def test_the_preview_links_each_stream_once_as_a_button(env: Env) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    preview = await env.command(USER, USER, "/schedule", "Tidsschema")
    text = preview.text or ""
    assert "11:15 Race 1 – LIVE\n14:05 Race 2 – LIVE\n" in text  # streamed, named once below
    assert "10:50 Fri träning 1\n" in text
    assert "Live-sändning" not in text  # the buttons say where
    assert_each_link_once(preview)
    # A face longer than half a phone's width gets a row of its own: nothing is cut.
    assert button_rows(preview) == [
        ["JA Bäckmans Facebook-sida"],
        ["TCR TV (YouTube)", "Live-timing"],
    ]


async def test_a_reminder_links_each_stream_once(env: Env) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    seen = len(env.fake.messages.get(USER, []))
    await env.advance_to(RACE1 - timedelta(minutes=15))
    reminder = await env.wait_text(USER, "⏱ Race 1", after=seen)
    assert "Se det live" not in (reminder.text or "")
    assert_each_link_once(reminder)
    await env.advance_to(RACE1)
    live = await env.wait_text(USER, "Race 1 – Jarama", after=seen + 1)
    assert_each_link_once(live)


def test_links_sharing_an_address_are_one_button_and_long_faces_show_the_site() -> None:
    catalog = load_catalog(SCHEDULES)
    series = catalog.get("gt4-european-series-2023")
    assert series is not None
    event = series.event("r6")
    assert event is not None
    post = render_preview(series, event, "sv", SWEDISH_TIME, SWEDISH_TIME)
    # LIVE QUALIFYING / LIVE TV RACE 1 / RACE 2 are all https://www.youtube.com/@GTWorld.
    assert [(b.label, b.url) for b in post.buttons] == [
        ("Live-sändning", "https://www.youtube.com/@GTWorld"),
        ("LIVETIMING", "https://www.gt4-european-series.com/live-timing"),
    ]
    shown = plain_text(post)
    assert "16:50 Race 1 – byter förare efter halva loppet – LIVE: LIVE TV RACE 1" in shown
    assert shown.count("https://www.youtube.com/@GTWorld") == 1
    english = render_preview(series, event, "en", SWEDISH_TIME, SWEDISH_TIME)
    assert english.buttons[0].label == "Livestream"
    long_label = Link(
        "Andreas och Jessica Bäckmans officiella Facebook-sida", "https://m.facebook.com/x"
    )
    longer = dataclasses.replace(event, links=(long_label,), sessions=event.sessions[:1])
    (button, *_) = render_preview(series, longer, "sv", SWEDISH_TIME, SWEDISH_TIME).buttons
    assert button.label == "m.facebook.com"
    assert len(button.label) <= BUTTON_LABEL_MAX
    assert long_label.kind is LinkKind.STREAM
