"""Day headings to dates: the year over New Year, weekdays checked, a hint that finds
the date or year the writer meant, and the release's language from its day names.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from babel.dates import format_date, get_day_names

from bot.authoring import phrases as say
from bot.authoring.lines import DayHead
from bot.authoring.names import line_language
from bot.authoring.sections import Section, SessionLine
from bot.core.errors import Day, Said, ScheduleError
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


def _weekday_hint(day: date, weekday: int, language: str, year_written: bool) -> Said:
    """Suggest the nearest date with the stated weekday, and a year where the date fits."""
    delta = (weekday - day.weekday()) % 7
    if delta > 3:
        delta -= 7
    nearest = day + timedelta(days=delta)
    years = sorted(range(day.year - 11, day.year + 12), key=lambda y: abs(y - day.year))
    fits = next((y for y in years if y != day.year and _fits(y, day, weekday)), None)
    heading = day_heading(nearest, language)
    if fits is None or year_written:  # "Lördag 2026-10-04": --year would not change it
        return say.DID_YOU_MEAN(heading=heading)
    other = date(fits, day.month, day.day)
    return say.OTHER_YEAR(
        heading=heading,
        year=day.year,
        other=Day(other, "d MMMM"),
        weekday=Day(other, "EEEE"),
        fits=fits,
    )


def _fits(year: int, day: date, weekday: int) -> bool:
    try:
        return date(year, day.month, day.day).weekday() == weekday
    except ValueError:
        return False


def dates(
    section: Section, year: int, language: str, source: str, errors: list[ScheduleError]
) -> dict[int, tuple[date | None, str, int]]:
    """Each session line's date (None after a bad heading), its heading's text and line."""
    out: dict[int, tuple[date | None, str, int]] = {}
    current: date | None = None
    heading_text = ""
    heading_line = 0
    the_year = year
    previous: date | None = None
    english = language == "en" or any(
        isinstance(i, SessionLine) and line_language(i.parts.name, "sv") == "en"
        for i in section.items
    )
    for item in section.items:
        if isinstance(item, SessionLine):
            out[item.line] = (current, heading_text, heading_line)
            continue
        current, heading_text, heading_line = None, item.text, item.line
        if item.day is None:
            continue  # a heading the scanner refused (it said why)
        assert item.month is not None
        if item.year is not None:
            the_year = item.year
        elif previous is not None and previous.month == 12 and item.month == 1:
            the_year = previous.year + 1  # a weekend over New Year
        try:
            found = date(the_year, item.month, item.day)
        except ValueError:
            month = item.month_word or Day(date(the_year, item.month, 1), "MMMM")
            errors.append(
                ScheduleError(
                    source,
                    item.line,
                    say.NO_SUCH_DATE(day=item.day, month=month, year=the_year),
                    say.CHECK_DATE(),
                    quoted=item.text,
                )
            )
            continue
        if (doubt := _month_day_doubt(item, found, english)) is not None:
            errors.append(ScheduleError(source, item.line, *doubt, quoted=item.text))
            continue
        if item.weekday is not None and found.weekday() != item.weekday:
            errors.append(
                ScheduleError(
                    source,
                    item.line,
                    say.WRONG_WEEKDAY(date=Day(found), weekday=Day(found, "EEEE")),
                    _weekday_hint(
                        found,
                        item.weekday,
                        _day_language(item.weekday_word) or language,
                        item.year is not None,
                    ),
                    quoted=item.text,
                )
            )
            continue
        current = previous = found
    return out


def _month_day_doubt(item: DayHead, found: date, english: bool) -> tuple[Said, Said] | None:
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
    message = say.DAY_OR_MONTH(first=Day(found, "d MMMM"), second=Day(swapped, "d MMMM"))
    # the headings to write are in the release's language (English), whoever reads the hint
    words = [format_date(d, "EEEE d MMMM", locale="en_GB") for d in (found, swapped)]
    return message, say.MONTH_AS_WORD(first=words[0], second=words[1])


def _us_order(item: DayHead, found: date, swapped: date) -> tuple[Said, Said]:
    message = say.US_ORDER(
        date=Day(found),
        weekday=Day(found, "EEEE"),
        other=Day(swapped, "d MMMM"),
        other_weekday=Day(swapped, "EEEE"),
    )
    example = format_date(swapped, "EEEE d MMMM", locale="en_GB")
    return message, say.MONTH_AS_WORD_ONE(example=example)


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
