"""/result on Discord in the release's own wording (issue #15): the session option, then lines."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.discord.world import ALERTS, OWNER, Env

RACE2_OVER = datetime(2020, 11, 7, 15, 0, tzinfo=UTC)


async def test_the_places_option_takes_release_lines(env: Env) -> None:
    await env.setup_alerts()
    await env.advance_to(RACE2_OVER)
    await env.staff_publish(
        "report-result",
        {"session": "race2", "places": "Andreas: Bröt (DNF), Jessica: 12:a (3:a i Trophy)"},
    )
    await env.fake.wait_until(
        lambda: any(
            "Race 2: **Andreas**" in str(m.get("embeds")) for m in env.fake.messages[ALERTS]
        )
    )
    post = next(m for m in env.fake.messages[ALERTS] if "Race 2: **Andreas**" in str(m["embeds"]))
    first = post["embeds"][0]["description"].splitlines()[0]
    assert first == "Race 2: **Andreas** bröt (DNF), **Jessica** 12:e (3:e i WTCR Trophy) 🥉"


async def test_a_line_it_cannot_read_is_refused_with_a_hint(env: Env) -> None:
    await env.advance_to(RACE2_OVER)
    answer = await env.command(
        OWNER, "report-result", {"session": "race2", "places": "Andreas: snabb"}
    )
    assert answer.ephemeral
    assert "“snabb” är ingen plats eller status" in (answer.content or "")
    assert "17:e plats" in (answer.content or "")
    assert await env.app.store.results("tcr-europe-2020", "r6") == []
