"""Results and standings: the seeds' releases reproduced from staff commands and pastes."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.errors import UserError
from bot.core.markup import Bold, Post, plain_text, reveal
from bot.core.model import Driver, SessionKind, SessionTemplate, Text
from bot.core.ordinals import ordinal
from bot.core.results.correct import apply_changes
from bot.core.results.model import DriverResult, ResultChange, ResultStatus
from bot.core.results.parse import ensure_started, parse_result_command
from bot.core.results.render import render_session_result, render_weekend_summary
from bot.core.results.resolve import resolve_driver, resolve_session
from bot.core.results.standings import (
    StandingsTable,
    parse_standings,
    render_standings,
    standings_text,
)
from bot.core.schedule import load_file
from tests.helpers import ROOT, SEEDS

WTCR = load_file(ROOT / "schedules" / "wtcr-2021.toml")
TCR = load_file(ROOT / "schedules" / "tcr-europe-2020.toml")
FORMAT = WTCR.format
DRIVERS = WTCR.drivers
OURS = ("Andreas Bäckman", "Jessica Bäckman", "Target Competition")
BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")


def parse(
    args: str, grid_size: int = 40, language: str = "en"
) -> tuple[SessionTemplate, list[ResultChange]]:
    return parse_result_command(
        args, sessions=FORMAT, drivers=DRIVERS, language=language, grid_size=grid_size
    )


def error_of(args: str, language: str = "en") -> UserError:
    with pytest.raises(UserError) as info:
        parse(args, language=language)
    return info.value


def standings_error(text: str) -> UserError:
    with pytest.raises(UserError) as info:
        parse_standings(text)
    return info.value


# --------------------------------------------------------------------------- seeds


def seed_lines(prefix: str) -> list[str]:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed press releases are not available at {SEEDS}")
    path = next(SEEDS.glob(f"{prefix}_*.txt"), None)
    if path is None:
        pytest.skip(f"seed {prefix} is missing from {SEEDS}")
    return [BOOKMARK.sub("", ln).rstrip() for ln in path.read_text(encoding="utf-8").splitlines()]


def seed_results_block(prefix: str) -> list[str]:
    """ "Andreas’ results:" through the last result line, as the release prints them."""
    lines = seed_lines(prefix)
    start = next(i for i, ln in enumerate(lines) if ln.endswith(" results:"))
    return lines[start : lines.index("", start)]


def seed_standings_paste(prefix: str) -> list[str]:
    """The standings part of a release, as staff would copy it."""
    lines = seed_lines(prefix)
    start = next(i for i, ln in enumerate(lines) if "Standings" in ln or "mästerskapstabell" in ln)
    end = next(i for i in range(start, len(lines)) if lines[i].startswith(("Free ", "Fria ")))
    return lines[start:end]


def printed_table_lines(paste: Sequence[str]) -> list[str]:
    """The paste's table lines: no blanks, headings or link lines; one dash spelling."""
    skipped = ("WTCR Series Standings", "See the full standings here", "Se fullständig tabell här")
    return ["–" if ln == "-" else ln for ln in paste if ln.strip() and ln not in skipped]


# --------------------------------------------------------------------------- ordinals


@pytest.mark.parametrize(
    ("n", "english", "swedish"),
    [
        (1, "1st", "1:a"),
        (2, "2nd", "2:a"),
        (3, "3rd", "3:e"),
        (4, "4th", "4:e"),
        (11, "11th", "11:e"),
        (12, "12th", "12:e"),
        (13, "13th", "13:e"),
        (21, "21st", "21:a"),
        (22, "22nd", "22:a"),
        (23, "23rd", "23:e"),
        (31, "31st", "31:a"),
        (101, "101st", "101:a"),
        (111, "111th", "111:e"),
        (112, "112th", "112:e"),
    ],
)
def test_ordinals(n: int, english: str, swedish: str) -> None:
    assert ordinal(n, "en") == english
    assert ordinal(n, "sv") == swedish


# --------------------------------------------------------------------------- resolving


@pytest.mark.parametrize(
    ("query", "session_id"),
    [
        ("race2", "race2"),
        ("Fri träning 1", "fp1"),
        ("fri traning 2", "fp2"),
        ("free practice 1", "fp1"),
        ("  FREE   Practice 2 ", "fp2"),
        ("Race 1", "race1"),
        ("tidskval", "q"),
        ("Qualifying", "q"),
        ("fp1", "fp1"),
        ("FP2", "fp2"),
        ("q", "q"),
        ("quali", "q"),
        ("kval", "q"),
        ("r1", "race1"),
        ("r2", "race2"),
        ("race1", "race1"),
        ("lopp 1", "race1"),
        ("Lopp 2", "race2"),
    ],
)
def test_resolve_session(query: str, session_id: str) -> None:
    assert resolve_session(query, FORMAT, language="en").id == session_id


def test_resolve_session_among_timed_sessions() -> None:
    jarama = TCR.events[-1]
    assert resolve_session("kval", jarama.sessions, language="en").id == "q"
    assert resolve_session("Tidskval (Q1 och Q2)", jarama.sessions, language="sv").id == "q"
    assert resolve_session("lopp 2", jarama.sessions, language="en") is jarama.sessions[-1]


