"""Ordinal numbers as the press releases write places: "21st place", "21:a plats".

The CLDR ordinal plural rules (via babel) decide the form, so 11th/12th/13th and
11:e/12:e come out right without hand-written digit arithmetic.
"""

from __future__ import annotations

from babel import Locale

from bot.core.texts import texts


def ordinal(n: int, language: str) -> str:
    """``n`` as an ordinal in ``language`` (any language without texts reads as the default)."""
    chosen = texts(language)
    form = Locale.parse(chosen.locale).ordinal_form(n)
    suffixes = chosen.ordinal_suffixes
    return f"{n}{suffixes.get(form, suffixes['other'])}"
