# ruff: noqa: F811 - the env fixture is imported from test_telegram
"""Issue #15 through the fake Bot API: staff paste the release's results and standings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import SCHEDULES
from tests.test_release import ESTORIL
from tests.test_results import seed_results_block, seed_standings_paste
from tests.test_telegram import (  # noqa: F401 - env is the fixture
    ESTORIL_MONDAY,
    STAFF_ID,
    START,
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


def _with_grids(tmp_path: Path) -> Path:
    """The shipped schedules with the grids the files can give: TCR Europe 2020 about 30
    cars a weekend, and WTCR 2021 as a 25-car series."""
    folder = tmp_path / "schedules"
    folder.mkdir()
    for path in SCHEDULES.glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        grid = {"tcr-europe-2020.toml": 30, "wtcr-2021.toml": 25}.get(path.name)
        if grid is not None:
            text = re.sub(
                r"^rounds = (\d+)$", rf"rounds = \1\ngrid = {grid}", text, count=1, flags=re.M
            )
        (folder / path.name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("env", [(START, _with_grids)], indirect=True)
async def test_the_grid_is_the_series_entry_count_from_its_schedule_file(env: Env) -> None:
    """TCR Europe had some 30 cars: 31st is asked about, 30th is not."""
    draft = await env.command(STAFF_ID, STAFF_ID, "/result q andreas 31 jessica 30", "Publicera?")
    text = draft.text or ""
    assert "⚠️ Kontrollera: plats 31 för Andreas – TCR Europe har 30 bilar i startfältet." in text
    assert "för Jessica" not in text
    assert callback_data(draft)  # staff can still publish


@pytest.mark.parametrize("env", [(ESTORIL_MONDAY, _with_grids)], indirect=True)
async def test_a_25_car_series_asks_about_27th_in_a_result_and_in_a_release(env: Env) -> None:
    draft = await env.command(STAFF_ID, STAFF_ID, "/result race1 andreas 27", "Publicera?")
    assert "⚠️ Kontrollera: plats 27 för Andreas – FIA WTCR har 25 bilar i startfältet." in (
        draft.text or ""
    )
    release = ESTORIL.replace("Race 1: 15th place", "Race 1: 27th place", 1)
    assert release != ESTORIL
    draft = await env.command(STAFF_ID, STAFF_ID, f"/release {release}", "Publicera?")
    text = draft.text or ""
    assert "⚠️ Kontrollera: plats 27 för Andreas – FIA WTCR har 25 bilar i startfältet." in text
    assert text.count("⚠️ Kontrollera") == 1  # the 21st and 22nd places are on the grid


@pytest.mark.parametrize("env", [ESTORIL_MONDAY], indirect=True)
async def test_standings_with_a_tie_half_points_and_one_bad_row(env: Env) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    paste = "\n".join(
        [
            "WTCR Series Standings",
            "WTCR Trophy – Overall (Top 3)",
            "FIA WTCR 2021 (After 2 of 8 race weekends)",
            "1: Gilles Magnus (BEL), 42.5 pts",
            "2: Tom Coronel (NLD), 22 p.",
            "=3 Andreas Bäckman (SWE), 17 p.",
            "=3 Jessica Bäckman (SWE), 17 p.",
            "5: Kalle Anka (SWE) sjutton p.",
            "See the full standings here",
        ]
    )
    draft = await publish(env, f"/standings {paste}")
    assert "1: Gilles Magnus (BEL), 42.5 p." in draft  # echoed as pasted
    assert "3: Andreas Bäckman (SWE), 17 p.\n3: Jessica Bäckman (SWE), 17 p." in draft
    assert "Inte med (rätta och skicka igen):\nrad 8 “5: Kalle Anka (SWE) sjutton p.”: " in draft
    assert "rad 1 “WTCR Series Standings”: rubrik ovanför tabellerna" in draft
    assert "rad 9 “See the full standings here”: länktext utan länk" in draft
    table = await env.wait_text(USER, "1: Gilles Magnus (BEL), 42,5 p.")  # a Swedish fan
    text = table.text or ""
    assert "Kalle" not in text
    assert "WTCR Series Standings" not in text
    assert "WTCR Trophy – Totalt (Topp tre)" in text


@pytest.mark.parametrize("env", [ESTORIL_MONDAY], indirect=True)
async def test_standings_with_no_readable_table_are_refused_by_line(env: Env) -> None:
    answer = await env.command(STAFF_ID, STAFF_ID, "/standings 1: A, 2 p.\n–", "rad 1")
    assert "rad 1 “1: A, 2 p.”: en rad före tabellens rubrik" in (answer.text or "")
    assert "rad 2 “–”: ett streck före första raden" in (answer.text or "")
    assert not answer.reply_markup


@pytest.mark.parametrize("env", [ESTORIL_MONDAY], indirect=True)
async def test_the_seeds_standings_draft_names_every_line_it_does_not_print(env: Env) -> None:
    paste = "\n".join(seed_standings_paste("004"))
    draft = await env.command(STAFF_ID, STAFF_ID, f"/standings {paste}", "Publicera?")
    text = draft.text or ""
    assert "Lästa men inte med i inlägget:" in text
    assert "rad 1 “WTCR Series Standings”" in text
    assert text.count("länktext utan länk") == 4
    assert "Inte med" not in text