def test_resolve_session_fp3() -> None:
    fp3 = SessionTemplate("fp3", Text("Fri träning 3", "Free Practice 3"), SessionKind.PRACTICE)
    three = (*FORMAT, fp3)
    assert resolve_session("fp3", three, language="en").id == "fp3"
    assert resolve_session("fri träning 3", three, language="en").id == "fp3"


def test_unknown_session_lists_choices() -> None:
    with pytest.raises(UserError) as info:
        resolve_session("fp3", FORMAT, language="en")
    assert info.value.message == "unknown session “fp3”"
    assert info.value.hint == (
        "choose one of: fp1 (Fri träning 1 / Free Practice 1), "
        "fp2 (Fri träning 2 / Free Practice 2), q (Tidskval / Qualifying), "
        "race1 (Race 1), race2 (Race 2)"
    )


def test_ambiguous_session_lists_matches() -> None:
    with pytest.raises(UserError) as info:
        resolve_session("race", FORMAT, language="en")
    assert info.value.message == "“race” matches several sessions: race1 (Race 1), race2 (Race 2)"


@pytest.mark.parametrize(
    ("query", "driver_id"),
    [
        ("andreas", "andreas"),
        ("Jessica", "jessica"),
        ("ANDREAS BÄCKMAN", "andreas"),
        ("jessica backman", "jessica"),
        ("  Andreas  ", "andreas"),
    ],
)
def test_resolve_driver(query: str, driver_id: str) -> None:
    assert resolve_driver(query, DRIVERS, language="en").id == driver_id


def test_resolve_driver_by_number_and_last_name() -> None:
    drivers = (Driver("andreas", "Andreas", "Bäckman", "SWE", 7), Driver("mike", "Mike", "Halder"))
    assert resolve_driver("7", drivers, language="en").id == "andreas"
    assert resolve_driver("#7", drivers, language="en").id == "andreas"
    assert resolve_driver("backman", drivers, language="en").id == "andreas"
    assert resolve_driver("HALDER", drivers, language="en").id == "mike"


@pytest.mark.parametrize("query", ["bäckman", "Backman"])
def test_shared_last_name_is_ambiguous(query: str) -> None:
    with pytest.raises(UserError) as info:
        resolve_driver(query, DRIVERS, language="en")
    assert info.value.message == (
        f"“{query}” matches several drivers: andreas (Andreas Bäckman), jessica (Jessica Bäckman)"
    )


def test_unknown_driver_lists_drivers() -> None:
    with pytest.raises(UserError) as info:
        resolve_driver("kalle", DRIVERS, language="en")
    assert info.value.message == "unknown driver “kalle”"
    assert info.value.hint == "choose one of: andreas (Andreas Bäckman), jessica (Jessica Bäckman)"


# --------------------------------------------------------------------------- commands


def test_parse_simple_command() -> None:
    session, results = parse("race2 andreas dnf jessica 17")
    assert session.id == "race2"
    assert results == [
        ResultChange("andreas", None, ResultStatus.DNF, {}, None),
        ResultChange("jessica", 17, None, {}, None),
    ]


@pytest.mark.parametrize(
    "command",
    [
        '"free practice 1" andreas 21 jessica 22',
        "fri träning 1 andreas 21 jessica 22",
        "Free Practice 1 andreas 21st jessica 22nd",
        "fp1 Andreas P21 JESSICA 22:a",
        "fp1 andreas bäckman 21 jessica backman p22",
    ],
)
def test_multi_word_sessions_and_place_spellings(command: str) -> None:
    session, results = parse(command)
    assert session.id == "fp1"
    assert [(r.driver_id, r.position) for r in results] == [("andreas", 21), ("jessica", 22)]


@pytest.mark.parametrize(
    ("place", "status"),
    [
        ("dnf", ResultStatus.DNF),
        ("DNF", ResultStatus.DNF),
        ("bröt", ResultStatus.DNF),
        ("retired", ResultStatus.DNF),
        ("dns", ResultStatus.DNS),
        ("dsq", ResultStatus.DSQ),
        ("diskad", ResultStatus.DSQ),
        ("nc", ResultStatus.NC),
    ],
)
def test_statuses(place: str, status: ResultStatus) -> None:
    _, [result] = parse(f"race1 andreas {place}")
    assert (result.position, result.status) == (None, status)


def test_class_places_and_notes() -> None:
    _, results = parse(
        'race1 andreas 15 trophy 2 "första poängen" jessica 16 trophy:3 junior:3 '
        "”tre platser uppåt”"
    )
    assert results == [
        ResultChange("andreas", 15, None, {"trophy": 2}, "första poängen"),
        ResultChange("jessica", 16, None, {"trophy": 3, "junior": 3}, "tre platser uppåt"),
    ]


