"""Results blocks and standings tables of whole releases as staff really type them: "P15",
"15.", "Ej start", a one-letter "Q:", a blank line under the heading, a Markdown table,
"=20." ties, "190,5 p", tab-separated rows, and thousands separators, which are refused
rather than read as a name with a digit in it. Every line is used or named with why.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.authoring.release import ReleasePlan, read_release
from bot.core.results.model import ResultStatus
from bot.core.schedule import load_catalog
from tests.helpers import SCHEDULES

FILES = load_catalog(SCHEDULES)
AFTER_ARAGON = datetime(2021, 7, 13, tzinfo=UTC)


def results(plan: ReleasePlan) -> list[tuple[str, str, int | None, ResultStatus | None]]:
    return [
        (r.session.id, c.driver_id, c.position, c.status) for r in plan.results for c in r.changes
    ]


def not_prose(plan: ReleasePlan) -> list[tuple[int, str]]:
    return [(u.first, u.why) for u in plan.unused if u.why != "prose"]


ENGLISH = """Tough weekend in the Spanish heat

The siblings fought hard at MotorLand Aragón.

Andreas’ results:

FP1: P21
FP2: P22
Q: P17
Race 1: 16.
Race 2: Did not finish

Jessica’s results:
Free Practice 1 – P22
Free Practice 2 – DNS
Qualifying – 19th
Race 1 – DSQ
Race 2 – 17th place
"""


def test_an_english_release_with_p_places_short_labels_and_spelled_out_statuses() -> None:
    plan = read_release(ENGLISH, FILES, AFTER_ARAGON, "en")
    assert results(plan) == [  # session by session, both drivers in each
        ("fp1", "andreas", 21, None),
        ("fp1", "jessica", 22, None),
        ("fp2", "andreas", 22, None),
        ("fp2", "jessica", None, ResultStatus.DNS),
        ("q", "andreas", 17, None),
        ("q", "jessica", 19, None),
        ("race1", "andreas", 16, None),
        ("race1", "jessica", None, ResultStatus.DSQ),
        ("race2", "andreas", None, ResultStatus.DNF),
        ("race2", "jessica", 17, None),
    ]
    assert [(u.first, u.last, u.why) for u in plan.unused] == [(1, 3, "prose")]


SWEDISH = """Jobbig helg i Spanien

Andreas resultat:
Fri träning 1: 21.
Fri träning 2: 22:a
Kval: 17:e plats

Race 1: 16:e plats
Race 2: Ej start
"""


def test_a_swedish_block_with_a_gap_inside_and_ej_start() -> None:
    plan = read_release(SWEDISH, FILES, AFTER_ARAGON)
    assert results(plan) == [
        ("fp1", "andreas", 21, None),
        ("fp2", "andreas", 22, None),
        ("q", "andreas", 17, None),
        ("race1", "andreas", 16, None),
        ("race2", "andreas", None, ResultStatus.DNS),
    ]
    assert not_prose(plan) == []


def test_a_line_without_a_colon_inside_a_block_is_refused_not_prose() -> None:
    text = SWEDISH.replace("Kval: 17:e plats", "Kval 17:e plats")
    plan = read_release(text, FILES, AFTER_ARAGON)
    assert ("race1", "andreas", 16, None) in results(plan)  # the lines after it are read
    assert not_prose(plan) == [(6, "not_understood")]
    (refusal,) = (u for u in plan.unused if u.first == 6)
    assert refusal.text == "Kval 17:e plats"


def test_a_results_table_in_markdown_and_a_dashed_heading() -> None:
    text = """Results from Aragón

Results – Andreas Bäckman:
| Session | Result |
|---------|--------|
| Qualifying | 17th place |
| Race 1 | 16th place |
| Race 2 | Retired (DNF) |
"""
    plan = read_release(text, FILES, AFTER_ARAGON, "en")
    assert results(plan) == [
        ("q", "andreas", 17, None),
        ("race1", "andreas", 16, None),
        ("race2", "andreas", None, ResultStatus.DNF),
    ]
    assert [(u.first, u.why) for u in plan.unused] == [(1, "prose")]


# --- standings ----------------------------------------------------------------------------


def rows(plan: ReleasePlan) -> list[list[tuple[int, str, float]]]:
    return [[(r.position, r.name, r.points) for r in s.table.rows] for s in plan.standings]


def test_ties_with_equals_signs_and_swedish_decimal_commas() -> None:
    text = """Mästerskapsställningen

