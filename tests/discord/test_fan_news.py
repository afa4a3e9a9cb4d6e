"""The fan's weekend on Discord (#14), through the real discord.py client and FakeDiscord:
announcements in both languages, "LIVE NU" only with a stream, the draft after Publish."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.discord.world import ALERT_ROLE, ALERTS, FAN, OWNER, Env

FRIDAY_MORNING = datetime(2020, 11, 6, 8, 0, tzinfo=UTC)
FP1 = datetime(2020, 11, 6, 9, 50, tzinfo=UTC)
QUALIFYING = datetime(2020, 11, 6, 14, 0, tzinfo=UTC)
RACE1 = datetime(2020, 11, 7, 10, 15, tzinfo=UTC)


async def _fans(env: Env) -> None:
    """The alerts channel (Swedish) and a fan by DM who reads English."""
    await env.setup_alerts()
    await env.command(FAN, "subscribe", {"via": "dm"})
    await env.fake.wait_for_dms(FAN, 1)
    await env.command(FAN, "settings", {"language": "en"})


def _titles(messages: list[dict[str, Any]]) -> list[str]:
    return [m["embeds"][0].get("title", "") for m in messages if m.get("embeds")]


def _with_title(messages: list[dict[str, Any]], title: str) -> dict[str, Any]:
    return next(m for m in messages if m.get("embeds") and m["embeds"][0].get("title") == title)


@pytest.mark.parametrize("env", [FRIDAY_MORNING], indirect=True)
async def test_live_now_only_where_there_is_a_stream(env: Env) -> None:
    await _fans(env)
    # Practice has no live post (one reminder only); qualifying has live timing only.
    await env.advance_to(QUALIFYING)
    await env.fake.wait_until(
        lambda: "🟢 Qualifying (Q1 and Q2) – Jarama is starting now" in _titles(env.fake.dms[FAN])
    )
    channel = _with_title(env.fake.messages[ALERTS], "🟢 Tidskval (Q1 och Q2) – Jarama startar nu")
    assert "tcr-europe.com/live-timing" in str(channel["components"])  # a button, once
    assert "live-timing" not in channel["embeds"][0]["description"]
    assert not any("LIVE" in t for t in _titles(env.fake.messages[ALERTS]))
    await env.advance_to(RACE1)
    await env.fake.wait_until(lambda: "🔴 LIVE NOW: Race 1 – Jarama" in _titles(env.fake.dms[FAN]))
    race = _with_title(env.fake.messages[ALERTS], "🔴 LIVE NU: Race 1 – Jarama")
    assert "facebook.com/JABackman" in str(race)
    assert sum(t.startswith("🔴") for t in _titles(env.fake.dms[FAN])) == 1


async def test_announce_in_both_languages_and_the_published_draft(env: Env) -> None:
    await _fans(env)
    text = "sv: Heja *Jessica* i helgen! en: Go *Jessica* this weekend!"
    draft = await env.command(OWNER, "announce", {"text": text})
    shown = str(draft.embeds)
    assert "På svenska:" in shown
    assert "På engelska:" in shown
    assert "Varje chatt får meddelandet på sitt språk" in shown
    after = await env.staff_publish("announce", {"text": text})
    assert after["content"] == "Publicerat till 2 chattar."
    assert after["embeds"][0]["title"].startswith("Varje chatt får")  # still formatted
    assert not after.get("components")
    swedish = _with_title(env.fake.messages[ALERTS], "📣 Meddelande från teamet")
    english = _with_title(env.fake.dms[FAN], "📣 From the team")
    assert swedish["embeds"][0]["description"] == "Heja \\*Jessica\\* i helgen!"
    assert english["embeds"][0]["description"] == "Go \\*Jessica\\* this weekend!"
    refused = await env.command(OWNER, "announce", {"text": "en: Hi sv:"})
    assert "Texten efter sv: är tom." in (refused.content or ""), refused.content
    assert not refused.components


RACE1_OVER = datetime(2020, 11, 7, 11, 20, tzinfo=UTC)


@pytest.mark.parametrize("env", [RACE1_OVER], indirect=True)
async def test_a_correction_is_told_to_the_channel_and_the_dm_that_got_the_result(
    env: Env,
) -> None:
    await _fans(env)
    first = await env.staff_publish(
        "report-result", {"session": "race1", "places": "andreas 15 jessica 16"}
    )
    assert first["content"] == "Publicerat till 2 chattar."
    draft = await env.command(OWNER, "report-result", {"session": "race1", "places": "jessica 14"})
    shown = str(draft.embeds)
    assert "✏️ Jessica: 16:e → 14:e" in shown
    assert "Rättelsen skickas också till 2 chattar som fick resultatet:" in shown
    assert "Rättelse: Jessica 14:e i Race 1 (inte 16:e)" in shown
    assert draft.embeds[0]["footer"]["text"] == "Publiceras till 2 chattar. Publicera?"
    after = await env.staff_publish("report-result", {"session": "race1", "places": "jessica 14"})
    assert after["content"] == "Publicerat till 2 chattar."
    await env.fake.wait_until(
        lambda: "✏️ Correction: Jessica 14th in Race 1 (not 16th)" in _titles(env.fake.dms[FAN])
    )
    titles = _titles(env.fake.messages[ALERTS])
    assert titles.count("✏️ Rättelse: Jessica 14:e i Race 1 (inte 16:e)") == 1
    assert titles.count("Race 1 – Jarama") == 1  # the result itself was edited
    await env.app.engine.rebuild()
    await env.settle()
    assert sum("Correction" in t for t in _titles(env.fake.dms[FAN])) == 1


async def test_a_channel_and_a_dm_set_up_after_the_preview_get_it_at_once(env: Env) -> None:
    # The world turns late previews off for the other tests (see conftest); this one is about them.
    env.app.engine.settings = dataclasses.replace(env.app.engine.settings, late_preview=True)
    await env.setup_alerts()  # Saturday morning: Race 1 and Race 2 still to come
    await env.fake.wait_until(
        lambda: "🏁 TCR Europe – deltävling 6: Jarama" in _titles(env.fake.messages[ALERTS])
    )
    preview = _with_title(env.fake.messages[ALERTS], "🏁 TCR Europe – deltävling 6: Jarama")
    assert "Tidsschema" in preview["embeds"][0]["description"]
    await env.command(FAN, "subscribe", {"via": "dm"}, locale="en-GB")
    await env.fake.wait_until(
        lambda: "🏁 TCR Europe – round 6: Jarama" in _titles(env.fake.dms[FAN])
    )
    welcome = next(m for m in env.fake.dms[FAN] if m.get("content"))
    assert welcome["content"].endswith("\nThis weekend's timetable: /schedule.")
    await env.setup_alerts()  # again: nothing twice
    await env.settle()
    assert _titles(env.fake.messages[ALERTS]).count("🏁 TCR Europe – deltävling 6: Jarama") == 1


def _late(env: Env) -> None:
    # The world turns late previews off for the other tests (see conftest).
    env.app.engine.settings = dataclasses.replace(env.app.engine.settings, late_preview=True)


def _calls_to(env: Env, path_part: str) -> list[int]:
    """Where in the fake's log of REST calls those with ``path_part`` in their path are."""
    return [n for n, (_, path) in enumerate(env.fake.stats.calls) if path_part in path]


