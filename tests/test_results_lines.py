"""Results typed the way the releases print them (issue #15): read, or refused by line."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.model import SessionTemplate
from bot.core.results.lines import (
    ResultsReading,
    grid_doubts,
    looks_like_results_heading,
    problems_error,
    read_results,
)
from bot.core.results.model import ResultChange, ResultStatus
from tests.test_results import DRIVERS, FORMAT, seed_results_block

DNF = ResultStatus.DNF


def read(text: str, language: str = "en", first_line: int = 1) -> ResultsReading[SessionTemplate]:
    return read_results(
        text, sessions=FORMAT, drivers=DRIVERS, language=language, first_line=first_line
    )


def outcomes(reading: ResultsReading[SessionTemplate]) -> dict[str, list[tuple[object, ...]]]:
    return {
        entry.session.id: [
            (c.driver_id, c.position, c.status, c.class_positions, c.note) for c in entry.changes
        ]
        for entry in reading.sessions
    }


def only_problem(text: str, language: str = "en") -> tuple[int, str, str]:
    reading = read(text, language)
    [problem] = reading.problems
    assert problem.hint
    return problem.line, problem.message, problem.hint


# --------------------------------------------------------------------------- the seeds


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        (
            "003",
            {
                "fp1": [21, 22],
                "fp2": [22, 21],
                "q": [17, 19],
                "race1": [16, 19],
                "race2": [DNF, 17],
            },
        ),
        (
            "004",
            {
                "fp1": [21, 22],
                "fp2": [16, 21],
                "q": [19, 20],
                "race1": [15, 16],
                "race2": [17, 16],
            },
        ),
    ],
)
def test_the_seeds_results_blocks_are_read_whole(
    prefix: str, expected: dict[str, list[object]]
) -> None:
    block = seed_results_block(prefix)
    reading = read("\n".join(block), first_line=40)
    assert reading.problems == ()
    assert reading.used == frozenset(range(40, 40 + len(block)))  # every line used
    got = {
        session: [(c.driver_id, c.position or c.status) for c in changes]
        for session, changes in ((s.session.id, s.changes) for s in reading.sessions)
    }
    assert got == {
        k: list(zip(["andreas", "jessica"], v, strict=True)) for k, v in expected.items()
    }
    assert all(len(s.lines) == len(s.changes) for s in reading.sessions)


# --------------------------------------------------------------------------- wordings


SWEDISH_BLOCK = """\
Andreas resultat:
Fri träning 1: 21:a plats
Kval: 3:e plats
Race 1: 15:e plats (2:a i WTCR Trophy)
Race 2: Bröt (DNF)
Jessicas resultat:
Fri träning 1: 22:a plats
Kvalificering: 12:a (3:a i Trophy)
Race 1: 16:e (3:e i WTCR Trophy och 3:e i juniorklassen) – punktering
Race 2: Startade inte (DNS)
"""


def test_a_swedish_block_as_the_media_officer_writes_it() -> None:
    reading = read(SWEDISH_BLOCK, "sv")
    assert reading.problems == ()
    assert outcomes(reading) == {
        "fp1": [("andreas", 21, None, {}, None), ("jessica", 22, None, {}, None)],
        "q": [("andreas", 3, None, {}, None), ("jessica", 12, None, {"trophy": 3}, None)],
        "race1": [
            ("andreas", 15, None, {"trophy": 2}, None),
            ("jessica", 16, None, {"trophy": 3, "junior": 3}, "punktering"),
        ],
        "race2": [
            ("andreas", None, DNF, {}, None),
            ("jessica", None, ResultStatus.DNS, {}, None),
        ],
    }


@pytest.mark.parametrize(
    "text",
    [
        "Andreas’ results:\nRace 1: 15th place (2nd in WTCR Trophy)\nJessica’s results:\n"
        "Race 1: 16th place",
        "Andreas' results\nRace 1 - 15th (2nd in Trophy)\nJessica's results\nRace 1 – P16",
        "Results for Andreas:\n• Race 1: 15th place (WTCR Trophy: 2nd)\nResultat för Jessica\n"
        "- race 1: 16",
        "Race 1:\nAndreas: 15th place (2nd in WTCR Trophy)\nJessica: 16th place",
        "Race 1: Andreas 15th (2nd in WTCR Trophy), Jessica Bäckman 16th",
        "Andreas Race 1: 15:e (2:a i Trophy)\nRace 1 Jessica: 16:e plats",
        "race1 andreas 15 trophy 2 jessica 16",
        "Race 1: andreas 15 trophy 2 jessica 16",
        "RESULTAT:\nrace 1: ANDREAS 15TH (2ND IN WTCR TROPHY), JESSICA 16TH",
    ],
)
def test_everyday_layouts_of_one_session(text: str) -> None:
    reading = read(text)
    assert reading.problems == ()
    assert outcomes(reading) == {
        "race1": [
            ("andreas", 15, None, {"trophy": 2}, None),
            ("jessica", 16, None, {}, None),
        ]
    }


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        ("Retired (DNF)", ResultStatus.DNF),
        ("Bröt (DNF)", ResultStatus.DNF),
        ("Retierd (DNF)", ResultStatus.DNF),  # a typo the code in brackets settles
        ("DNF", ResultStatus.DNF),
        ("utgick", ResultStatus.DNF),
        ("Did not start (DNS)", ResultStatus.DNS),
        ("startade inte", ResultStatus.DNS),
        ("Disqualified (DSQ)", ResultStatus.DSQ),
        ("diskvalificerad", ResultStatus.DSQ),
        ("Ej klassad (NC)", ResultStatus.NC),
        ("Not classified", ResultStatus.NC),
    ],
)
def test_statuses_as_the_releases_word_them(outcome: str, status: ResultStatus) -> None:
    reading = read(f"Andreas’ results:\nRace 2: {outcome}")
    assert outcomes(reading) == {"race2": [("andreas", None, status, {}, None)]}


def test_a_quoted_note_and_the_command_syntax_line_by_line() -> None:
    reading = read('Race 2: Andreas Retired (DNF) "puncture on the last lap"\nfp1 andreas 3')
    assert outcomes(reading) == {
        "race2": [("andreas", None, DNF, {}, "puncture on the last lap")],
        "fp1": [("andreas", 3, None, {}, None)],
    }


def test_a_session_option_is_the_block_everything_is_under() -> None:
    race2 = next(s for s in FORMAT if s.id == "race2")
    reading = read_results(
        "Andreas: Bröt (DNF)\nJessica: 17:e", sessions=FORMAT, drivers=DRIVERS,
        language="sv", session=race2,
    )  # fmt: skip
    assert outcomes(reading) == {
        "race2": [("andreas", None, DNF, {}, None), ("jessica", 17, None, {}, None)]
    }


def test_a_results_heading_is_recognised_for_any_name() -> None:
    assert looks_like_results_heading("Andreas’ results:")
    assert looks_like_results_heading("Kalles resultat:")
    assert looks_like_results_heading("Results for Jessica")
    assert not looks_like_results_heading("Race 2: Retired (DNF)")


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("text", "line", "message", "hint"),
    [
        ("Race 2: Bröt (DNF)", 1, "whose result? no driver is named", "“Andreas’ results:”"),
        ("Andreas: 17th", 1, "which session? no session is named", "“Race 2:” on the line above"),
        ("Andreas’ results:\nRace 3: 5th", 2, "“Race 3” is neither", "did you mean “Race 2”"),
        ("Andreas’ results:\nRcae 1: 5th", 2, "“Rcae 1” is neither", "did you mean “Race 1”"),
        ("Andreas’ results:\nRace 1: fast", 2, "“fast” is not a place or a status", "P17"),
        ("Andreas’ results:\nRace 1: 15th (DNF)", 2, "says both DNF and 15", "Retired (DNF)"),
        ("Andreas’ results:\nRace 1: DNS (DNF)", 2, "says both DNF and DNS", "Retired (DNF)"),
        ("Andreas’ results:\nRace 1: 0", 2, "place 0 is not a possible place", "P17"),
        ("Andreas’ results:\nRace 1: 450th", 2, "place 450 is not a possible place", "P17"),
        ("Andreas’ results:\nRace 1: 15th (best)", 2, "“best” is not a class place", "2nd in"),
        ("Andreas’ results:\nRace 1: 15th (2nd in)", 2, "not a class place", "(2nd in WTCR"),
        (
            "Andreas’ results:\nRace 1: 15th (2nd in Trophy, 3rd in WTCR Trophy)",
            2,
            "Andreas has two places in trophy",
            "(2nd in WTCR",
        ),
        ("Andreas’ results:\nRace: 4th", 2, "“Race” matches several sessions", "session id"),
        (
            "Andreas’ results:\nRace 1: 4th\nRace 1: 5th",
            3,
            "Andreas already has a result in Race 1 on line 2",
            "once per session",
        ),
        (
            "Race 1:\nAndreas: 4th\nJessica: 4th",
            3,
            "Andreas already has place 4 in Race 1 on line 2",
            "once per session",
        ),
    ],
)
def test_unclear_lines_are_refused_with_their_number(
    text: str, line: int, message: str, hint: str
) -> None:
    got_line, got_message, got_hint = only_problem(text)
    assert (got_line, message in got_message) == (line, True), got_message
    assert hint in got_hint


def test_lines_under_an_unreadable_heading_are_refused_too() -> None:
    reading = read("Kalles results:\nRace 1: 4th\nQualifying: 3rd\nAndreas’ results:\nRace 1: 5")
    assert [(p.line, p.message) for p in reading.problems] == [
        (1, "unknown driver “Kalles”"),
        (2, "is under the heading on line 1, which could not be read"),
        (3, "is under the heading on line 1, which could not be read"),
    ]
    assert "andreas (Andreas Bäckman)" in (reading.problems[0].hint or "")
    assert outcomes(reading) == {"race1": [("andreas", 5, None, {}, None)]}
    assert reading.used == {4, 5}


def test_refusals_in_swedish() -> None:
    reading = read("Race 2: Bröt (DNF)\nAndreas resultat:\nRace 9: 3:e\nKval: snabb", "sv")
    assert [(p.line, p.message) for p in reading.problems] == [
        (1, "vems resultat? ingen förare är nämnd"),
        (3, "“Race 9” är varken ett pass eller en förare"),
        (4, "“snabb” är ingen plats eller status"),
    ]
    error = problems_error(reading.problems, "sv")
    assert error.message.splitlines()[0] == (
        "rad 1 “Race 2: Bröt (DNF)”: vems resultat? ingen förare är nämnd"
    )
    assert "menade du “Race 2”, “Race 1”?" in (error.hint or "")
    assert "Andreas resultat:" in (error.hint or "")
    assert "Andreas’ results" not in str(error)


def test_a_single_line_keeps_its_plain_refusal() -> None:
    reading = read("race2 kalle 21")
    error = problems_error(reading.problems, "en", numbered=False)
    assert error.message == "unknown driver “kalle”"


# --------------------------------------------------------------------------- the grid


def test_places_beyond_the_grid_are_doubted_not_refused() -> None:
    reading = read("Andreas’ results:\nRace 1: 45th place (31st in WTCR Trophy)\nRace 2: 30th")
    assert reading.problems == ()
    changes: list[ResultChange] = [c for s in reading.sessions for c in s.changes]
    guess = "more than the 30 cars a grid usually has (the schedule file gives no grid for the "
    assert grid_doubts(changes, DRIVERS, "en") == [
        f"⚠️ Check: place 45 for Andreas – {guess}series). If it is right, publish anyway.",
        f"⚠️ Check: place 31 in trophy for Andreas – {guess}series). If it is right, publish "
        "anyway.",
    ]
    assert grid_doubts(changes, DRIVERS, "sv", grid=50) == []
    assert grid_doubts(changes, DRIVERS, "sv")[0].startswith(
        "⚠️ Kontrollera: plats 45 för Andreas – fler än de 30 bilar"
    )


def test_the_series_grid_is_the_cap_where_the_file_gives_it() -> None:
    """A 25-car series: place 27 is asked about, 25 is not; the doubt names the series."""
    reading = read("Andreas’ results:\nRace 1: 27th place\nRace 2: 25th place")
    changes = [c for s in reading.sessions for c in s.changes]
    assert grid_doubts(changes, DRIVERS, "en", grid=25, series="TCR Scandinavia") == [
        "⚠️ Check: place 27 for Andreas – TCR Scandinavia has 25 cars on the grid. If it is "
        "right, publish anyway."
    ]


# --------------------------------------------------------------------------- command lines


def test_the_command_syntax_keeps_its_dash_for_removal() -> None:
    reading = read("race1 jessica - andreas 5")
    assert reading.problems == ()
    [entry] = reading.sessions
    assert [(c.driver_id, c.remove, c.position) for c in entry.changes] == [
        ("jessica", True, None),
        ("andreas", False, 5),
    ]


def test_a_refused_line_leaves_none_of_its_places_behind() -> None:
    reading = read("Race 1:\nJessica: 4th\nRace 1: Andreas 5th, Jessica 6th")
    assert [p.line for p in reading.problems] == [3]
    assert outcomes(reading) == {"race1": [("jessica", 4, None, {}, None)]}
    assert reading.used == {1, 2}


# --------------------------------------------------------------------------- properties

LINE_PARTS = [
    "Andreas’ results:", "Jessicas resultat:", "Resultat:", "Race 1:", "Race 2", "Kval:",
    "Free Practice 1:", "21st place", "3:e plats", "Bröt (DNF)", "(2nd in WTCR Trophy)",
    "(", ")", "(DNF", "–", " - ", ":", "andreas", "jessica 17", "race2 andreas dnf", '"',
    '"note"', "trophy 2", ",", "45", "0", "99999999999", "P", "=", "T-20", "\u00a0", "",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_reading_results_never_crashes_on_text(text: str) -> None:
    reading = read(text)
    assert all(p.line >= 1 and p.message for p in reading.problems)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(LINE_PARTS), max_size=5), max_size=8))
def test_every_line_is_used_or_refused(lines: list[list[str]]) -> None:
    text = "\n".join(" ".join(parts) for parts in lines)
    reading = read(text, "sv")
    refused = {p.line for p in reading.problems}
    for number, line_text in enumerate(text.splitlines(), 1):
        if line_text.strip():
            assert (number in reading.used) != (number in refused), line_text


def test_a_bad_removal_gets_the_command_syntaxs_answer() -> None:
    line, message, hint = only_problem('race1 andreas - "x"')
    assert (line, message) == (1, "“x” after “-” for Andreas")
    assert "write nothing after it" in hint
    line, message, _ = only_problem("Andreas Race 1 – fast")  # an en dash: release wording
    assert message == "“fast” is not a place or a status"