Förarmästerskapstabell – Totalt (Topp tre)
FIA WTCR 2021 (Efter 3 av 8 tävlingshelger)
1. Jean-Karl Vernay (FRA) 82 p
2. Yann Ehrlacher (FRA) 74,5 p
3. Yvan Muller (FRA) 67 p
–
=20. Jessica Bäckman (SWE) 2 p
=20. Andreas Bäckman (SWE) 2 p
"""
    plan = read_release(text, FILES, AFTER_ARAGON)
    assert rows(plan) == [
        [
            (1, "Jean-Karl Vernay", 82),
            (2, "Yann Ehrlacher", 74.5),
            (3, "Yvan Muller", 67),
            (20, "Jessica Bäckman", 2),
            (20, "Andreas Bäckman", 2),
        ]
    ]
    assert not_prose(plan) == []


def test_a_table_pasted_with_tabs_and_one_typed_with_dashes() -> None:
    text = """WTCR Trophy – Overall (Top 3)
FIA WTCR 2021 (After 3 of 8 race weekends)
1\tGilles Magnus (BEL)\t190.5 pts
2\tTom Coronel (NLD)\t133 pts
3\tJessica Bäckman (SWE)\t125 pts

FIA World Touring Car Cup for Junior Drivers – Overall (Top 3)
FIA WTCR 2021 (After 3 of 8 race weekends)
1 – Gilles Magnus (BEL) – 166 p
2 – Luca Engstler (DEU) – 125 p
3 – Jessica Bäckman (SWE) – 102 p
"""
    plan = read_release(text, FILES, AFTER_ARAGON, "en")
    assert rows(plan) == [
        [(1, "Gilles Magnus", 190.5), (2, "Tom Coronel", 133), (3, "Jessica Bäckman", 125)],
        [(1, "Gilles Magnus", 166), (2, "Luca Engstler", 125), (3, "Jessica Bäckman", 102)],
    ]
    assert plan.unused == []


TEAMS = """Team standings
WTCR – FIA World Touring Car Cup for Teams – Overall (Top 3)
FIA WTCR 2021 (After 8 of 8 race weekends)
1: Cyan Racing Lynk & Co, 1,141 pts
2: Engstler Hyundai N Liqui Moly Racing Team, 1 021 pts
3: Target Competition, 1.003 p.
4: Cyan Performance Lynk & Co, 912 p.
"""


def test_thousands_separators_are_refused_not_read_into_the_name() -> None:
    """'1,141 pts' was read as the team '…, 1' with 141 points."""
    plan = read_release(TEAMS, FILES, AFTER_ARAGON, "en")
    refusals = {u.first: u.detail for u in plan.unused if u.why == "not_understood"}
    assert sorted(refusals) == [4, 5, 6]
    assert refusals[4].startswith("the points “1,141” may have a thousands separator")
    assert "“1 021”" in refusals[5]
    assert "“1.003”" in refusals[6]
    assert "1141 p." in refusals[4]  # the hint: how to write it
    assert rows(plan) == [[(4, "Cyan Performance Lynk & Co", 912)]]
    swedish = read_release(TEAMS, FILES, AFTER_ARAGON, "sv")
    detail = next(u.detail for u in swedish.unused if u.first == 4)
    assert detail.startswith("poängen “1,141” kan ha tusentalsavgränsare")


def test_points_written_plainly_after_a_comma_are_read() -> None:
    text = TEAMS.replace("1,141", "1141").replace("1 021", "1021").replace("1.003", "1003")
    plan = read_release(text, FILES, AFTER_ARAGON, "en")
    assert [p for table in rows(plan) for _, _, p in table] == [1141, 1021, 1003, 912]


def test_results_written_session_by_session_are_read_not_prose() -> None:
    """Without a "Andreas’ results:" heading these lines were listed as prose."""
    text = """Race day at Aragón

