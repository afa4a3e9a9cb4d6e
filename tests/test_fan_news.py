"""The fan's weekend on Telegram (#14): visible corrections, late subscribers, announcements
in both languages, "LIVE NU" only with a stream, pasted standings and the published draft.

End to end: the real PTB client and the whole App against the fake Bot API, on virtual time
over the TCR Europe Jarama weekend (FP1 Friday 10:50, Race 1 Saturday 11:15 Swedish time).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.test_telegram import (
    ADMIN,
    GROUP,
    STAFF_ID,
    START,
    USER,
    Env,
    callback_data,
    telegram_env,
    url_buttons,
)

FRIDAY_MORNING = datetime(2020, 11, 6, 8, 0, tzinfo=UTC)
FP1 = datetime(2020, 11, 6, 9, 50, tzinfo=UTC)
QUALIFYING = datetime(2020, 11, 6, 14, 0, tzinfo=UTC)
RACE1 = datetime(2020, 11, 7, 10, 15, tzinfo=UTC)


@pytest.fixture
async def env(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[Env]:
    async with telegram_env(tmp_path, getattr(request, "param", START)) as env:
        yield env


STANDINGS = "\n".join(
    [
        "WTCR Trophy – Overall (Top 3)",
        "FIA WTCR 2021 (After 2 of 8 race weekends)",
        "1: Gilles Magnus (BEL), 42 p.",
        "2: Tom Coronel (NLD), 22 p.",
        "3: Andreas Bäckman (SWE), 17 p.",
    ]
)


async def _swedish_fan_and_english_group(env: Env) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    await env.command(GROUP, ADMIN, "/start", "Välkommen")
    await env.command(GROUP, ADMIN, "/settings language en", "Settings")


async def _publish(env: Env, command: str) -> str:
    """Staff drafts ``command``, presses Publish; the draft's text once it says so."""
    draft = await env.command(STAFF_ID, STAFF_ID, command, "Publicera?")
    env.fake.push_callback(STAFF_ID, STAFF_ID, draft.message_id, callback_data(draft)[0])
    await env.fake.wait_until(lambda: "Publicerat" in (draft.text or ""))
    await env.settle()
    return draft.text or ""


@pytest.mark.parametrize("env", [FRIDAY_MORNING], indirect=True)
async def test_live_now_only_where_there_is_a_stream_to_watch(env: Env) -> None:
    await _swedish_fan_and_english_group(env)
    # Practice has no live post at all (one reminder only); qualifying has live timing only.
    await env.advance_to(QUALIFYING)
    practice = await env.wait_text(USER, "Tidskval (Q1 och Q2) – Jarama startar nu")
    english = await env.wait_text(GROUP, "Qualifying (Q1 and Q2) – Jarama is starting now")
    assert not any("Fri träning 1 – Jarama startar nu" in t for t in env.fake.texts(USER))
    for post in (practice, english):
        assert "LIVE" not in (post.text or "")
        assert url_buttons(post) == ["https://www.tcr-europe.com/live-timing"]
    assert "live-timing" not in (practice.text or "")  # the link is the button, once

    await env.advance_to(RACE1)
    race = await env.wait_text(USER, "🔴 LIVE NU: Race 1 – Jarama")
    await env.wait_text(GROUP, "🔴 LIVE NOW: Race 1 – Jarama")
    assert "https://www.facebook.com/JABackman" in url_buttons(race)
    assert [t.splitlines()[0] for t in env.fake.texts(USER) if "LIVE NU:" in t] == [
        "🔴 LIVE NU: Race 1 – Jarama"  # the races only (the qualifying has no stream either)
    ]
    assert sum(t.startswith("🔴 LIVE NOW") for t in env.fake.texts(GROUP)) == 1


async def test_an_announcement_in_both_languages_reaches_each_chat_in_its_own(env: Env) -> None:
    await _swedish_fan_and_english_group(env)
    draft = await env.command(
        STAFF_ID,
        STAFF_ID,
        "/announce SV: Jessica kör med nytt nummer i helgen!\nEN: Jessica races a new number!",
        "Publicera?",
    )
    shown = draft.text or ""
    assert "Varje chatt får meddelandet på sitt språk" in shown
    assert "På svenska:\nJessica kör med nytt nummer i helgen!" in shown
    assert "På engelska:\nJessica races a new number!" in shown
    env.fake.push_callback(STAFF_ID, STAFF_ID, draft.message_id, callback_data(draft)[0])
    await env.wait_text(USER, "Jessica kör med nytt nummer")
    await env.wait_text(GROUP, "Jessica races a new number!")
    await env.fake.wait_until(lambda: "Publicerat till 2 chattar." in (draft.text or ""))
    await env.settle()
    assert env.announced(USER, "new number") == 0
    assert env.announced(GROUP, "nytt nummer") == 0
    assert env.fake.texts(GROUP)[-1].startswith("📣 From the team")

    # One line, English first, a Swedish "en:" inside the Swedish part: still two parts.
    await _publish(env, "/announce en: Pit stop at 14:00 sv: Vi har en: depåstopp 14:00")
    await env.wait_text(USER, "Vi har en: depåstopp 14:00")
    await env.wait_text(GROUP, "Pit stop at 14:00")
    # A plain text still goes to everyone, as written.
    await _publish(env, "/announce Tack för i år! Thanks for this year!")
    assert env.announced(USER, "Tack för i år! Thanks for this year!") == 1
    assert env.announced(GROUP, "Tack för i år! Thanks for this year!") == 1
    # A part left empty is refused, nothing is drafted.
    refusal = await env.command(STAFF_ID, STAFF_ID, "/announce sv: Hej alla en:", "tom")
    assert (refusal.text or "").startswith("Texten efter en: är tom.")
    assert "/announce sv: TEXT en: TEXT" in (refusal.text or "")
    assert refusal.reply_markup is None


