"""The words of result and standings posts, one typed table per language (``sv``, ``en``).

Render code asks ``wording(language)`` instead of choosing words inline, so a word one
language lacks is a mypy error, not English leaking into a Swedish post.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ResultWording:
    """What result and standings posts say in one language."""

    #: "(2nd in WTCR Trophy)" / "(2:a i WTCR Trophy)".
    in_class: str
    #: "15th place" / "15:e plats": {place}.
    place: str
    #: A session with no result line yet.
    no_result: str
    #: Prefix of a result a correction removed (staff drafts).
    removed: str
    #: Status words keyed by ``ResultStatus`` value ("DNF", "DNS", "DSQ", "NC").
    statuses: Mapping[str, str]
    #: Possessive of a first name: names ending in one of ``bare_after`` take
    #: ``possessive_bare``, others ``possessive``; both with {name}.
    bare_after: str
    possessive_bare: str
    possessive: str
    #: "Andreas’ results:" / "Andreas resultat:" heading word.
    results_heading: str
    #: Weekend summary title "Results – Estoril" and footer "…, round 3".
    results_title: str
    round_word: str
    #: Title of a standings post.
    standings_title: str
    #: A table's heading after its category: {top} rows shown.
    overall_top: str
    #: Numbers as the releases write them in ``overall_top`` (others as digits).
    top_words: Mapping[int, str]
    #: The series line's "(After 3 of 8 race weekends)": {after}, {of}.
    after_rounds: str


SV = ResultWording(
    in_class="i",
    place="{place} plats",
    no_result="inget resultat",
    removed="Borttaget: ",
    statuses={
        "DNF": "bröt (DNF)",
        "DNS": "startade inte (DNS)",
        "DSQ": "diskvalificerad (DSQ)",
        "NC": "ej klassad (NC)",
    },
    bare_after="sxz",
    possessive_bare="{name}",
    possessive="{name}s",
    results_heading="resultat",
    results_title="Resultat",
    round_word="deltävling",
    standings_title="Mästerskapsställning",
    overall_top="Totalt (Topp {top})",
    top_words={
        1: "ett",
        2: "två",
        3: "tre",
        4: "fyra",
        5: "fem",
        6: "sex",
        7: "sju",
        8: "åtta",
        9: "nio",
        10: "tio",
    },
    after_rounds="Efter {after} av {of} tävlingshelger",
)

EN = ResultWording(
    in_class="in",
    place="{place} place",
    no_result="no result",
    removed="Removed: ",
    statuses={
        "DNF": "Retired (DNF)",
        "DNS": "Did not start (DNS)",
        "DSQ": "Disqualified (DSQ)",
        "NC": "Not classified (NC)",
    },
    bare_after="s",
    possessive_bare="{name}’",
    possessive="{name}’s",
    results_heading="results",
    results_title="Results",
    round_word="round",
    standings_title="Championship standings",
    overall_top="Overall (Top {top})",
    top_words={},
    after_rounds="After {after} of {of} race weekends",
)

WORDINGS: dict[str, ResultWording] = {"sv": SV, "en": EN}


def wording(language: str) -> ResultWording:
    """The wording for ``language`` (Swedish, the bot's own, for any other)."""
    return WORDINGS.get(language, SV)
