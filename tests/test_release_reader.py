"""Reading a whole release into one plan, the way staff really write and paste them:
CRLF line ends, Swedish possessives, the release's own result words, a line not understood
listed with its reason while the rest is kept."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.authoring.release import read_release
from bot.core.results.model import ResultStatus
from bot.core.schedule import load_catalog
from tests.helpers import SCHEDULES
from tests.test_release import JARAMA

FILES = load_catalog(SCHEDULES)
AFTER_ARAGON = datetime(2021, 7, 13, tzinfo=UTC)

PASTED = "\r\n".join(
    [
        "Tuff helg i Spanien",
        "Andreas resultat:",
        "Fri träning 1: 21:a plats",
        "Kval: 3:e plats",
        "Race 1: Bröt (DNF)",
        "Race 2: 15th place (2nd in WTCR Trophy)",
        "",
        "Jessicas resultat:",
        "Race 1: 17",
    ]
)


def test_results_in_the_releases_own_words_and_one_line_not_understood() -> None:
    plan = read_release(PASTED, FILES, AFTER_ARAGON)
    got = {
        (r.event_id, r.session.id, c.driver_id): (c.position, c.status, c.class_positions)
        for r in plan.results
        for c in r.changes
    }
    assert got == {
        ("r3", "fp1", "andreas"): (21, None, {}),
        ("r3", "q", "andreas"): (3, None, {}),
        ("r3", "race1", "andreas"): (None, ResultStatus.DNF, {}),
        ("r3", "race2", "andreas"): (15, None, {"trophy": 2}),  # the class place is kept
        ("r3", "race1", "jessica"): (17, None, {}),
    }
    assert [(u.first, u.why) for u in plan.unused] == [(1, "prose")]


def test_a_results_line_not_understood_is_listed_with_the_readers_reason() -> None:
    pasted = PASTED.replace("Kval: 3:e plats", "Kval: trea-ish").replace("Race 1: 17", "Lopp 9: 4")
    plan = read_release(pasted, FILES, AFTER_ARAGON)
    assert [(r.session.id, [c.driver_id for c in r.changes]) for r in plan.results] == [
        ("fp1", ["andreas"]),
        ("race1", ["andreas"]),
        ("race2", ["andreas"]),
    ]
    refused = [(u.first, u.text, u.why) for u in plan.unused if u.why != "prose"]
    assert refused == [
        (4, "Kval: trea-ish", "not_understood"),
        (9, "Lopp 9: 4", "not_understood"),
    ]
    details = [u.detail for u in plan.unused if u.why == "not_understood"]
    assert "trea-ish" in details[0]  # the results reader's own words, in Swedish
    assert "Lopp 9" in details[1]


def test_dashes_for_colons_and_a_sentence_ending_in_results_are_read_as_written() -> None:
    pasted = "\n".join(
        [
            "Vi jobbar vidare för bättre resultat",
            "",
            "Resultat för Andreas:",
            "Race 1 – 15:e plats (2:a i WTCR Trophy)",
            "Race 2 – Bröt (DNF)",
        ]
    )
    plan = read_release(pasted, FILES, AFTER_ARAGON)
    got = [
        (r.session.id, c.position, c.status, c.class_positions)
        for r in plan.results
        for c in r.changes
    ]
    assert got == [("race1", 15, None, {"trophy": 2}), ("race2", None, ResultStatus.DNF, {})]
    assert [(u.first, u.why) for u in plan.unused] == [(1, "prose")]


#: A standings table as staff retype it: a shared place, half points, one row unreadable.
TIED = """Tuff helg i Spanien

WTCR Trophy – Overall (Top 3)
FIA WTCR 2021 (After 3 of 8 race weekends)
1: Gilles Magnus (BEL), 62 p.
2: Tom Coronel (NLD), 33,5 p.
3: Jessica Bäckman (SWE), 25 p.
3: Andreas Bäckman (SWE), 25 p.
4: Nobody (SWE) twenty
See the full standings here
"""


def test_standings_ties_and_decimals_are_kept_and_a_bad_row_is_listed() -> None:
    plan = read_release(TIED, FILES, AFTER_ARAGON, "en")
    (planned,) = plan.standings
    assert (planned.series_id, planned.event_id) == ("wtcr-2021", "r3")
    assert [(r.position, r.name, r.points, r.ours) for r in planned.table.rows] == [
        (1, "Gilles Magnus", 62, False),
        (2, "Tom Coronel", 33.5, False),
        (3, "Jessica Bäckman", 25, True),
        (3, "Andreas Bäckman", 25, True),
    ]
    unused = [(u.first, u.why) for u in plan.unused]
    assert unused == [(1, "prose"), (9, "not_understood"), (10, "left_out")]
    bad = next(u for u in plan.unused if u.first == 9)
    assert bad.text == "4: Nobody (SWE) twenty"
    assert bad.detail.startswith("not a standings row")


def test_word_export_noise_and_windows_line_ends_change_nothing() -> None:
    plain = read_release(JARAMA, FILES, datetime(2020, 11, 2, tzinfo=UTC))
    noisy = read_release(
        JARAMA.replace("\n", "\r\n").replace("Om banan:", "Om banan:[bookmark: _Hlk1]"),
        FILES,
        datetime(2020, 11, 2, tzinfo=UTC),
    )
    assert [w.event.sessions for w in noisy.weekends] == [w.event.sessions for w in plain.weekends]
    assert [s.table for s in noisy.standings] == [s.table for s in plain.standings]
    assert all("bookmark" not in u.text for u in noisy.unused)


def test_a_release_with_nothing_the_readers_know_is_all_unused() -> None:
    plan = read_release("Hej!\nVi ses i Boden.", FILES, AFTER_ARAGON)
    assert plan.empty
    assert [(u.first, u.last, u.why) for u in plan.unused] == [(1, 2, "prose")]