async def test_standings_pasted_on_the_next_line_and_the_draft_after_publish(env: Env) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    echo = await env.command(STAFF_ID, STAFF_ID, f"/standings\n{STANDINGS}", "Publicera?")
    assert "Okänt kommando" not in (echo.text or "")
    assert "3: Andreas Bäckman (SWE), 17 p." in (echo.text or "")
    env.fake.push_callback(STAFF_ID, STAFF_ID, echo.message_id, callback_data(echo)[0])
    await env.wait_text(USER, "1: Gilles Magnus (BEL), 42 p.")
    await env.fake.wait_until(lambda: "Publicerat" in (echo.text or ""))
    # The edited draft keeps its formatting and shows no markup.
    assert (echo.raw or "").startswith("<b>Stämmer tabellerna? Publicera?</b>\n")
    assert (echo.text or "").endswith("\n\nPublicerat till 1 chatt.")
    assert "<b>" not in (echo.text or "")

    # Text that looks like markup is escaped exactly once, before and after Publish.
    text = "Jessica <3 & <b>P1</b>"
    draft = await env.command(STAFF_ID, STAFF_ID, f"/announce {text}", "Publicera?")
    env.fake.push_callback(STAFF_ID, STAFF_ID, draft.message_id, callback_data(draft)[0])
    await env.fake.wait_until(lambda: "Publicerat" in (draft.text or ""))
    assert (draft.text or "").splitlines()[1] == text
    assert "&amp;lt;" not in (draft.raw or "")
    assert (draft.raw or "").startswith("<b>Meddelandet nedan skickas")
    # In a group the bot still ignores another bot's command split over lines.
    env.fake.push_message(GROUP, ADMIN, "/standings@other_bot\nx")
    await env.command(GROUP, ADMIN, "/start@racebot_test_bot", "Välkommen")
    assert env.count(GROUP, "Okänt") == 0


RACE2_OVER = datetime(2020, 11, 7, 14, 0, tzinfo=UTC)