USAGE_START = "usage: SESSION DRIVER PLACE [DRIVER PLACE ...]"


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("", "nothing to record"),
        ("   ", "nothing to record"),
        ("fp3 andreas 21", "unknown session “fp3”"),
        ("fri träning 9 andreas 21", "unknown session “fri träning 9”"),
        ("race andreas 21", "“race” matches several sessions: race1 (Race 1), race2 (Race 2)"),
        (
            "race2 bäckman 21",
            "“bäckman” matches several drivers: andreas (Andreas Bäckman), "
            "jessica (Jessica Bäckman)",
        ),
        ("race2 kalle 21", "unknown driver “kalle”"),
        ("race2 andreas 0", "place 0 for Andreas is outside 1–40"),
        ("race2 andreas 41", "place 41 for Andreas is outside 1–40"),
        ("race2 andreas 15 trophy 41", "place 41 for Andreas in trophy is outside 1–40"),
        ("race2 andreas 17 jessica 17", "Andreas and Jessica both have place 17"),
        (
            "race2 andreas 15 trophy 2 jessica 16 trophy:2",
            "Andreas and Jessica both have place 2 in trophy",
        ),
        ("race2 andreas 17 andreas 18", "Andreas is listed twice"),
        ("race2 andreas jessica 17", "no place given for Andreas: “jessica” is not a place"),
        ("race2 andreas 17 jessica", "no place given for Jessica"),
        ("race2 andreas fast", "no place given for Andreas: “fast” is not a place"),
        ("race2 andreas 17 18", "“18” has no driver"),
        ("race2 andreas 17 ???", "did not understand “???”"),
        ('race2 "a note" andreas 17', "unexpected note “a note”"),
        ('race2 andreas 17 "one" "two"', "unexpected note “two”"),
        ('race2 andreas 17 "unclosed', 'unmatched quote in “"unclosed”'),
        ("race2 andreas 15 trophy:x", "“x” is not a place in trophy for Andreas"),
        ("race2 andreas 15 trophy 2 trophy 3", "Andreas has two places in trophy"),
        ("race2", "no results given for Race 2"),
        ("andreas 17", "unknown session “andreas”"),
    ],
)
def test_command_errors(command: str, message: str) -> None:
    error = error_of(command)
    assert error.message == message
    assert error.hint is not None
    assert USAGE_START in error.hint


def test_unknown_session_in_command_lists_choices() -> None:
    hint = error_of("fp3 andreas 21").hint or ""
    assert hint.startswith("choose one of: fp1 (Fri träning 1 / Free Practice 1), ")


def test_grid_size_is_the_limit() -> None:
    _, [result] = parse("race1 andreas 24", grid_size=24)
    assert result.position == 24
    with pytest.raises(UserError, match="place 25 for Andreas is outside 1–24"):
        parse("race1 andreas 25", grid_size=24)


def test_ensure_started() -> None:
    start = datetime(2021, 7, 11, 12, 0, tzinfo=UTC)
    weekend = datetime(2021, 7, 9, 7, 0, tzinfo=UTC)
    ensure_started(start, weekend, start, language="en")
    ensure_started(None, weekend, weekend, language="en")
    ensure_started(None, None, weekend, language="en")
    with pytest.raises(UserError) as info:
        ensure_started(start, weekend, weekend, label="Race 2", language="en")
    assert info.value.message == (
        "Race 2 has not started yet (it starts 2021-07-11 14:00 Swedish time)"
    )
    with pytest.raises(UserError, match="has not started yet"):
        ensure_started(None, weekend, datetime(2021, 7, 8, tzinfo=UTC), language="en")


# --------------------------------------------------------------------------- corrections

RACE1 = next(s for s in FORMAT if s.id == "race1")
ENTERED = [
    DriverResult("andreas", 15, None, {"trophy": 2, "junior": 1}, "första poängen"),
    DriverResult("jessica", 16, None, {"trophy": 3}, None),
]


def correct(args: str, current: Sequence[DriverResult] = ENTERED, language: str = "sv") -> Any:
    _, changes = parse(f"race1 {args}")
    return apply_changes(current, changes, DRIVERS, session=RACE1, language=language)


def correction_error(args: str, language: str = "sv") -> UserError:
    with pytest.raises(UserError) as info:
        correct(args, language=language)
    return info.value


def test_a_correction_changes_only_the_driver_it_names() -> None:
    done = correct("jessica 14")
    assert done.results == (ENTERED[0], DriverResult("jessica", 14, None, {"trophy": 3}, None))
    assert done.changed == {"jessica"}
    assert done.updated == (done.results[1],)
    assert done.removed == ()


def test_a_correction_keeps_class_places_and_notes_it_does_not_name() -> None:
    done = correct("andreas 14 trophy 1")
    assert done.results[0] == DriverResult(
        "andreas", 14, None, {"trophy": 1, "junior": 1}, "första poängen"
    )
    assert done.results[1] == ENTERED[1]
    assert done.changed == {"andreas"}


def test_a_correction_can_remove_a_class_place_or_clear_a_note() -> None:
    done = correct('andreas 15 junior - ""')
    assert done.results[0] == DriverResult("andreas", 15, None, {"trophy": 2}, None)
    assert correct('andreas 15 trophy:- "-"').results[0].class_positions == {"junior": 1}
    assert correct('andreas dnf "motorn"').results[0] == DriverResult(
        "andreas", None, ResultStatus.DNF, {"trophy": 2, "junior": 1}, "motorn"
    )


@pytest.mark.parametrize("mark", ["-", "–", "—"])
def test_removing_a_drivers_result(mark: str) -> None:
    done = correct(f"jessica {mark}")
    assert done.results == (ENTERED[0],)
    assert done.removed == (ENTERED[1],)
    assert done.updated == ()


def test_repeating_the_record_changes_nothing() -> None:
    done = correct("jessica 16")
    assert done.unchanged
    assert done.results == tuple(ENTERED)
    assert done.changed == frozenset()
    assert not correct("jessica 17").unchanged


