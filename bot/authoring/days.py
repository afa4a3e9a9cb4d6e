"""Day headings to dates: the year over New Year, weekdays checked, a hint that finds
the date or year the writer meant, and the release's language from its day names.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from babel.dates import format_date, get_day_names

from bot.authoring.lines import DayHead
from bot.authoring.names import line_language
from bot.authoring.sections import Section, SessionLine
from bot.core.errors import ScheduleError
from bot.core.timeutil import day_heading


def _day_language(word: str | None) -> Literal["sv", "en"] | None:
    if not word:
        return None
    needle = word.lower().rstrip(".")
    for loc, language in (("sv_SE", "sv"), ("en_GB", "en")):
        for width in ("wide", "abbreviated"):
            found = {str(n).lower().rstrip(".") for n in get_day_names(width, locale=loc).values()}
            if needle in found:
                return "sv" if language == "sv" else "en"
    return None


def _english(day: date, pattern: str) -> str:
    return format_date(day, pattern, locale="en_GB")


def _weekday_hint(day: date, weekday: int, language: str) -> str:
    """Suggest the nearest date with the stated weekday, and a year where the date fits."""
    delta = (weekday - day.weekday()) % 7
    if delta > 3:
        delta -= 7
    nearest = day + timedelta(days=delta)
    years = sorted(range(day.year - 11, day.year + 12), key=lambda y: abs(y - day.year))
    fits = next((y for y in years if y != day.year and _fits(y, day, weekday)), None)
    hint = f"did you mean '{day_heading(nearest, language)}'?"
    if fits is not None:
        other = date(fits, day.month, day.day)
        when = f"{_english(other, 'd MMMM')} is a {_english(other, 'EEEE')}"
        hint += (
            f" If the heading is right, the year is not {day.year}: pass --year ({when} in {fits})"
        )
    return hint


def _fits(year: int, day: date, weekday: int) -> bool:
    try:
        return date(year, day.month, day.day).weekday() == weekday
    except ValueError:
        return False


def dates(
    section: Section, year: int, language: str, source: str, errors: list[ScheduleError]
) -> dict[int, tuple[date | None, str]]:
    """Each session line's date (None after a bad heading) and its heading's text."""
    out: dict[int, tuple[date | None, str]] = {}
    current: date | None = None
    heading_text = ""
    the_year = year
    previous: date | None = None
    english = language == "en" or any(
        isinstance(i, SessionLine) and line_language(i.parts.name, "sv") == "en"
        for i in section.items
    )
    for item in section.items:
        if isinstance(item, SessionLine):
            out[item.line] = (current, heading_text)
            continue
        current, heading_text = None, item.text
        assert item.day is not None
        assert item.month is not None
        if item.year is not None:
            the_year = item.year
        elif previous is not None and previous.month == 12 and item.month == 1:
            the_year = previous.year + 1  # a weekend over New Year
        try:
            found = date(the_year, item.month, item.day)
        except ValueError:
            errors.append(
                ScheduleError(
                    source,
                    item.line,
                    f"'{item.text}': there is no "
                    f"{item.day} {item.month_word or item.month} in "
                    f"{the_year}",
                    "check the date",
                )
            )
            continue
        if (doubt := _month_day_doubt(item, found, english)) is not None:
            errors.append(ScheduleError(source, item.line, *doubt))
            continue
        if item.weekday is not None and found.weekday() != item.weekday:
            errors.append(
                ScheduleError(
                    source,
                    item.line,
                    f"'{item.text}' — {_english(found, 'd MMMM y')} is a {_english(found, 'EEEE')}",
                    _weekday_hint(
                        found, item.weekday, _day_language(item.weekday_word) or language
                    ),
                )
            )
            continue
        current = previous = found
    return out


def _month_day_doubt(item: DayHead, found: date, english: bool) -> tuple[str, str] | None:
    """'10/3' in an English timetable: 10 March, or 3 October as the US writes it? Refused
    unless the weekday tells (a Swedish weekday means day/month, as Sweden writes it)."""
    assert item.day is not None
    assert item.month is not None
    if item.month_word is not None or item.day > 12 or item.day == item.month or not english:
        return None
    if _day_language(item.weekday_word) == "sv":
        return None
    swapped = date(found.year, item.day, item.month)
    readings = [d for d in (found, swapped) if item.weekday is None or d.weekday() == item.weekday]
    if len(readings) == 1:
        return None if readings[0] == found else _us_order(item, found, swapped)
    message = (
        f"'{item.text}' could be {_english(found, 'd MMMM')} (day/month) or "
        f"{_english(swapped, 'd MMMM')} (month/day)"
    )
    words = f"'{_english(found, 'EEEE d MMMM')}' or '{_english(swapped, 'EEEE d MMMM')}'"
    return message, f"write the month as a word: {words}"


def _us_order(item: DayHead, found: date, swapped: date) -> tuple[str, str]:
    message = (
        f"'{item.text}' — {_english(found, 'd MMMM y')} is a {_english(found, 'EEEE')}; "
        f"read as month/day, {_english(swapped, 'd MMMM')} is a {_english(swapped, 'EEEE')}"
    )
    return message, f"write the month as a word, e.g. '{_english(swapped, 'EEEE d MMMM')}'"


def language_of(section: Section) -> Literal["sv", "en"]:
    for item in section.items:
        if isinstance(item, DayHead):
            found = _day_language(item.weekday_word) or _month_language(item.month_word)
            if found is not None:
                return found
    title = (section.title or "").lower()
    return "en" if any(w in title for w in ("weekend", "round", "times")) else "sv"


def _month_language(word: str | None) -> Literal["sv", "en"] | None:
    if not word:
        return None
    english = {"january", "february", "march", "may", "june", "july", "october"}
    return "en" if word.lower().rstrip(".") in english else None