async def test_the_answer_comes_before_the_late_preview_on_discord(env: Env) -> None:
    _late(env)
    env.app.adapters[0].budget.pause(0.2)  # type: ignore[attr-defined]  # a global 429
    answer = await env.command(OWNER, "setup", {"channel": ALERTS, "role": ALERT_ROLE})
    assert "Sparat" in (answer.content or "")
    await env.fake.wait_until(lambda: bool(_titles(env.fake.messages.get(ALERTS, []))))
    # /setup's answer (the interaction callback) went before the channel's first post.
    assert (
        _calls_to(env, f"/interactions/{answer.id}/")[0]
        < _calls_to(env, f"/channels/{ALERTS}/messages")[0]
    )

    # A fan's DMs: the welcome first, the preview after it.
    env.app.adapters[0].budget.pause(0.2)  # type: ignore[attr-defined]
    await env.command(FAN, "subscribe", {"via": "dm"}, locale="en-GB")
    await env.fake.wait_until(lambda: bool(_titles(env.fake.dms.get(FAN, []))))
    await env.settle()
    dms = env.fake.dms[FAN]
    assert [bool(m.get("embeds")) for m in dms] == [False, True]
    assert dms[0]["content"].startswith("Hi! Here you will get reminders")
    assert _titles(dms) == ["🏁 TCR Europe – round 6: Jarama"]


async def test_a_failed_welcome_dm_still_lets_the_preview_go(env: Env) -> None:
    _late(env)
    dm = env.fake.dm_channel(FAN)
    env.fake.fail_next(dm.id, 503)  # the welcome DM: discord.py does not retry a 503
    answer = await env.command(FAN, "subscribe", {"via": "dm"}, locale="en-GB")
    assert "direct messages" in (answer.content or "")
    await env.fake.wait_until(lambda: bool(_titles(env.fake.dms.get(FAN, []))))
    assert _titles(env.fake.dms[FAN]) == ["🏁 TCR Europe – round 6: Jarama"]
    assert not any(m.get("content") for m in env.fake.dms[FAN])  # the welcome was lost