@pytest.mark.parametrize("env", [RACE2_OVER], indirect=True)
async def test_a_correction_is_told_once_to_each_chat_that_got_the_result(env: Env) -> None:
    await _swedish_fan_and_english_group(env)
    draft = await env.command(
        STAFF_ID, STAFF_ID, "/result race2 andreas 17 jessica 18", "Publicera?"
    )
    assert (draft.text or "").endswith("Publiceras till 2 chattar. Publicera?")
    assert "Rättelse" not in (draft.text or "")  # a first entry corrects nothing
    env.fake.push_callback(STAFF_ID, STAFF_ID, draft.message_id, callback_data(draft)[0])
    swedish = await env.wait_text(USER, "Race 2: Andreas 17:e, Jessica 18:e")
    english = await env.wait_text(GROUP, "Race 2: Andreas 17th, Jessica 18th")
    await env.fake.wait_until(lambda: "Publicerat till 2 chattar." in (draft.text or ""))
    await env.settle()
    await env.command(STAFF_ID, STAFF_ID, "/start", "Välkommen")  # after the result went out

    fix = await env.command(STAFF_ID, STAFF_ID, "/result race2 jessica 16", "Publicera?")
    lines = (fix.text or "").splitlines()
    assert "✏️ Jessica: 18:e → 16:e" in lines
    follow_up = lines.index("Rättelsen skickas också till 2 chattar som fick resultatet:")
    assert lines[follow_up + 1] == "Rättelse: Jessica 16:e i Race 2 (inte 18:e)"
    assert lines[-1] == "Publiceras till 3 chattar. Publicera?"
    publish = callback_data(fix)[0]
    env.fake.push_callback(STAFF_ID, STAFF_ID, fix.message_id, publish)
    told = await env.wait_text(USER, "Rättelse")
    assert told.text == "✏️ Rättelse: Jessica 16:e i Race 2 (inte 18:e)"
    assert told.raw == "<b>✏️ Rättelse: Jessica 16:e i Race 2 (inte 18:e)</b>"
    told_en = await env.wait_text(GROUP, "Correction")
    assert told_en.text == "✏️ Correction: Jessica 16th in Race 2 (not 18th)"
    await env.fake.wait_until(lambda: "Jessica 16:e" in (swedish.text or ""))
    await env.fake.wait_until(lambda: "Jessica 16th" in (english.text or ""))
    await env.fake.wait_until(lambda: "Publicerat till 3 chattar." in (fix.text or ""))
    # Pressing Publish again, a rebuild, time passing: nothing is told twice.
    env.fake.push_callback(STAFF_ID, STAFF_ID, fix.message_id, publish)
    await env.app.engine.rebuild()
    await env.run_to(RACE2_OVER + timedelta(hours=2))
    assert env.count(USER, "✏️ Rättelse") == 1
    assert env.count(GROUP, "✏️ Correction") == 1
    assert env.count(STAFF_ID, "✏️ Rättelse") == 0  # that chat never saw 18:e

    # Two drivers at once, one of them taken off: one follow-up naming both.
    await _publish(env, "/result race2 andreas 15 jessica -")
    await env.wait_text(USER, "Rättelse i Race 2")
    assert env.fake.texts(USER)[-1] == (
        "✏️ Rättelse i Race 2: Andreas 15:e (inte 17:e), Jessica utan resultat (inte 16:e)"
    )
    await env.wait_text(GROUP, "Correction in Race 2")
    assert env.fake.texts(GROUP)[-1] == (
        "✏️ Correction in Race 2: Andreas 15th (not 17th), Jessica without a result (not 16th)"
    )
    # The staff member now got the result post, so a later correction reaches them too.
    await _publish(env, "/result race2 jessica dnf")
    await env.wait_text(STAFF_ID, "✏️ Rättelse: Jessica bröt (DNF) i Race 2 (tillagt)")
    await env.wait_text(USER, "✏️ Rättelse: Jessica bröt (DNF) i Race 2 (tillagt)")


THURSDAY = datetime(2020, 11, 5, 16, 0, tzinfo=UTC)  # the preview goes out at 18:00 Swedish
PREVIEW = datetime(2020, 11, 5, 17, 0, tzinfo=UTC)
RACE2 = datetime(2020, 11, 7, 13, 5, tzinfo=UTC)  # the weekend's last session
EMMA = 1002


@pytest.mark.parametrize("env", [THURSDAY], indirect=True)
async def test_a_chat_subscribing_after_the_preview_gets_it_at_once(env: Env) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    await env.advance_to(PREVIEW)
    await env.wait_text(USER, "🏁 TCR Europe – deltävling 6: Jarama")

    # Friday morning, FP1 still to come: a group and an English fan join late.
    await env.advance_to(datetime(2020, 11, 6, 7, 0, tzinfo=UTC))
    welcome = await env.command(GROUP, ADMIN, "/start", "Välkommen")
    assert (welcome.text or "").endswith("\nHelgens tidsschema: /schedule.")
    preview = await env.wait_text(GROUP, "🏁 TCR Europe – deltävling 6: Jarama")
    assert "Tidsschema (alla tider i svensk tid)" in (preview.text or "")
    assert "10:50 Fri träning 1" in (preview.text or "")
    env.fake.add_private_chat(EMMA, "Emma", username="emma", language_code="en")
    english = await env.command(EMMA, EMMA, "/start", "Welcome")
    assert (english.text or "").endswith("\nThis weekend's timetable: /schedule.")
    shown = await env.wait_text(EMMA, "🏁 TCR Europe – round 6: Jarama")
    assert "Timetable (all times Swedish time)" in (shown.text or "")

    # Subscribing again, or stopping and starting, sends it no second time.
    await env.command(USER, USER, "/subscribe race", "Prenumerationen är sparad")
    await env.command(GROUP, ADMIN, "/stop", "inga fler utskick")
    await env.command(GROUP, ADMIN, "/start", "Välkommen")
    await env.settle()
    for chat in (USER, GROUP, EMMA):
        assert env.count(chat, "🏁 TCR Europe") == 1, chat

    # Once the last session has started the timetable is no use: nothing is sent.
    await env.run_to(RACE2 + timedelta(minutes=5))
    await env.command(STAFF_ID, STAFF_ID, "/start", "Välkommen")
    await env.settle()
    assert env.count(STAFF_ID, "🏁 TCR Europe") == 0
    late = await env.app.store.deliveries_for("tcr-europe-2020/r6/preview")
    assert [d.chat_id for d in late] == [str(USER)]  # the others each have their own row
    group = await env.app.store.get_subscription("telegram", str(GROUP))
    assert group is not None
    rows = await env.app.store.deliveries_for(f"tcr-europe-2020/r6/preview/late-{group.id}")
    assert [(d.chat_id, d.status) for d in rows] == [(str(GROUP), "sent")]
