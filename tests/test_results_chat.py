# ruff: noqa: F811 - the env fixture is imported from test_telegram
"""Issue #15 through the fake Bot API: staff paste the release's results and standings."""

from __future__ import annotations

import pytest

from tests.test_results import seed_results_block, seed_standings_paste
from tests.test_telegram import (  # noqa: F401 - env is the fixture
    ESTORIL_MONDAY,
    STAFF_ID,
    USER,
    Env,
    callback_data,
    env,
)


async def publish(env: Env, draft_text: str, needle: str = "Publicera?") -> str:
    draft = await env.command(STAFF_ID, STAFF_ID, draft_text, needle)
    env.fake.push_callback(STAFF_ID, STAFF_ID, draft.message_id, callback_data(draft)[0])
    await env.fake.wait_until(lambda: "Publicerat" in (draft.text or ""))
    await env.settle()
    return draft.text or ""


@pytest.mark.parametrize("env", [ESTORIL_MONDAY], indirect=True)
async def test_the_seeds_results_block_pasted_after_result_reaches_fans(env: Env) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    await env.command(USER, USER, "/settings language en", "Settings")
    block = "\n".join(seed_results_block("004"))
    draft = await publish(env, f"/result {block}")
    assert draft.startswith("Resultat – Estoril")
    for expected in ("Fri träning 1", "Andreas 21:a, Jessica 22:a", "Race 2", "17:e"):
        assert expected in draft
    summary = await env.wait_text(USER, "Andreas’ results:")
    text = summary.text or ""
    for expected in (
        "Free Practice 1: 21st place",
        "Qualifying: 19th place",
        "Race 1: 15th place",
        "Jessica’s results:",
        "Race 2: 16th place",
    ):
        assert expected in text, expected
    assert env.count(USER, "Andreas’ results:") == 1  # one summary for the whole block
    stored = await env.app.store.results("wtcr-2021", "r2")
    assert len(stored) == 10


@pytest.mark.parametrize("env", [ESTORIL_MONDAY], indirect=True)
async def test_one_session_in_the_releases_swedish_wording(env: Env) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    await publish(env, "/result Race 2:\nAndreas: Bröt (DNF)\nJessica: 16:e (2:a i Trophy)")
    post = await env.wait_text(USER, "Race 2: Andreas")
    assert "Race 2: Andreas bröt (DNF), Jessica 16:e (2:a i WTCR Trophy)" in (post.text or "")


@pytest.mark.parametrize("env", [ESTORIL_MONDAY], indirect=True)
async def test_a_bad_line_refuses_the_paste_naming_the_line(env: Env) -> None:
    answer = await env.command(
        STAFF_ID,
        STAFF_ID,
        "/result Andreas resultat:\nKval: 3:e plats\nRace 9: 12:a\nRace 2: snabb",
        "rad 3",
    )
    text = answer.text or ""
    assert "rad 3 “Race 9: 12:a”: “Race 9” är varken ett pass eller en förare" in text
    assert "rad 4 “Race 2: snabb”: “snabb” är ingen plats eller status" in text
    assert "menade du" in text
    assert not answer.reply_markup  # nothing to publish
    assert await env.app.store.results("wtcr-2021", "r2") == []


@pytest.mark.parametrize("env", [ESTORIL_MONDAY], indirect=True)
async def test_a_place_beyond_the_grid_is_asked_about_in_the_draft(env: Env) -> None:
    draft = await env.command(STAFF_ID, STAFF_ID, "/result race1 andreas 45", "Publicera?")
    assert "⚠️ Kontrollera: plats 45 för Andreas" in (draft.text or "")
    assert callback_data(draft)  # staff can still publish


def test_the_standings_seed_is_importable() -> None:
    assert seed_standings_paste("003")[0] == "WTCR Series Standings"
