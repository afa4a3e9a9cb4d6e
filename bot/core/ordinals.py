"""Ordinal numbers as the press releases write places: "21st place", "21:a plats".

The CLDR ordinal plural rules (via babel) decide the form, so 11th/12th/13th and
11:e/12:e come out right without hand-written digit arithmetic.
"""

from __future__ import annotations

from babel import Locale

_SUFFIXES = {
    "en": {"one": "st", "two": "nd", "few": "rd", "other": "th"},
    "sv": {"one": ":a", "other": ":e"},
}


def ordinal(n: int, language: str) -> str:
    """``n`` as an ordinal in ``language`` ("sv" or "en"; anything else reads as Swedish)."""
    lang = "en" if language == "en" else "sv"
    form = Locale(lang).ordinal_form(n)
    suffixes = _SUFFIXES[lang]
    return f"{n}{suffixes.get(form, suffixes['other'])}"
