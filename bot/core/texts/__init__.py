"""Every sentence the bot says: one typed catalogue per language (``sv``, ``en``).

``texts(language)`` picks one; an unknown language gets the configured default
(``[bot] language``, Swedish unless set). Nothing outside this package chooses words
by comparing language codes (``tests/test_layers.py`` checks).
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.model import Driver
from bot.core.texts.catalogue import Texts
from bot.core.texts.en import EN
from bot.core.texts.sv import SV

CATALOGUES: dict[str, Texts] = {"sv": SV, "en": EN}
#: The languages a reader may choose, in the order menus offer them.
LANGUAGES = tuple(CATALOGUES)
_default = {"language": "sv"}


def set_default_language(language: str) -> None:
    """Make ``language`` (``[bot] language``) the answer for codes no catalogue has."""
    if language not in CATALOGUES:
        raise ValueError(f"no texts in {language!r}; choose one of {', '.join(LANGUAGES)}")
    _default["language"] = language


def texts(language: str) -> Texts:
    """The catalogue for ``language`` (the configured default for any other)."""
    return CATALOGUES.get(language) or CATALOGUES[_default["language"]]


def zone_words(key: str, language: str) -> str:
    """A zone as the language says it: "svensk tid", else "tid i London" / "London time"."""
    words = texts(language).render
    city = key.rsplit("/", 1)[-1].replace("_", " ")
    return words.zone_names.get(key) or words.city_time.format(city=city)


def help_entries(language: str, staff: bool = False) -> list[tuple[str, str]]:
    """(command, help line) in ``language``: fan commands, then staff ones for staff."""
    chosen = texts(language)
    entries = list(chosen.fan_help.items())
    if staff:
        entries += list(chosen.staff_help.items())
    return entries


def capitalized(text: str) -> str:
    """The first letter upper-cased and the rest kept: "fredag 6 november" -> "Fredag …",
    where str.capitalize would also lower "TCR" to "Tcr"."""
    return text[:1].upper() + text[1:]


def chat_count(count: int, language: str) -> str:
    """How many chats a broadcast reaches, as staff read it: "1 chatt", "12 chattar"."""
    chosen = texts(language)
    return chosen.one_chat if count == 1 else chosen.many_chats.format(count=count)


def team_names(drivers: Iterable[Driver], language: str) -> str:
    """The drivers the bot follows, as a fan would say it: "Andreas och Jessica Bäckman"."""
    unique = list({d.id: d for d in drivers}.values())
    if not unique:
        return ""
    same_family = len({d.last_name for d in unique}) == 1 and unique[0].last_name
    names = [d.first_name if same_family else d.full_name for d in unique]
    listed = (
        names[0]
        if len(names) == 1
        else f"{', '.join(names[:-1])} {texts(language).and_word} {names[-1]}"
    )
    return f"{listed} {unique[0].last_name}" if same_family else listed


__all__ = [
    "CATALOGUES",
    "EN",
    "LANGUAGES",
    "SV",
    "Texts",
    "capitalized",
    "chat_count",
    "help_entries",
    "set_default_language",
    "team_names",
    "texts",
    "zone_words",
]
