# ruff: noqa: F811 - the env fixture is imported from test_release
"""Class places as media officers write them, in running text and in results lines:
"… and Andreas the 3rd", "Andreas slutade trea i Trophy-klassen medan Jessica blev tvåa",
"(P3 Trophy)", "3:a junior", "19th place, 4th in the Trophy". Each is read to its exact
class and place, or the line is listed with what was read and what was not: never a
class place lost without a word.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.authoring.release import ReleasePlan, read_release
from bot.core.schedule import load_catalog
from tests.helpers import SCHEDULES
from tests.test_release import (  # noqa: F401 - the fixtures
    Env,
    _timedelta_retry_after,
    env,
)

FILES = load_catalog(SCHEDULES)
AFTER_ARAGON = datetime(2021, 7, 13, tzinfo=UTC)

EN_BLOCKS = (
    "Andreas’ results:\nRace 1: 15th place\nRace 2: 17th place\n\n"
    "Jessica’s results:\nRace 1: 16th place\nRace 2: 14th place\n\n"
)
SV_BLOCKS = (
    "Andreas resultat:\nRace 1: 15:e plats\nRace 2: 17:e plats\n\n"
    "Jessicas resultat:\nRace 1: 16:e plats\nRace 2: 14:e plats\n\n"
)
PROSE_LINE = 9  # the sentence's line under either pair of blocks


def classes(plan: ReleasePlan) -> dict[tuple[str, str], dict[str, int | None]]:
    return {
        (r.session.id, c.driver_id): dict(c.class_positions)
        for r in plan.results
        for c in r.changes
    }


def not_prose(plan: ReleasePlan) -> list[tuple[int, str, str]]:
    return [(u.first, u.why, u.detail) for u in plan.unused if u.why != "prose"]


def flagged(text: str, language: str) -> tuple[ReleasePlan, int, str]:
    """The plan, and the one line it lists as not (or partly) understood, with why."""
    plan = read_release(text, FILES, AFTER_ARAGON, language)
    ((line, why, detail),) = not_prose(plan)
    assert why == "not_understood"
    return plan, line, detail


@pytest.mark.parametrize(
    ("sentence", "language", "expected"),
    [
        (
            "In Race 1 Jessica was the 2nd best WTCR Trophy driver and Andreas the 3rd.",
            "en",
            {("race1", "jessica"): {"trophy": 2}, ("race1", "andreas"): {"trophy": 3}},
        ),
        (
            "In Race 2, Andreas was the third best Trophy driver while Jessica was second.",
            "en",
            {("race2", "andreas"): {"trophy": 3}, ("race2", "jessica"): {"trophy": 2}},
        ),
        (
            "Jessica was the 3rd best WTCR Trophy driver in Race 1 and the 2nd best Junior "
            "driver, and Andreas finished 15th.",
            "en",
            {("race1", "jessica"): {"trophy": 3, "junior": 2}, ("race1", "andreas"): {}},
        ),
        (
            "I Race 1 slutade Andreas trea i Trophy-klassen medan Jessica blev tvåa.",
            "sv",
            {("race1", "andreas"): {"trophy": 3}, ("race1", "jessica"): {"trophy": 2}},
        ),
        (
            "Jessica blev tvåa i juniorklassen i Race 2 och Andreas slutade 17:e.",
            "sv",
            {("race2", "jessica"): {"junior": 2}, ("race2", "andreas"): {}},
        ),
        (
            "I Race 2 var Jessica 3:e bästa förare i WTCR Trophy och Andreas blev fyra.",
            "sv",
            {("race2", "jessica"): {"trophy": 3}, ("race2", "andreas"): {"trophy": 4}},
        ),
    ],
)
def test_every_class_place_of_a_sentence_is_read(
    sentence: str, language: str, expected: dict[tuple[str, str], dict[str, int]]
) -> None:
    blocks = SV_BLOCKS if language == "sv" else EN_BLOCKS
    plan = read_release(blocks + sentence + "\n", FILES, AFTER_ARAGON, language)
    got = classes(plan)
    for key, places in expected.items():
        assert got[key] == places
    untouched = {k: v for k, v in got.items() if k not in expected}
    assert all(v == {} for v in untouched.values())
    assert not_prose(plan) == []
    assert PROSE_LINE not in {u.first for u in plan.unused}  # the sentence is used


def test_a_podium_without_its_place_is_listed_as_partly_read_in_swedish() -> None:
    text = SV_BLOCKS + (
        "I Race 1 blev Jessica tvåa i Trophy-klassen och tog därmed sin första pallplats "
        "i juniorklassen.\n"
    )
    plan, line, detail = flagged(text, "sv")
    assert classes(plan)[("race1", "jessica")] == {"trophy": 2}
    assert line == PROSE_LINE
    assert detail.startswith("delvis läst: plats 2 i trophy för Jessica; inte läst: ")
    assert "“första pallplats i juniorklassen”" in detail


def test_a_place_with_no_driver_before_it_is_listed_in_english() -> None:
    text = (
        EN_BLOCKS
        + "In Race 2 the 2nd best Junior driver was Jessica, Andreas was 3rd best Trophy driver.\n"
    )
    plan, line, detail = flagged(text, "en")
    assert classes(plan)[("race2", "andreas")] == {"trophy": 3}
    assert classes(plan)[("race2", "jessica")] == {}  # not guessed: no name before "2nd"
    assert line == PROSE_LINE
    assert detail.startswith("partly read: place 3 in trophy for Andreas; not read: ")
    assert "“2nd best Junior”" in detail


def test_an_overall_place_that_disagrees_with_the_block_is_not_read_silently() -> None:
    text = EN_BLOCKS + (
        "Andreas with his 14th position in Race 1 was the 2nd best WTCR Trophy driver.\n"
    )
    plan, line, detail = flagged(text, "en")
    assert classes(plan)[("race1", "andreas")] == {"trophy": 2}
    assert line == PROSE_LINE
    assert "not read: “Andreas with his 14th position”" in detail


def test_a_class_place_for_a_session_with_no_result_is_listed() -> None:
    text = (
        "Andreas’ results:\nRace 1: 15th place\n\n"
        "In Race 1 Andreas was the 2nd best WTCR Trophy driver and Jessica the 3rd.\n"
    )
    plan, line, detail = flagged(text, "en")
    assert classes(plan) == {("race1", "andreas"): {"trophy": 2}}
    assert line == 4
    assert "not read: “Jessica the 3rd”" in detail  # no result: overall or class?


def test_the_class_place_of_the_block_and_a_sentence_that_disagrees() -> None:
    text = (
        "Andreas’ results:\nRace 1: 15th place (2nd in WTCR Trophy)\n\n"
        "In Race 1 Andreas was the 3rd best WTCR Trophy driver.\n"
    )
    plan, line, detail = flagged(text, "en")
    assert classes(plan) == {("race1", "andreas"): {"trophy": 2}}  # the block's stays
    assert line == 4
    assert detail.startswith("not read: “place 3 in trophy for Andreas” (no result for")
    swedish = read_release(text, FILES, AFTER_ARAGON, "sv")
    (refused,) = (u for u in swedish.unused if u.first == 4)
    assert refused.detail.startswith("inte läst: “plats 3 i trophy för Andreas”")


def test_seed_estoril_sentences_stay_fully_read() -> None:
    text = EN_BLOCKS + (
        "Both siblings got to step up on the WTCR Trophy podium in both races, as Andreas "
        "with his 15th position in Race 1 was the 2nd best WTCR Trophy driver. Jessica was "
        "the 3rd best WTCR Trophy driver in Race 1 and the 3rd best Junior driver. In Race "
        "2, Jessica was the 2nd best WTCR Trophy driver and the 2nd best Junior driver, and "
        "Andreas was the 3rd best WTCR Trophy driver.\n"
    )
    plan = read_release(text, FILES, AFTER_ARAGON, "en")
    assert classes(plan) == {
        ("race1", "andreas"): {"trophy": 2},
        ("race1", "jessica"): {"trophy": 3, "junior": 3},
        ("race2", "andreas"): {"trophy": 3},
        ("race2", "jessica"): {"trophy": 2, "junior": 2},
    }
    assert not_prose(plan) == []
    assert PROSE_LINE not in {u.first for u in plan.unused}


# --- class places in results lines ---------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "position", "places"),
    [
        ("Race 1: 15th place (P3 Trophy)", 15, {"trophy": 3}),
        ("Race 1: 15:e (3:a junior)", 15, {"junior": 3}),
        ("Race 1: 19th place, 4th in the Trophy", 19, {"trophy": 4}),
        ("Race 1: 19th place, 4th in the Trophy, 2nd in Junior", 19, {"trophy": 4, "junior": 2}),
        ("Race 1: 15:e plats (2:a i WTCR Trophy)", 15, {"trophy": 2}),
        ("Race 1: P15 (P2 Trophy)", 15, {"trophy": 2}),
        ("Race 1: P15 (P2 Trophy, P1 Junior)", 15, {"trophy": 2, "junior": 1}),
        ("Race 1: 15th place (2nd WTCR Trophy)", 15, {"trophy": 2}),
    ],
)
def test_class_place_layouts_are_read_exactly(
    line: str, position: int, places: dict[str, int]
) -> None:
    plan = read_release("Andreas’ results:\n" + line + "\n", FILES, AFTER_ARAGON, "en")
    ((session, change),) = [(r.session.id, c) for r in plan.results for c in r.changes]
    assert (session, change.driver_id, change.position) == ("race1", "andreas", position)
    assert dict(change.class_positions) == places
    assert plan.unused == []


@pytest.mark.parametrize(
    ("line", "english", "swedish"),
    [
        (
            "Race 1: 15th (P3 Trofy)",
            "“Trofy” is not a class place (did you mean “trophy”?)",
            "“Trofy” är ingen klassplats (menade du “trophy”?)",
        ),
        (
            "Race 1: 15th (16th in Trophy)",
            "place 16 in trophy is behind the overall place 15 (",
            "plats 16 i trophy är sämre än totalplatsen 15 (",
        ),
        (
            "Race 1: 19th place, punctured",
            "“punctured” is not a class place (write class places like this",
            "“punctured” är ingen klassplats (skriv klassplatser så här",
        ),
        (
            "Race 1: 15th (2nd in)",
            "“2nd in” is not a class place (",
            "“2nd in” är ingen klassplats (",
        ),
    ],
)
def test_a_class_place_that_cannot_be_read_is_refused_on_its_line(
    line: str, english: str, swedish: str
) -> None:
    text = "Andreas’ results:\nRace 2: 17th place\n" + line + "\nQualifying: 12th\n"
    for language, expected in (("en", english), ("sv", swedish)):
        plan = read_release(text, FILES, AFTER_ARAGON, language)
        assert [(r.session.id, c.position) for r in plan.results for c in r.changes] == [
            ("race2", 17),
            ("q", 12),
        ]  # the lines around it are kept
        ((number, why, detail),) = not_prose(plan)
        assert (number, why) == (3, "not_understood")
        assert detail.startswith(expected)


def test_a_place_in_the_class_standings_is_not_a_race_class_place() -> None:
    text = EN_BLOCKS + (
        "After Race 2 Jessica is 3rd in the Junior standings and was the 2nd best Trophy "
        "driver in the race.\n"
    )
    plan, line, detail = flagged(text, "en")
    assert classes(plan)[("race2", "jessica")] == {"trophy": 2}
    assert line == PROSE_LINE
    assert "not read: “Jessica is 3rd in the Junior”" in detail


# --- /result typed in the Telegram chat, through the real client and the fake Bot API ------


@pytest.mark.parametrize("env", ["estoril"], indirect=True)
async def test_result_typed_with_commas_and_brackets_in_the_chat(env: Env) -> None:
    draft = await env.send("/result Race2 Andreas P15, Jessica 16 (trophy 2)", "Publicera?")
    assert (draft.text or "").splitlines()[:2] == [
        "Race 2 – Estoril",
        "Race 2: Andreas 15:e, Jessica 16:e (2:a i WTCR Trophy) 🥈",
    ]
    refused = await env.send("/result race2 andreas15 trophy 16", "totalplatsen")
    lines = (refused.text or "").splitlines()
    assert lines[0] == "plats 16 i trophy är sämre än totalplatsen 15"
    assert lines[1].startswith("så här: PASS FÖRARE PLATS")
    assert await env.app.store.results("wtcr-2021", "r2") == []  # nothing recorded


@pytest.mark.parametrize(
    ("sentence", "language", "expected"),
    [
        ("In Race 1 Andreas was the best WTCR Trophy driver.", "en", {"trophy": 1}),
        ("Andreas won the Trophy class in Race 1.", "en", {"trophy": 1}),
        ("I Race 1 vann Andreas Trophy-klassen.", "sv", {"trophy": 1}),
    ],
)
def test_the_best_of_a_class_is_its_first_place(
    sentence: str, language: str, expected: dict[str, int]
) -> None:
    blocks = SV_BLOCKS if language == "sv" else EN_BLOCKS
    plan = read_release(blocks + sentence + "\n", FILES, AFTER_ARAGON, language)
    assert classes(plan)[("race1", "andreas")] == expected
    assert not_prose(plan) == []


def test_a_class_said_without_a_place_beside_a_read_one_is_listed() -> None:
    text = EN_BLOCKS + (
        "In Race 1 Andreas was the 2nd best WTCR Trophy driver. Jessica took the Junior "
        "win in Race 2.\n"
    )
    plan, line, detail = flagged(text, "en")
    assert classes(plan)[("race1", "andreas")] == {"trophy": 2}
    assert classes(plan)[("race2", "jessica")] == {}  # "the Junior win": not guessed
    assert line == PROSE_LINE
    assert "not read: “Jessica took the Junior win in Race 2.”" in detail


def test_a_sentence_restating_the_overall_places_only_stays_prose() -> None:
    text = EN_BLOCKS + "In Race 1 Andreas finished 15th, best of the Trophy drivers.\n"
    plan = read_release(text, FILES, AFTER_ARAGON, "en")
    assert classes(plan)[("race1", "andreas")] == {}
    assert [(u.first, u.why) for u in plan.unused] == [(PROSE_LINE, "prose")]  # listed
