"""A chat's choices in words a fan reads: "Pass: race, kval", "Språk: svenska",
"Tidszon: New York" — never the ids the store keeps.

Languages and zones are named by CLDR (Babel: the exemplar city of a zone), session kinds
and the word for "everything" by the text catalogue, series by their names in the schedule.
"""

from __future__ import annotations

from collections.abc import Iterable

from babel import Locale
from babel.dates import get_timezone, get_timezone_location

from bot.core.model import Series, SessionKind
from bot.core.texts import texts

#: The order posts and summaries list session kinds in: what most fans care about first.
KIND_ORDER = (SessionKind.RACE, SessionKind.QUALIFYING, SessionKind.PRACTICE, SessionKind.OTHER)


def _locale(language: str) -> Locale:
    return Locale.parse(texts(language).locale)


def language_name(code: str, language: str) -> str:
    """``code`` named in ``language``: "svenska", "engelska"; "Swedish", "English"."""
    return str(_locale(language).languages.get(code, code))


def zone_place(key: str, language: str) -> str:
    """A zone as the place it is named after: "Stockholm", "New York", "Seoul", "UTC"."""
    try:
        return str(get_timezone_location(get_timezone(key), _locale(language), return_city=True))
    except (LookupError, ValueError):
        return key


def ordered_kinds(kinds: Iterable[SessionKind]) -> list[SessionKind]:
    wanted = set(kinds)
    return [k for k in KIND_ORDER if k in wanted]


def kinds_words(kinds: Iterable[SessionKind] | None, language: str) -> str:
    """ "race, kval" for a chosen few, "alla" for None (everything)."""
    chosen = texts(language)
    if not kinds:
        return chosen.all
    return ", ".join(chosen.kind_words[k.value] for k in ordered_kinds(kinds))


def series_words(ids: Iterable[str] | None, known: Iterable[Series], language: str) -> str:
    """ "TCR Europe 2020, WTCR 2021" for a chosen few, "alla" for None (everything)."""
    if not ids:
        return texts(language).all
    by_id = {s.id: s for s in known}
    return ", ".join(
        f"{by_id[i].name} {by_id[i].season}" if i in by_id else i for i in sorted(set(ids))
    )


def choices_words(
    series: Iterable[str] | None,
    kinds: Iterable[SessionKind] | None,
    known: Iterable[Series],
    language: str,
) -> str:
    """ "serier: alla; pass: race, kval": what a subscription follows, in one line."""
    chosen = texts(language)
    return (
        f"{chosen.series.lower()}: {series_words(series, known, language)}; "
        f"{chosen.kinds.lower()}: {kinds_words(kinds, language)}"
    )
