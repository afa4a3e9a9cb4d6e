"""Result corrections on Discord: the edited embed always shows the session's whole result."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.discord.world import ALERTS, FAN, OWNER, Env

RACE1_OVER = datetime(2020, 11, 7, 11, 20, tzinfo=UTC)


def _race1_posts(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m for m in messages if "Race 1: **Andreas**" in str(m.get("embeds"))]


def _result_line(message: dict[str, Any]) -> str:
    """The embed's first description line: "Race 1: **Andreas** 15:e, **Jessica** 16:e"."""
    description: str = message["embeds"][0]["description"]
    return description.splitlines()[0]


async def _fans(env: Env) -> None:
    """The alerts channel (Swedish) and a fan by DM who reads English."""
    await env.setup_alerts()
    await env.command(FAN, "subscribe", {"via": "dm"})
    await env.fake.wait_for_dms(FAN, 1)
    await env.command(FAN, "settings", {"language": "en"})


async def test_a_correction_edits_every_fans_post_with_both_drivers(env: Env, db_url: str) -> None:
    await _fans(env)
    await env.advance_to(RACE1_OVER)
    await env.staff_publish(
        "report-result", {"session": "race1", "places": "andreas 15 jessica 16"}
    )
    (channel,) = _race1_posts(env.fake.messages[ALERTS])
    (dm,) = _race1_posts(env.fake.dms[FAN])
    assert _result_line(channel) == "Race 1: **Andreas** 15:e, **Jessica** 16:e"
    assert _result_line(dm) == "Race 1: **Andreas** 15th, **Jessica** 16th"

    await env.staff_publish("report-result", {"session": "race1", "places": "jessica 14"})
    await env.fake.wait_until(lambda: "14" in _result_line(channel) and "14" in _result_line(dm))
    assert _result_line(channel) == "Race 1: **Andreas** 15:e, **Jessica** 14:e ✏️"
    assert _result_line(dm) == "Race 1: **Andreas** 15th, **Jessica** 14th ✏️"
    assert channel["edits"]
    assert dm["edits"]
    assert "Uppdaterad" in str(channel["embeds"])
    assert "Updated" in str(dm["embeds"])
    assert len(_race1_posts(env.fake.messages[ALERTS])) == 1  # edited, not posted again
    assert len(_race1_posts(env.fake.dms[FAN])) == 1

    await env.staff_publish("report-result", {"session": "race1", "places": "jessica -"})
    await env.fake.wait_until(lambda: "Jessica" not in str(channel["embeds"]))
    await env.fake.wait_until(lambda: "Jessica" not in str(dm["embeds"]))
    assert _result_line(channel) == "Race 1: **Andreas** 15:e"
    assert _result_line(dm) == "Race 1: **Andreas** 15th"
    stored = await env.app.store.results("tcr-europe-2020", "r6")
    assert [(r.driver_id, r.position) for r in stored] == [("andreas", 15)]


async def test_the_removal_draft_shows_what_goes_and_bad_input_changes_nothing(
    env: Env,
) -> None:
    await env.setup_alerts()
    await env.advance_to(RACE1_OVER)
    await env.staff_publish(
        "report-result", {"session": "race1", "places": "andreas 15 jessica 16"}
    )
    (channel,) = _race1_posts(env.fake.messages[ALERTS])
    shown = str(channel["embeds"])
    before = await env.app.store.results("tcr-europe-2020", "r6")

    draft = await env.command(OWNER, "report-result", {"session": "race1", "places": "jessica -"})
    assert draft.ephemeral
    assert "Race 1: **Andreas** 15:e" in str(draft.embeds)
    assert "✏️ Borttaget: **Jessica** 16:e" in str(draft.embeds)

    for places, locale, answer in (
        ("andreas 16", "sv-SE", "Jessica har redan plats 16 i Race 1."),
        ("andreas 16", "en-US", "Jessica already has place 16 in Race 1."),
        ("andreas 15 trophy -", "en-US", "Andreas has no place in trophy in Race 1 to remove."),
    ):
        refused = await env.command(
            OWNER, "report-result", {"session": "race1", "places": places}, locale=locale
        )
        assert answer in (refused.content or ""), refused.content
        assert not refused.components  # nothing to publish
    assert await env.app.store.results("tcr-europe-2020", "r6") == before
    assert str(channel["embeds"]) == shown


async def test_the_places_hint_typed_exactly_as_shown_is_a_result(env: Env) -> None:
    await env.advance_to(RACE1_OVER)
    places = env.fake.get_command("report-result")["options"][1]
    for locale, key, prefix in (("sv-SE", "sv-SE", "t.ex. "), ("en-US", None, "e.g. ")):
        hint = places["description_localizations"][key] if key else places["description"]
        assert hint.startswith(prefix)
        assert "`" not in hint
        draft = await env.command(
            OWNER,
            "report-result",
            {"session": "race1", "places": hint.removeprefix(prefix)},
            locale=locale,
        )
        shown = str(draft.embeds) + (draft.content or "")
        assert "Trophy" in shown or "trophy" in shown, shown
        assert any(
            c["custom_id"].startswith("rb:ok:")
            for row in draft.components
            for c in row["components"]
        ), shown
    usage = await env.command(OWNER, "report-result", {"session": "race1", "places": "andreas ?"})
    assert "`" not in (usage.content or "") + str(usage.embeds)