Race 1: Andreas 16th, Jessica 19th
Race 2:
Andreas – Retired (DNF)
Jessica – 17th place
"""
    plan = read_release(text, FILES, AFTER_ARAGON, "en")
    assert results(plan) == [
        ("race1", "andreas", 16, None),
        ("race1", "jessica", 19, None),
        ("race2", "andreas", None, ResultStatus.DNF),
        ("race2", "jessica", 17, None),
    ]
    assert [(u.first, u.why) for u in plan.unused] == [(1, "prose")]


def test_rows_as_p1_or_1st_and_a_country_between_commas() -> None:
    text = """WTCR Trophy – Overall (Top 3)
FIA WTCR 2021 (After 3 of 8 race weekends)
P1 Gilles Magnus (BEL) 62 pts
2nd Tom Coronel (NLD) 33 pts
3: Jessica Bäckman, SWE, 25 p.
"""
    plan = read_release(text, FILES, AFTER_ARAGON, "en")
    (table,) = (s.table for s in plan.standings)
    assert [(r.position, r.name, r.country, r.points, r.ours) for r in table.rows] == [
        (1, "Gilles Magnus", "BEL", 62, False),
        (2, "Tom Coronel", "NLD", 33, False),
        (3, "Jessica Bäckman", "SWE", 25, True),  # ours: the country is not in her name
    ]
    assert plan.unused == []


def test_a_minus_before_the_points_is_refused_not_read_as_a_dash() -> None:
    """'…, -5 p.' was read as 5 points for '… (BEL),'."""
    text = """WTCR Trophy – Overall (Top 3)