def test_a_first_entry_is_in_driver_order_and_unmarked() -> None:
    done = correct("jessica 16 andreas 15", current=[])
    assert [r.driver_id for r in done.results] == ["andreas", "jessica"]
    assert done.changed == frozenset()


@pytest.mark.parametrize(
    ("args", "language", "message", "hint"),
    [
        (
            "andreas 16",
            "sv",
            "Jessica har redan plats 16 i Race 1.",
            "Rätta båda i samma kommando, t.ex. /result race1 jessica PLATS andreas 16",
        ),
        (
            "andreas 16",
            "en",
            "Jessica already has place 16 in Race 1.",
            "Correct both in one command, e.g. /result race1 jessica PLACE andreas 16",
        ),
        ("jessica 17 trophy 2", "sv", "Andreas har redan plats 2 i trophy i Race 1.", "trophy"),
        (
            "jessica 16 junior -",
            "sv",
            "Jessica har ingen plats i junior i Race 1 att ta bort.",
            None,
        ),
    ],
)
def test_refused_corrections(args: str, language: str, message: str, hint: str | None) -> None:
    error = correction_error(args, language)
    assert error.message == message
    assert hint in (error.hint or "") if hint else error.hint is None


def test_removing_what_is_not_there_is_refused_in_both_languages() -> None:
    _, changes = parse("race1 andreas -")
    with pytest.raises(UserError, match="Andreas har inget resultat i Race 1 att ta bort"):
        apply_changes([], changes, DRIVERS, session=RACE1, language="sv")
    with pytest.raises(UserError, match="Andreas has no result in Race 1 to remove"):
        apply_changes([], changes, DRIVERS, session=RACE1, language="en")


def test_a_swap_in_one_command_is_accepted() -> None:
    done = correct("andreas 16 trophy 3 jessica 15 trophy 2")
    assert [(r.driver_id, r.position, r.class_positions) for r in done.results] == [
        ("andreas", 16, {"trophy": 3, "junior": 1}),
        ("jessica", 15, {"trophy": 2}),
    ]


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("race1 jessica - trophy 2", "“trophy” after “-” for Jessica"),
        ('race1 jessica - "fel förare"', "“fel förare” after “-” for Jessica"),
        ("race1 jessica - andreas -", None),
        ("race1 andreas 15 trophy - trophy 2", "Andreas has two places in trophy"),
        ("race1 andreas 15 - 16", "did not understand “-”"),
    ],
)
def test_removal_syntax(command: str, message: str | None) -> None:
    if message is None:
        _, changes = parse(command)
        assert [(c.driver_id, c.remove) for c in changes] == [("jessica", True), ("andreas", True)]
        return
    assert error_of(command).message == message


def test_the_post_shows_the_whole_result_with_the_change_marked() -> None:
    event = WTCR.event("r3")
    assert event is not None
    done = correct("jessica 14")
    post = render_session_result(
        WTCR, event, RACE1, done.results, "en", DRIVERS, changed=done.changed
    )
    assert plain_text(reveal(post)).splitlines()[1:] == [
        "Race 1: Andreas 15th (2nd in WTCR Trophy, 1st in Junior) 🏆, "
        "Jessica 14th (3rd in WTCR Trophy) 🥉 ✏️",
        "Andreas: första poängen",
    ]
    gone = correct("andreas -")
    draft = render_session_result(
        WTCR, event, RACE1, gone.results, "sv", DRIVERS, removed=gone.removed
    )
    assert plain_text(reveal(draft)).splitlines()[1:] == [
        "Race 1: Jessica 16:e (3:e i WTCR Trophy) 🥉",
        "✏️ Borttaget: Andreas 15:e (2:a i WTCR Trophy, 1:a i juniorklassen)",
    ]
    nothing = render_session_result(WTCR, event, RACE1, (), "en", DRIVERS)
    assert plain_text(reveal(nothing)).splitlines()[1] == "Race 1: no result"


# --------------------------------------------------------------------------- seed results

SEED_COMMANDS = {
    "003": (
        "r3",
        [
            "fp1 andreas 21 jessica 22",
            "free practice 2 andreas 22nd jessica 21st",
            "kval andreas 17 jessica 19",
            "race 1 andreas P16 jessica 19",
            "race2 andreas dnf jessica 17",
        ],
    ),
    "004": (
        "r2",
        [
            "fri träning 1 andreas 21 jessica 22",
            '"Free Practice 2" jessica 21 andreas 16',
            "qualifying andreas 19:e jessica 20:e",
            "r1 andreas 15 jessica 16",
            "lopp 2 andreas 17 jessica 16",
        ],
    ),
}


def enter(commands: Sequence[str]) -> dict[str, list[DriverResult]]:
    entered = {}
    for command in commands:
        session, changes = parse(command)
        done = apply_changes([], changes, DRIVERS, session=session, language="en")
        entered[session.id] = list(done.results)
    return entered


@pytest.mark.parametrize("prefix", sorted(SEED_COMMANDS))
def test_seed_results_reproduced(prefix: str) -> None:
    expected = seed_results_block(prefix)
    event_id, commands = SEED_COMMANDS[prefix]
    event = WTCR.event(event_id)
    assert event is not None
    post = render_weekend_summary(WTCR, event, FORMAT, enter(commands), [], "en", DRIVERS)
    assert expected[0] == "Andreas’ results:"
    assert plain_text(reveal(post)).splitlines() == [
        f"Results – {event.name}",
        *expected,
        f"FIA WTCR 2021, round {event.round}",
    ]


