"""Standings pastes (issue #15): ties, half points, and no line lost or dropped unsaid."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.results.standings import (
    StandingsReading,
    points_text,
    read_standings,
    render_standings,
    standings_text,
)
from tests.test_results import OURS, STANDINGS_LINES, seed_standings_paste


def read(text: str, language: str = "en") -> StandingsReading:
    return read_standings(text, our_names=OURS, language=language)


def accounted(reading: StandingsReading, paste: list[str]) -> None:
    """Every non-blank line is printed in a table, refused, or left out with a reason."""
    reported = {p.line for p in (*reading.problems, *reading.left_out)}
    printed = [ln for ln in standings_text(reading.tables) if ln]
    for number, text in enumerate(paste, 1):
        if text.strip() and number not in reported:
            assert " ".join(text.split()) in printed or text.strip() in ("-", "–"), text


@pytest.mark.parametrize("prefix", ["000", "003", "004"])
def test_every_line_of_the_seeds_is_used_or_reported(prefix: str) -> None:
    paste = seed_standings_paste(prefix)
    reading = read("\n".join(paste))
    assert reading.problems == ()
    accounted(reading, paste)
    left = {(p.text, p.message) for p in reading.left_out}
    links = {p.text for p in reading.left_out if p.message.startswith("link text")}
    assert links <= {"See the full standings here", "Se fullständig tabell här"}
    assert len(links) == 1
    if prefix != "000":
        assert (
            "WTCR Series Standings",
            "a heading above the tables: the post has its own title",
        ) in left


def test_the_heading_above_the_first_table_is_no_longer_dropped_silently() -> None:
    """The bug: "WTCR Series Standings" was replaced by the next title without a word."""
    reading = read("\n".join(seed_standings_paste("003")), "sv")
    [heading] = [p for p in reading.left_out if p.line == 1]
    assert heading.text == "WTCR Series Standings"
    assert heading.message == "rubrik ovanför tabellerna: inlägget har sin egen rubrik"
    assert reading.tables[0].title.startswith("FIA World Touring Car Cup for Drivers")


TIES = """\
FIA World Touring Car Cup for Drivers WTCR – Overall (Top 3)
FIA WTCR 2021 (After 3 of 8 race weekends)
1: Jean-Karl Vernay (FRA), 82 p.
2: Yann Ehrlacher (FRA), 74 pts
2: Yvan Muller (FRA), 74 pts
–
20: Néstor Girolami (ARG), 2 p.
20: Jessica Bäckman (SWE), 2 p.
T-22: Andreas Bäckman (SWE), 1 p.
=22 Tom Coronel (NLD) 1 p
22=. Esteban Guerrieri (ARG), 1 points
"""


def test_ties_in_every_spelling() -> None:
    reading = read(TIES)
    assert reading.problems == ()
    [table] = reading.tables
    assert [(r.position, r.name, r.points) for r in table.rows] == [
        (1, "Jean-Karl Vernay", 82),
        (2, "Yann Ehrlacher", 74),
        (2, "Yvan Muller", 74),
        (20, "Néstor Girolami", 2),
        (20, "Jessica Bäckman", 2),
        (22, "Andreas Bäckman", 1),
        (22, "Tom Coronel", 1),
        (22, "Esteban Guerrieri", 1),
    ]
    assert [r.ours for r in table.rows].count(True) == 2
    assert standings_text([table])[-3:] == [
        "22: Andreas Bäckman (SWE), 1 p.",
        "22: Tom Coronel (NLD), 1 p.",
        "22: Esteban Guerrieri (ARG), 1 p.",
    ]


@pytest.mark.parametrize(
    ("row", "points"),
    [
        ("1: Mike Halder (GER), 190.5 pts", 190.5),
        ("1: Mike Halder (GER), 190,5 p", 190.5),
        ("1. Mike Halder (GER) - 190,5 poäng", 190.5),
        ("1) Mike Halder (GER), 190.25 points", 190.25),
        ("1: Mike Halder (GER), 190 p.", 190),
    ],
)
def test_decimal_points(row: str, points: float) -> None:
    [table] = read(f"Drivers\n{row}").tables
    assert table.rows[0].points == points
    assert table.rows[0].name == "Mike Halder"


def test_half_points_are_printed_in_the_readers_language() -> None:
    [table] = read(
        "Förarmästerskapstabell – Totalt (Topp tre)\n1: Mike Halder (GER), 190,5 p."
    ).tables
    assert standings_text([table])[-1] == "1: Mike Halder (GER), 190,5 p."
    assert "1: Mike Halder (GER), 190.5 p." in str(render_standings([table], "en").lines)
    assert (points_text(242, "sv"), points_text(0.5, "en"), points_text(12.0, "sv")) == (
        "242",
        "0.5",
        "12",
    )


def test_one_bad_row_is_reported_and_the_rest_kept() -> None:
    paste = TIES.replace("20: Jessica Bäckman (SWE), 2 p.", "20: Jessica Bäckman (SWE) 2")
    paste = paste.replace("2: Yvan Muller (FRA), 74 pts", "2: Yvan Muller (FRA), 73 pts")
    reading = read(paste, "sv")
    assert [(p.line, p.message) for p in reading.problems] == [
        (5, "plats 2 finns redan på rad 4"),
        (8, "ingen tabellrad"),
    ]
    assert "samma poäng" in (reading.problems[0].hint or "")
    assert "1: Mike Halder (GER), 242 p." in (reading.problems[1].hint or "")
    [table] = reading.tables
    assert len(table.rows) == 6
    assert "Jessica Bäckman" not in {r.name for r in table.rows}


@pytest.mark.parametrize(
    ("paste", "problems", "left_out"),
    [
        ("1: A, 2 p.\nTitle\n2: B, 1 p.", [(1, "a row before any table title")], []),
        ("Title\n–\n1: A, 2 p.", [(2, "a dash line before any row")], []),
        (
            "Heading\nSubheading\nTitle\n(After 1 of 8)\n1: A, 2 p.",
            [],
            [(1, "a heading above the tables: the post has its own title")] * 1
            + [(2, "a heading above the tables: the post has its own title")],
        ),
        (
            "First\n(After 1 of 8)\nSecond\n1: A, 2 p.",
            [(1, "a table with no rows")],
            [(2, "the series line of a table with no rows")],
        ),
        ("T\n1: A, 2 p.\nFree rights to use the images.", [(3, "a table with no rows")], []),
    ],
)
def test_every_refused_or_left_out_line_is_named(
    paste: str, problems: list[tuple[int, str]], left_out: list[tuple[int, str]]
) -> None:
    reading = read(paste)
    assert [(p.line, p.message) for p in reading.problems] == problems
    assert [(p.line, p.message) for p in reading.left_out] == left_out
    assert all(p.hint for p in reading.problems)
    assert reading.tables  # the good table survives


def test_line_numbers_count_from_the_block_in_a_release() -> None:
    reading = read_standings("Title\n1: A, x p.", language="en", first_line=50)
    assert [(p.line, p.message) for p in reading.problems] == [(51, "not a standings row")]
    assert [(p.line, p.message) for p in reading.left_out] == [
        (50, "the title of a table whose rows could not be read")
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from([*STANDINGS_LINES, "T-20: A (SWE), 2,5 p", "=3 B, 1 pts", "3: C, 1 p."]),
        max_size=14,
    )
)
def test_every_standings_line_is_printed_or_reported(lines: list[str]) -> None:
    reading = read("\n".join(lines))
    reported = {p.line for p in (*reading.problems, *reading.left_out)}
    kept = sum(
        1 + (t.series_line is not None) + len(t.rows) + (t.dash_after is not None)
        for t in reading.tables
    )
    assert kept + len(reported) == sum(1 for ln in lines if ln.strip())