FIA WTCR 2021 (After 3 of 8 race weekends)
1: Gilles Magnus (BEL), 62 p.
2: Tom Coronel (NLD), -5 p.
"""
    plan = read_release(text, FILES, AFTER_ARAGON, "en")
    assert rows(plan) == [[(1, "Gilles Magnus", 62)]]
    assert not_prose(plan) == [(4, "not_understood")]


def test_a_short_sentence_after_the_block_stays_prose() -> None:
    text = SWEDISH + "\nAndreas blev tvåa i WTCR Trophy i Race 1.\n"
    plan = read_release(text, FILES, AFTER_ARAGON)
    assert len(results(plan)) == 5
    # Not a results line; since the class-places reader reads Swedish "blev tvåa i WTCR
    # Trophy", the sentence gives Andreas's class place and is used (was: prose, unread).
    (race1,) = (c for r in plan.results if r.session.id == "race1" for c in r.changes)
    assert dict(race1.class_positions) == {"trophy": 2}
    assert [(u.first, u.why) for u in plan.unused] == [(1, "prose")]


# --- standings with a header row and points without a unit ---------------------------------

MARKDOWN_STANDINGS = """Drivers’ standings
FIA WTCR 2021 (After 3 of 8 race weekends)
| Pos | Driver | Pts |
|---|---|---|
| 1 | Mikel Azcona (ESP) | 359 |
| 2 | Yann Ehrlacher (FRA) | 74.5 |
| =20 | Jessica Bäckman (SWE) | 2 |
| =20 | Andreas Bäckman (SWE) | 2 |
"""


def test_a_markdown_table_with_a_header_row_and_points_without_a_unit() -> None:
    plan = read_release(MARKDOWN_STANDINGS, FILES, AFTER_ARAGON, "en")
    assert rows(plan) == [
        [
            (1, "Mikel Azcona", 359),
            (2, "Yann Ehrlacher", 74.5),
            (20, "Jessica Bäckman", 2),
            (20, "Andreas Bäckman", 2),
        ]
    ]
    (table,) = (s.table for s in plan.standings)
    assert [r.ours for r in table.rows] == [False, False, True, True]
    assert plan.unused == []


def test_a_tab_table_with_a_swedish_header_and_decimal_commas() -> None:
    text = (
        "Förarmästerskapet\n"
        "FIA WTCR 2021 (Efter 3 av 8 tävlingshelger)\n"
        "Pos\tFörare\tPoäng\n"
        "1\tMikel Azcona (ESP)\t359\n"
        "2\tYann Ehrlacher (FRA)\t74,5\n"
        "3\tJessica Bäckman (SWE)\t67\n"
    )
    plan = read_release(text, FILES, AFTER_ARAGON, "sv")
    assert rows(plan) == [
        [(1, "Mikel Azcona", 359), (2, "Yann Ehrlacher", 74.5), (3, "Jessica Bäckman", 67)]
    ]
    assert plan.unused == []


def test_bad_rows_under_a_header_are_refused_by_line_and_the_rest_kept() -> None:
    text = MARKDOWN_STANDINGS.replace(
        "| 2 | Yann Ehrlacher (FRA) | 74.5 |", "| 2 | Yann Ehrlacher (FRA) | |"
    )
    text = text.replace("| 1 | Mikel Azcona (ESP) | 359 |", "| 1 | Mikel Azcona (ESP) | 1,359 |")
    text += "| 20 | Tom Coronel (NLD) | 5 |\n"
    for language, bad_row, thousands, taken in (
        ("en", "not a standings row", "the points “1,359” may", "position 20 is already on line 7"),
        ("sv", "ingen tabellrad", "poängen “1,359” kan", "plats 20 finns redan på rad 7"),
    ):
        plan = read_release(text, FILES, AFTER_ARAGON, language)
        assert rows(plan) == [[(20, "Jessica Bäckman", 2), (20, "Andreas Bäckman", 2)]]
        refused = {u.first: u.detail for u in plan.unused if u.why == "not_understood"}
        assert sorted(refused) == [5, 6, 9]
        assert refused[5].startswith(thousands)
        assert refused[6].startswith(bad_row)
        assert refused[9].startswith(taken)
        assert not_prose(plan) == [
            (5, "not_understood"),
            (6, "not_understood"),
            (9, "not_understood"),
        ]


def test_points_without_a_unit_and_no_header_are_still_refused() -> None:
    """Without a header naming a points column, "1 – Mikel Azcona (ESP) – 359" could be
    a car number or a year: the row is refused, not guessed."""
    text = MARKDOWN_STANDINGS.replace("| Pos | Driver | Pts |\n|---|---|---|\n", "")
    plan = read_release(text, FILES, AFTER_ARAGON, "en")
    assert rows(plan) == []
    refused = [(u.first, u.last, u.detail) for u in plan.unused if u.why == "not_understood"]
    assert [(first, last) for first, last, _ in refused] == [(3, 6)]  # one reason, 4 rows
    assert refused[0][2].startswith("not a standings row (write rows as the release")


def test_standings_typed_to_the_command_with_tabs_or_pipes_and_a_header() -> None:
    """read_standings on its own (the /standings paste), not cleaned by the release."""
    from bot.core.results.standings import read_standings

    tabbed = (
        "Förare\n"
        "FIA WTCR 2021 (Efter 3 av 8 tävlingshelger)\n"
        "Pos\tFörare\tPoäng\n"
        "1\tMikel Azcona (ESP)\t359\n"
        "2\tYann Ehrlacher (FRA)\t\n"
        "3\tJessica Bäckman (SWE)\t74,5\n"
    )
    for text in (tabbed, MARKDOWN_STANDINGS):
        reading = read_standings(text, our_names=["Jessica Bäckman"], language="sv")
        got = [(r.position, r.name, r.points, r.ours) for t in reading.tables for r in t.rows]
        assert got[0] == (1, "Mikel Azcona", 359, False)
    reading = read_standings(tabbed, language="sv")
    assert [(r.position, r.points) for t in reading.tables for r in t.rows] == [(1, 359), (3, 74.5)]
    ((line, message),) = [(p.line, p.message) for p in reading.problems]
    assert (line, message) == (5, "ingen tabellrad")
    piped = read_standings(MARKDOWN_STANDINGS, language="en")
    assert [(r.position, r.points) for t in piped.tables for r in t.rows] == [
        (1, 359),
        (2, 74.5),
        (20, 2),
        (20, 2),
    ]
    assert piped.problems == ()
    assert piped.left_out == ()


# --- /result as staff type it on a phone -----------------------------------------------------


def _typed(
    text: str, language: str
) -> tuple[list[tuple[str, str, object, dict[str, int | None]]], list[tuple[int, str, str]]]:
    """What the chat /result reads (the service's own call): changes, and refusals."""
    from bot.core.results.lines import read_results

    series = next(s for s in FILES.series if s.id == "wtcr-2021")
    reading = read_results(
        text, sessions=list(series.format), drivers=series.drivers, language=language
    )
    changes = [
        (s.session.id, c.driver_id, c.position or c.status, dict(c.class_positions))
        for s in reading.sessions
        for c in s.changes
    ]
    return changes, [(p.line, p.message, p.hint or "") for p in reading.problems]


TYPED = [
    ("Race2 Andreas P15 Jessica DNF", [("andreas", 15, {}), ("jessica", ResultStatus.DNF, {})]),
    ("race2 andreas P15, jessica dnf", [("andreas", 15, {}), ("jessica", ResultStatus.DNF, {})]),
    (
        "Race 2 Andreas 15 Jessica 16 (trophy 2)",
        [("andreas", 15, {}), ("jessica", 16, {"trophy": 2})],
    ),
    ("race 2: andreas 15:e", [("andreas", 15, {})]),
    ("race2 andreas 15 – jessica 16", [("andreas", 15, {}), ("jessica", 16, {})]),
    ("race2 andreas – 15 jessica 16", [("andreas", 15, {}), ("jessica", 16, {})]),
    ("race2 andreas - 15, jessica 16", [("andreas", 15, {}), ("jessica", 16, {})]),
    ("race2 andreas15 jessica16", [("andreas", 15, {}), ("jessica", 16, {})]),
    ("Race2 Andreas 15:e, Jessica 16:e", [("andreas", 15, {}), ("jessica", 16, {})]),
    ("Race2 Andreas 15e Jessica 16e", [("andreas", 15, {}), ("jessica", 16, {})]),
    ("race2 andreas 15 junior3", [("andreas", 15, {"junior": 3})]),
    (
        "Race 2: Andreas 15th (2nd Trophy), Jessica DNF",
        [("andreas", 15, {"trophy": 2}), ("jessica", ResultStatus.DNF, {})],
    ),
    (
        "race2: andreas – 15, jessica – dnf",
        [("andreas", 15, {}), ("jessica", ResultStatus.DNF, {})],
    ),
    ("RACE 2 ANDREAS 15 JESSICA 16", [("andreas", 15, {}), ("jessica", 16, {})]),
]


@pytest.mark.parametrize(("text", "expected"), TYPED)
def test_result_typed_on_a_phone_is_read_exactly(
    text: str, expected: list[tuple[str, object, dict[str, int]]]
) -> None:
    for language in ("sv", "en"):
        changes, refusals = _typed(text, language)
        assert refusals == []
        assert changes == [("race2", who, what, classes) for who, what, classes in expected]


@pytest.mark.parametrize(
    ("text", "english", "swedish"),
    [
        (
            "race2 andreas 15 jessica 15",
            "Andreas and Jessica both have place 15",
            "Andreas och Jessica har båda plats 15",
        ),
        (
            "race2 andreas 15 jessica - trophy 2",
            "“trophy” after “-” for Jessica",
            "“trophy” efter “-” för Jessica",
        ),
        (
            "race2 andreas 15 (trophy)",
            "unknown driver “trophy”",
            "okänd förare “trophy”",
        ),
        ("race2 andrea 15", "unknown driver “andrea”", "okänd förare “andrea”"),
        ("race 3 andreas 15", "unknown session", "okänt pass"),
        (
            "race2 andreas 15 trophy 16",
            "place 16 in trophy is behind",
            "plats 16 i trophy är sämre",
        ),
    ],
)
def test_result_typed_wrong_is_refused_in_the_callers_language(
    text: str, english: str, swedish: str
) -> None:
    for language, expected in (("en", english), ("sv", swedish)):
        changes, refusals = _typed(text, language)
        assert changes == []
        ((line, message, hint),) = refusals
        assert line == 1
        assert expected in message
        usage = "usage: SESSION DRIVER PLACE" if language == "en" else "så här: PASS FÖRARE PLATS"
        assert usage in hint or "“Andreas’ results:”" in hint or "“Andreas resultat:”" in hint


def test_a_standings_table_without_its_title_is_refused_not_prose() -> None:
    text = (
        "Great weekend!\n\n| Pos | Driver | Pts |\n|---|---|---|\n"
        "| 1 | Mikel Azcona (ESP) | 359 |\n"
    )
    for language, start in (
        ("en", "a standings table without its title"),
        ("sv", "en tabell utan rubrik"),
    ):
        plan = read_release(text, FILES, AFTER_ARAGON, language)
        assert plan.standings == []
        ((first, last, why, detail),) = [
            (u.first, u.last, u.why, u.detail) for u in plan.unused if u.why != "prose"
        ]
        assert (first, last, why) == (3, 5, "not_understood")
        assert detail.startswith(start)