def test_weekend_summary_in_swedish_with_standings() -> None:
    event = WTCR.event("r3")
    assert event is not None
    tables = parse_standings(
        "WTCR Trophy – Overall (Top 3)\nFIA WTCR 2021 (After 3 of 8 race weekends)\n"
        "1: Gilles Magnus (BEL), 62 p.\n–\n4: Andreas Bäckman (SWE), 22 p.",
        our_names=OURS,
    )
    results = enter(SEED_COMMANDS["003"][1])
    post = render_weekend_summary(WTCR, event, FORMAT, results, tables, "sv", DRIVERS)
    assert plain_text(reveal(post)).splitlines() == [
        "Resultat – MotorLand Aragón",
        "Andreas resultat:",
        "Fri träning 1: 21:a plats",
        "Fri träning 2: 22:a plats",
        "Tidskval: 17:e plats",
        "Race 1: 16:e plats",
        "Race 2: Bröt (DNF)",
        "Jessicas resultat:",
        "Fri träning 1: 22:a plats",
        "Fri träning 2: 21:a plats",
        "Tidskval: 19:e plats",
        "Race 1: 19:e plats",
        "Race 2: 17:e plats",
        "",
        "WTCR Trophy – Totalt (Topp tre)",
        "FIA WTCR 2021 (Efter 3 av 8 tävlingshelger)",
        "1: Gilles Magnus (BEL), 62 p.",
        "–",
        "4: Andreas Bäckman (SWE), 22 p.",
        "FIA WTCR 2021, deltävling 3",
    ]
    assert (Bold("4: Andreas Bäckman (SWE), 22 p."),) in post.lines


def test_summary_shows_classes_and_notes_and_skips_missing_sessions() -> None:
    event = WTCR.event("r2")
    assert event is not None
    results = enter(['race1 andreas 15 trophy 2 jessica dnf "punctured on the last lap"'])
    post = render_weekend_summary(WTCR, event, FORMAT, results, [], "en", DRIVERS)
    assert plain_text(reveal(post)).splitlines()[1:-1] == [
        "Andreas’ results:",
        "Race 1: 15th place (2nd in WTCR Trophy)",
        "Jessica’s results:",
        "Race 1: Retired (DNF) – punctured on the last lap",
    ]


@pytest.mark.parametrize(
    ("language", "title", "text"),
    [
        (
            "en",
            "Race 1 – Estoril",
            "Race 1: Andreas 15th (2nd in WTCR Trophy) 🥈, "
            "Jessica 16th (3rd in WTCR Trophy, 3rd in Junior) 🥉",
        ),
        (
            "sv",
            "Race 1 – Estoril",
            "Race 1: Andreas 15:e (2:a i WTCR Trophy) 🥈, "
            "Jessica 16:e (3:e i WTCR Trophy, 3:e i juniorklassen) 🥉",
        ),
    ],
)
def test_session_result_with_class_podiums(language: str, title: str, text: str) -> None:
    event = WTCR.event("r2")
    assert event is not None
    session, results = parse("race1 andreas 15 trophy 2 jessica 16 trophy 3 junior 3")
    post = render_session_result(WTCR, event, session, results, language, DRIVERS)
    assert plain_text(reveal(post)).splitlines() == [title, text]
    assert isinstance(post, Post)
    assert post.language == language


def test_a_podium_marker_only_for_race_podiums_overall_or_in_a_class() -> None:
    event = WTCR.event("r2")
    assert event is not None
    session, results = parse("race1 andreas 1 jessica 2")
    post = render_session_result(WTCR, event, session, results, "sv", DRIVERS)
    assert plain_text(reveal(post)).splitlines()[1] == "Race 1: Andreas 1:a 🏆, Jessica 2:a 🥈"
    session, results = parse("fp1 andreas 1 jessica dnf")
    practice = render_session_result(WTCR, event, session, results, "sv", DRIVERS)
    assert "🏆" not in plain_text(reveal(practice))  # practice has no podium
    session, results = parse("race2 andreas dnf trophy 1 jessica 4")
    retired = render_session_result(WTCR, event, session, results, "en", DRIVERS)
    assert "🏆" not in plain_text(reveal(retired))  # no podium without a finish


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "sv",
            "Race 2: Andreas bröt (DNF), Jessica startade inte (DNS), "
            "Mike diskvalificerad (DSQ), Kalle ej klassad (NC)",
        ),
        (
            "en",
            "Race 2: Andreas Retired (DNF), Jessica Did not start (DNS), "
            "Mike Disqualified (DSQ), Kalle Not classified (NC)",
        ),
    ],
)
def test_session_result_statuses_and_note(language: str, text: str) -> None:
    drivers = (*DRIVERS, Driver("mike", "Mike", "Halder"), Driver("kalle", "Kalle", "Anka"))
    event = WTCR.event("r3")
    assert event is not None
    session, results = parse_result_command(
        'race2 andreas dnf "punktering sista varvet" jessica dns mike dsq kalle nc',
        sessions=FORMAT,
        drivers=drivers,
        language=language,
    )
    post = render_session_result(WTCR, event, session, results, language, drivers)
    assert plain_text(reveal(post)).splitlines() == [
        "Race 2 – MotorLand Aragón",
        text,
        "Andreas: punktering sista varvet",
    ]


