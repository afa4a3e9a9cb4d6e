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
        (r.event_id, r.session.id, c.driver_id): (c.position, c.status)
        for r in plan.results
        for c in r.changes
    }
    assert got == {
        ("r3", "fp1", "andreas"): (21, None),
        ("r3", "q", "andreas"): (3, None),
        ("r3", "race1", "andreas"): (None, ResultStatus.DNF),
        ("r3", "race1", "jessica"): (17, None),
    }
    (bad,) = [u for u in plan.unused if u.why == "not_understood"]
    assert (bad.first, bad.text) == (6, "Race 2: 15th place (2nd in WTCR Trophy)")
    assert bad.detail  # the parser's own reason, shown in the draft
    assert [(u.first, u.why) for u in plan.unused if u.why == "prose"] == [(1, "prose")]


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
