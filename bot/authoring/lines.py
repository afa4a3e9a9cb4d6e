"""The small grammar of press-release lines: clock times, ranges, day headings.

Each reader returns None when the line is not of its kind, so the timetable scanner can
ask in turn and report a line nobody understood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.authoring import phrases as say
from bot.core.errors import ScheduleError, ScheduleErrors
from bot.core.timeutil import month_number, weekday_number

#: Seasons the importers accept: a typo such as 20223 or 1923 is refused, not imported.
YEARS = range(2000, 2101)


def check_year(year: int, source: str) -> None:
    if year not in YEARS:
        raise ScheduleErrors(
            [ScheduleError(source, None, say.YEAR_OUTSIDE(year=year), say.YEAR_HINT())]
        )


_MARKUP = re.compile(r"\[(?:bookmark|image):[^\]]*\]", re.IGNORECASE)
#: List bullets from Word ("• 10:50 …", "- 10:50 …"); a dash only before a time or TBA,
#: since quotes in the releases start with "- Det blir …".
_BULLET = re.compile(r"^(?:[•·▪◦●*]\s*|[-–—]\s+(?=\d|kl|TBA|TBC))", re.I)
#: Table cells exported as "11:15 | Race 1" or with tabs.
_CELL = re.compile(r"\s*(?:\||\t+)\s*")
#: The rule under a Markdown table's header ("|---|:---:|"): cleaned to ``TABLE_RULE``.
_RULE = re.compile(r"^\|?(?:\s*:?-{3,}:?\s*\|)*\s*:?-{3,}:?\s*\|?$")
TABLE_RULE = "---"


def clean(line: str) -> str:
    """A line without Word-export markup and odd spaces, so patterns see plain text."""
    text = _MARKUP.sub("", line)
    for odd in ("\xa0", "\u2009", "\u202f"):
        text = text.replace(odd, " ")
    text = text.replace("\u200b", "").replace("\ufeff", "").replace("\u2212", "-")
    text = _BULLET.sub("", text.strip())
    if "|" in text and _RULE.match(text):
        return TABLE_RULE
    text = text.strip("| \t")  # a Markdown row's outer pipes, and its empty first cells
    return _CELL.sub(" – ", text).strip()


#: One clock reading: "kl. 10.50", "KL. 9.00", "10:50", "2:15 pm", "2.15pm", "2 pm".
CLOCK = (
    r"(?:(?<!\w)(?:kl(?:ockan)?\.?\s*\d{1,2}(?![\d:.]\d))|"  # "kl. 9": nine o'clock
    r"(?:(?<!\w)(?:kl(?:ockan)?|at)\.?\s*)?"
    r"(?:\d{1,2}[:.]\d{2}(?:\s*[ap]\.?\s?m\b\.?)?|\d{1,2}\s*[ap]\.?\s?m\b\.?|"
    r"\d{1,2}h\d{2}(?!\d)))"  # "14h30", as French timetables write it
)
_CLOCK_PARTS = re.compile(
    r"^(?:(?:kl(?:ockan)?|at)\.?\s*)?(?P<h>\d{1,2})(?:[:.h](?P<m>\d{2}))?\s*(?:(?P<ap>[ap])\.?\s?m\.?)?$",
    re.IGNORECASE,
)
_RANGE_SEP = r"\s*(?:[-–—]|till|to|until)\s*"
#: "10:50", "10.50-11.35", "kl. 10.50–11.50", "2:15 pm - 3 pm".
TIME_EXPR = rf"(?P<start>{CLOCK})(?:{_RANGE_SEP}(?P<end>{CLOCK}))?"
_TIME_ANY = re.compile(rf"(?<![\d:.]){CLOCK}", re.IGNORECASE)


class ClockError(ValueError):
    """A clock reading that is not a time of day (``value``, as written or read)."""

    def __init__(self, value: str) -> None:
        super().__init__(f"{value} is not a time of day")
        self.value = value


def clock(text: str) -> tuple[int, int]:
    """(hour, minute) of one clock reading; ClockError if it is not a time of day."""
    match = _CLOCK_PARTS.match(text.strip())
    if match is None:
        raise ClockError(text.strip())
    hour, minute = int(match["h"]), int(match["m"] or 0)
    if match["ap"]:
        if not 1 <= hour <= 12:
            raise ClockError(text.strip())
        hour = hour % 12 + (12 if match["ap"].lower() == "p" else 0)
    if hour > 23 or minute > 59:
        raise ClockError(f"{hour:02d}:{minute:02d}")
    return hour, minute


def has_clock(text: str) -> bool:
    return _TIME_ANY.search(text) is not None


# --- day headings ---------------------------------------------------------------------

_ORD = r"(?:st|nd|rd|th|:?e|:?a)?\.?"
_WORD = r"[^\W\d_]+\.?"
_DAY_FORMS = (
    # Fredag 6 november, Friday, 6th November 2020, lördag den 14 maj, Saturday the 3rd of October
    re.compile(
        rf"^(?P<wd>{_WORD})?,?\s*(?:den\s+|the\s+)?(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<m>{_WORD}),?"
        r"(?:\s+(?P<y>\d{4}))?$",
        re.IGNORECASE,
    ),
    # Friday November 6th, Saturday, September 30, 2023
    re.compile(
        rf"^(?P<wd>{_WORD})?,?\s*(?P<m>{_WORD})\s+(?P<d>\d{{1,2}}){_ORD},?(?:\s+(?P<y>\d{{4}}))?$",
        re.IGNORECASE,
    ),
    # 2026-10-03, Lördag 2026-10-03, Saturday, 2026-10-03 (ISO, as some teams write it)
    re.compile(
        rf"^(?P<wd>{_WORD})?,?\s*(?:den\s+)?(?P<y>\d{{4}})-(?P<mn>\d{{1,2}})-(?P<d>\d{{1,2}})$",
        re.IGNORECASE,
    ),
    # Lördag 30/9, Söndag 1/10, Sat 30.9., fredag 29/9 2023
    re.compile(
        rf"^(?P<wd>{_WORD})?,?\s*(?:den\s+)?(?P<d>\d{{1,2}})[/.](?P<mn>\d{{1,2}})\.?"
        r"(?:[/.\s](?P<y>\d{4}|\d{2}))?$",
        re.IGNORECASE,
    ),
)
_TRAIL = re.compile(r"\s*\((?P<note>[^()]*)\)\s*:?\s*$")


@dataclass(frozen=True, slots=True)
class DayHead:
    """A day heading as written; weekday/month None when the line has only the other part."""

    line: int
    text: str
    weekday: int | None
    weekday_word: str | None
    day: int | None
    month: int | None
    month_word: str | None
    year: int | None
    notes: tuple[str, ...] = ()


def strip_notes(text: str) -> tuple[str, tuple[str, ...]]:
    """'Söndag 1 oktober (racedag):' -> ('Söndag 1 oktober', ('racedag',))."""
    notes: list[str] = []
    body = text.strip()
    while True:
        body = body.rstrip(":").rstrip()
        match = _TRAIL.search(body)
        if match is None:
            break
        notes.insert(0, match["note"].strip())
        body = body[: match.start()].rstrip()
    return body.rstrip(":–—- ").strip(), tuple(notes)


def read_day(text: str, line: int) -> DayHead | None:
    """A day heading, a weekday alone ('Lördag', split headings) or a date alone ('14 maj')."""
    body, notes = strip_notes(text)
    if not body or len(body) > 48:
        return None
    parts = re.split(r"\s+[–—-]\s+", body, maxsplit=1)
    if len(parts) == 2 and not re.search(r"\d", parts[1]):
        head, note = parts
        found = read_day(head, line)  # "Söndag 8 november – racedag"
        if found is not None:
            return DayHead(
                line,
                found.text,
                found.weekday,
                found.weekday_word,
                found.day,
                found.month,
                found.month_word,
                found.year,
                (*found.notes, note, *notes),
            )
    weekday = weekday_number(body)
    if weekday is not None:
        return DayHead(line, body, weekday, body, None, None, None, None, notes)
    for form in _DAY_FORMS:
        match = form.match(body)
        if match is None:
            continue
        groups = match.groupdict()
        wd_word = groups.get("wd")
        if groups.get("mn") and not wd_word and "/" not in body and "-" not in body:
            continue  # "1.10" alone is more likely a time than a date
        wd = weekday_number(wd_word) if wd_word else None
        if wd_word and wd is None:
            continue
        month_word = groups.get("m")
        if month_word is not None:
            month = month_number(month_word)
            if month is None:
                continue
        else:
            month = int(groups["mn"])
            if not 1 <= month <= 12:
                continue
        year_text = groups.get("y")
        year = None
        if year_text:
            year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        day = int(groups["d"])
        return DayHead(line, body, wd, wd_word, day, month, month_word, year, notes)
    return None