# --------------------------------------------------------------------------- standings

SEED_STANDINGS = {
    # prefix: (table count, after, of, first table's top 3, our rows of the first table)
    "000": (
        2,
        5,
        6,
        [("Mike Halder", 242), ("Mehdi Bennani", 216), ("John Filippi", 207)],
        [(7, "Andreas Bäckman", 162), (18, "Jessica Bäckman", 57)],
    ),
    "003": (
        4,
        3,
        8,
        [("Jean-Karl Vernay", 82), ("Yann Ehrlacher", 74), ("Yvan Muller", 67)],
        [(21, "Jessica Bäckman", 2), (22, "Andreas Bäckman", 1)],
    ),
    "004": (
        4,
        2,
        8,
        [("Jean-Karl Vernay", 61), ("Attila Tassi", 56), ("Yvan Muller", 56)],
        [(21, "Jessica Bäckman", 2), (22, "Andreas Bäckman", 1)],
    ),
}


@pytest.mark.parametrize("prefix", sorted(SEED_STANDINGS))
def test_seed_standings_parsed(prefix: str) -> None:
    count, after, of, top, ours = SEED_STANDINGS[prefix]
    tables = parse_standings("\n".join(seed_standings_paste(prefix)), our_names=OURS)
    assert len(tables) == count
    assert {(t.after_round, t.of_rounds) for t in tables} == {(after, of)}
    drivers = tables[0]
    assert [(r.name, r.points) for r in drivers.rows[: len(top)]] == top
    assert [(r.position, r.name, r.points) for r in drivers.rows if r.ours] == ours
    assert not drivers.is_team
    assert tables[-1].is_team
    assert all(r.ours == (r.name in OURS) for t in tables for r in t.rows)


def test_seed_003_tables() -> None:
    tables = parse_standings("\n".join(seed_standings_paste("003")), our_names=OURS)
    drivers, trophy, junior, teams = tables
    assert drivers.title == "FIA World Touring Car Cup for Drivers WTCR – Overall (Top 3)"
    assert drivers.series_line == "FIA WTCR 2021 (After 3 of 8 race weekends)"
    assert drivers.language == "en"
    assert (drivers.after_round, drivers.of_rounds) == (3, 8)
    assert drivers.rows[-1].country == "SWE"
    assert [(r.position, r.ours) for r in trophy.rows] == [
        (1, False),
        (2, False),
        (3, True),
        (4, True),
    ]
    assert trophy.dash_after == 3
    assert junior.dash_after is None
    assert teams.is_team
    assert teams.rows[-1].name == "Target Competition"
    assert teams.rows[-1].points == 3
    assert teams.rows[-1].country is None
    assert teams.rows[0].name == "Cyan Racing Lynk & Co"
    assert standings_text([teams])[-1] == "11: Target Competition, 3 p."


def test_seed_000_tables_are_swedish() -> None:
    drivers, teams = parse_standings("\n".join(seed_standings_paste("000")), our_names=OURS)
    assert drivers.title == "Förarmästerskapstabell – Totalt (Topp tre)"
    assert drivers.series_line == "TCR Europe Series 2020 (Efter 5 av 6 tävlingshelger)"
    assert (drivers.language, teams.language) == ("sv", "sv")
    assert drivers.rows[0].position == 1
    assert drivers.rows[0].country == "GER"
    assert [r.position for r in drivers.rows if r.ours] == [7, 18]
    assert teams.is_team
    assert teams.rows[0].country == "BEL"


@pytest.mark.parametrize("prefix", sorted(SEED_STANDINGS))
def test_standings_text_round_trips_the_seed(prefix: str) -> None:
    paste = seed_standings_paste(prefix)
    expected = printed_table_lines(paste)
    tables = parse_standings("\n".join(paste), our_names=OURS)
    at = 0
    for table in tables:
        lines = standings_text([table])
        assert lines == expected[at : at + len(lines)]
        at += len(lines)
    assert at == len(expected)
    assert [ln for ln in standings_text(tables) if ln] == expected


def test_render_standings_marks_our_rows() -> None:
    tables = parse_standings("\n".join(seed_standings_paste("003")), our_names=OURS)
    post = render_standings(tables, "en")
    assert post.title == "Championship standings"
    assert plain_text(reveal(post)).splitlines()[1:] == standings_text(tables)
    assert (Bold("11: Target Competition, 3 p."),) in post.lines
    assert render_standings(tables, "sv").title == "Mästerskapsställning"


def _plain_lines(post: Post) -> list[str]:
    return plain_text(reveal(post)).splitlines()[1:]


def test_english_standings_read_in_swedish() -> None:
    """Issue #14: a release's English headings reach a Swedish fan in Swedish."""
    tables = parse_standings("\n".join(seed_standings_paste("003")), our_names=OURS)
    lines = _plain_lines(render_standings(tables, "sv"))
    assert lines[:2] == [
        "FIA World Touring Car Cup for Drivers WTCR – Totalt (Topp tre)",
        "FIA WTCR 2021 (Efter 3 av 8 tävlingshelger)",
    ]
    assert "WTCR Trophy – Totalt (Topp tre)" in lines
    assert "WTCR – FIA World Touring Car Cup for Teams – Totalt (Topp tre)" in lines
    assert not [ln for ln in lines if re.search(r"Overall|Top \d|After|race weekends", ln)]
    assert [ln for ln in lines if ln[:1].isdigit()] == [
        ln for ln in standings_text(tables) if ln[:1].isdigit()
    ]


def test_swedish_standings_read_in_english() -> None:
    tables = parse_standings("\n".join(seed_standings_paste("000")), our_names=OURS)
    lines = _plain_lines(render_standings(tables, "en"))
    assert lines[:2] == [
        "Förarmästerskapstabell – Overall (Top 3)",
        "TCR Europe Series 2020 (After 5 of 6 race weekends)",
    ]
    assert "Teammästerskapstabell – Overall (Top 3)" in lines
    assert _plain_lines(render_standings(tables, "sv")) == standings_text(tables)


def test_standings_heading_keeps_its_numbers() -> None:
    paste = (
        "WTCR Trophy - overall (top 5)\nFIA WTCR 2021 (after 7 of 10 race weekends)\n1: A B, 3 p."
    )
    (table,) = parse_standings(paste)
    assert table.heading == ("WTCR Trophy", 5)
    assert _plain_lines(render_standings([table], "sv"))[:2] == [
        "WTCR Trophy – Totalt (Topp fem)",
        "FIA WTCR 2021 (Efter 7 av 10 tävlingshelger)",
    ]
    assert _plain_lines(render_standings([table], "en"))[:2] == [
        "WTCR Trophy – Overall (Top 5)",
        "FIA WTCR 2021 (After 7 of 10 race weekends)",
    ]
    (other,) = parse_standings("Drivers\n1: A B, 3 p.")
    assert other.heading is None
    assert _plain_lines(render_standings([other], "sv"))[0] == "Drivers"


def test_standings_accept_hyphen_dash_and_blank_lines() -> None:
    [table] = parse_standings(
        "\n\nWTCR Trophy – Overall (Top 3)\n\nFIA WTCR 2021 (After 2 of 8 race weekends)\n"
        "1: Gilles Magnus (BEL), 42 p.\n-\n4: Jessica Bäckman (SWE), 17 p.\n",
        our_names=["jessica backman"],
    )
    assert table.dash_after == 1
    assert [r.ours for r in table.rows] == [False, True]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no standings table found"),
        ("See the full standings here", "no standings table found"),
        (
            "Title\n(After 1 of 8)\n1: Mike Halder (GER), p.",
            "line 3 “1: Mike Halder (GER), p.”: not a standings row",
        ),
        (
            "Title\n1: Mike Halder (GER), 242 p.\n2: Mehdi Bennani (MAR), 216\n",
            "line 3 “2: Mehdi Bennani (MAR), 216”: not a standings row",
        ),
        (
            "Title\n1: A (SWE), 3 p.\n–\n1: B (SWE), 2 p.",
            "line 4 “1: B (SWE), 2 p.”: position 1 is already on line 2",
        ),
        ("Title\n(After 1 of 8)", "line 1 “Title”: a table with no rows"),
        (
            "First\n(After 1 of 8)\nSecond\n(After 1 of 8)\n1: A, 2 p.",
            "line 1 “First”: a table with no rows",
        ),
        ("1: A, 2 p.", "line 1 “1: A, 2 p.”: a row before any table title"),
        ("Title\n–\n1: A, 2 p.", "line 2 “–”: a dash line before any row"),
        ("Title\n1: A, 2 p.\n–\n–\n5: B, 1 p.", "line 4 “–”: a second dash line in one table"),
        ("T\n1: A, 2 p.\nTrailing words", "line 3 “Trailing words”: a table with no rows"),
    ],
)
def test_standings_errors(text: str, message: str) -> None:
    error = standings_error(text)
    assert error.message == message
    assert error.hint


def test_malformed_row_hint_shows_the_shape() -> None:
    hint = standings_error("Title\n1: Mike Halder").hint or ""
    assert "1: Mike Halder (GER), 242 p." in hint


def test_standings_table_is_plain_data() -> None:
    [table] = parse_standings("T\n1: A, 2 p.")
    assert isinstance(table, StandingsTable)
    assert table.is_team
    assert table.series_line is None
    assert (table.after_round, table.of_rounds) == (None, None)


# --------------------------------------------------------------------------- properties

COMMAND_WORDS = [
    "race1", "race2", "fp1", "fri", "träning", "Free", "practice", "1", "2", "lopp", "q",
    "kval", "andreas", "Jessica", "bäckman", "BACKMAN", "dnf", "bröt", "dsq", "nc", "17",
    "17th", "17:e", "P17", "0", "41", "99999999999999", "trophy", "junior", "trophy:2",
    "junior:x", ":", ":e", '"note"', '"', "“", "”quoted”", "„x“", "-", "#", "???", "\u00a0",
]  # fmt: skip
STANDINGS_LINES = [
    "WTCR Series Standings",
    "WTCR Trophy – Overall (Top 3)",
    "Förarmästerskapstabell – Totalt (Topp tre)",
    "FIA WTCR 2021 (After 3 of 8 race weekends)",
    "TCR Europe Series 2020 (Efter 5 av 6 tävlingshelger)",
    "1: Mike Halder (GER), 242 p.",
    "2: Cyan Racing Lynk & Co, 141 p.",
    "11: Target Competition, 3 p.",
    "1: Mike Halder",
    "99999999999: X, 9999999999999 p.",
    "–",
    "-",
    "",
    "See the full standings here",
    "Se fullständig tabell här",
    "7:",
]


def never_crashes(call: Callable[[], object]) -> None:
    """The call either returns or raises UserError; anything else fails the test."""
    with contextlib.suppress(UserError):
        call()


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_result_command_never_crashes_on_text(text: str) -> None:
    never_crashes(lambda: parse(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(COMMAND_WORDS), max_size=12))
def test_result_command_never_crashes_on_token_soup(words: list[str]) -> None:
    never_crashes(lambda: parse(" ".join(words)))


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_standings_never_crash_on_text(text: str) -> None:
    never_crashes(lambda: parse_standings(text, our_names=OURS))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(STANDINGS_LINES), max_size=14))
def test_standings_never_crash_on_line_soup(lines: list[str]) -> None:
    never_crashes(lambda: parse_standings("\n".join(lines), our_names=OURS))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(STANDINGS_LINES[:8]), min_size=1, max_size=10))
def test_parsed_standings_round_trip(lines: list[str]) -> None:
    try:
        tables = parse_standings("\n".join(lines))
    except UserError:
        return
    assert parse_standings("\n".join(standings_text(tables))) == tables


# --------------------------------------------------------------------------- Swedish staff


def test_unknown_driver_is_refused_in_swedish() -> None:
    with pytest.raises(UserError) as info:
        resolve_driver("kalle", DRIVERS, language="sv")
    assert info.value.message == "okänd förare “kalle”"
    assert info.value.hint == "välj en av: andreas (Andreas Bäckman), jessica (Jessica Bäckman)"


def test_unknown_and_ambiguous_sessions_are_refused_in_swedish() -> None:
    with pytest.raises(UserError) as info:
        resolve_session("fp3", FORMAT, language="sv")
    assert info.value.message == "okänt pass “fp3”"
    assert (info.value.hint or "").startswith("välj ett av: fp1 (Fri träning 1 / Free Practice 1)")
    with pytest.raises(UserError) as info:
        resolve_session("race", FORMAT, language="sv")
    assert info.value.message == "“race” passar flera pass: race1 (Race 1), race2 (Race 2)"
    assert info.value.hint == "skriv passets id, t.ex. race1"


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("", "inget att registrera"),
        ("fp3 andreas 21", "okänt pass “fp3”"),
        (
            "race2 bäckman 21",
            "“bäckman” passar flera förare: andreas (Andreas Bäckman), jessica (Jessica Bäckman)",
        ),
        ("race2 kalle 21", "okänd förare “kalle”"),
        ("race2 andreas 41", "plats 41 för Andreas är utanför 1–40"),
        ("race2 andreas 15 trophy 41", "plats 41 för Andreas i trophy är utanför 1–40"),
        ("race2 andreas 17 jessica 17", "Andreas och Jessica har båda plats 17"),
        (
            "race2 andreas 15 trophy 2 jessica 16 trophy:2",
            "Andreas och Jessica har båda plats 2 i trophy",
        ),
        ("race2 andreas 17 andreas 18", "Andreas står med två gånger"),
        ("race2 andreas fast", "ingen plats angiven för Andreas: “fast” är ingen plats"),
        ("race2 andreas 17 jessica", "ingen plats angiven för Jessica"),
        ("race2 andreas 17 18", "“18” saknar förare"),
        ("race2 andreas 17 ???", "förstod inte “???”"),
        ('race2 "a note" andreas 17', "oväntad anteckning “a note”"),
        ('race2 andreas 17 "unclosed', 'ostängt citattecken i “"unclosed”'),
        ("race2 andreas 15 trophy:x", "“x” är ingen plats i trophy för Andreas"),
        ("race2 andreas 15 trophy 2 trophy 3", "Andreas har två platser i trophy"),
        ("fp1", "inga resultat angivna för Fri träning 1"),
        ('race2 andreas - "note"', "“note” efter “-” för Andreas"),
    ],
)
def test_command_errors_in_swedish(command: str, message: str) -> None:
    error = error_of(command, language="sv")
    assert error.message == message
    assert error.hint is not None
    assert "så här: PASS FÖRARE PLATS [FÖRARE PLATS ...]" in error.hint
    assert "usage" not in error.hint


def test_the_english_usage_is_not_given_to_swedish_staff_and_back() -> None:
    assert "usage:" in (error_of("race2 kalle 21").hint or "")
    swedish = error_of("race2 kalle 21", language="sv").hint or ""
    assert swedish.startswith("välj en av: andreas (Andreas Bäckman)")
    assert "choose" not in swedish


def test_ensure_started_in_swedish() -> None:
    start = datetime(2021, 7, 11, 12, 0, tzinfo=UTC)
    weekend = datetime(2021, 7, 9, 7, 0, tzinfo=UTC)
    with pytest.raises(UserError) as info:
        ensure_started(start, weekend, weekend, language="sv", label="Race 2")
    assert info.value.message == (
        "Race 2 har inte börjat än (det börjar 2021-07-11 14:00 svensk tid)"
    )
    assert info.value.hint == "registrera resultatet när passet har körts"
    with pytest.raises(UserError) as info:
        ensure_started(None, weekend, datetime(2021, 7, 8, tzinfo=UTC), language="sv")
    assert info.value.message == "Passet har inte börjat än (helgen börjar 2021-07-09)"
