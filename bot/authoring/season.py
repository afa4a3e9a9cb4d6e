"""Season calendars in press releases: "WTCR Kalender 2021:" followed by lines such as
"3-5 Juni - Nürburgring Nordschleife, Tyskland" or "31 Juli - 1 Augusti - Adria, Italien".

Each line becomes a weekend with dates, circuit, country and the track's zone, ready for
its timetable later; a line that looks like a calendar entry and is not understood is an
error with its line, as in the timetable import.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import tomlkit
from tomlkit.items import AoT

from bot.authoring import phrases as say
from bot.authoring.lines import TABLE_RULE, check_year, clean
from bot.authoring.places import PlaceError, country_code, country_zone, track_zone
from bot.authoring.schedule_file import q
from bot.authoring.venue import event_name
from bot.core.errors import Said, ScheduleError, ScheduleErrors
from bot.core.model import Series
from bot.core.schedule import load_text
from bot.core.timeutil import month_number

_HEADING = re.compile(
    r"^(?P<name>.*?)\b(?:säsongs)?(?:kalender|calendar|kalendern|tävlingskalender)\b"
    r"\s*(?P<year>\d{4})?\s*:?\s*$",
    re.IGNORECASE,
)
_ORD = r"(?:st|nd|rd|th|:e|:a)?\.?"
_LEAD = (
    r"^(?:(?:round|rd\.?|deltävling|omgång|r)\s*(?P<round>\d{1,2})\s*[:.–—-]?\s*|\d{1,2}[.)]\s+)?"
)
_SEP = r"\s*(?:[-–—:,]|\s)\s*"
_FORMS = (
    # 3-5 Juni, 31 Juli - 1 Augusti, 29 juni – 2 juli, 3rd–5th June
    re.compile(
        rf"{_LEAD}(?P<d1>\d{{1,2}}){_ORD}(?:\s+(?P<m1>[^\W\d_]+\.?))?\s*[-–—]\s*"
        rf"(?P<d2>\d{{1,2}}){_ORD}\s+(?P<m2>[^\W\d_]+\.?){_SEP}(?P<place>\D.*)$",
        re.IGNORECASE,
    ),
    # June 3-5, July 31 - August 1
    re.compile(
        rf"{_LEAD}(?P<m1>[^\W\d_]+\.?)\s+(?P<d1>\d{{1,2}}){_ORD}\s*[-–—]\s*"
        rf"(?:(?P<m2>[^\W\d_]+\.?)\s+)?(?P<d2>\d{{1,2}}){_ORD},?{_SEP}(?P<place>\D.*)$",
        re.IGNORECASE,
    ),
    # 6 juni - Mantorp, Sverige (one day)
    re.compile(
        rf"{_LEAD}(?P<d1>\d{{1,2}}){_ORD}\s+(?P<m1>[^\W\d_]+\.?){_SEP}(?P<place>\D.*)$",
        re.IGNORECASE,
    ),
)
_TBA = re.compile(r"\b(?:TBA|TBC|TBD|datum\s+ej\s+klart|datum\s+meddelas\s+senare)\b", re.I)
_HEADER_CELL = r"(?:datum|date|dates|bana|track|circuit|land|country|omgång|round|plats|venue)"
_TABLE_HEADER = re.compile(rf"^{_HEADER_CELL}(?:\s+[-–—]\s+{_HEADER_CELL})+$", re.IGNORECASE)
_MONTHISH = re.compile(r"\d{1,2}\D{0,3}\s*[^\W\d_]{3,}|[^\W\d_]{3,}\s+\d{1,2}\b")


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    line: int
    text: str
    round: int
    circuit: str
    country: str
    track_timezone: str
    first_day: date
    last_day: date


@dataclass(frozen=True, slots=True)
class SeasonCalendar:
    source: str
    name: str | None
    year: int
    heading: int
    entries: tuple[CalendarEntry, ...]


def parse_calendar(text: str, *, year: int, source: str = "<press release>") -> SeasonCalendar:
    """The release's season calendar; ScheduleErrors lists every line not understood."""
    check_year(year, source)
    lines = [clean(line) for line in text.splitlines()]
    heading = next((i for i, t in enumerate(lines) if len(t) <= 80 and _HEADING.match(t)), None)
    if heading is None:
        raise ScheduleErrors(
            [ScheduleError(source, None, say.NO_CALENDAR(), say.NO_CALENDAR_HINT())]
        )
    head = _HEADING.match(lines[heading])
    assert head is not None
    errors: list[ScheduleError] = []
    if head["year"] and int(head["year"]) != year:
        errors.append(
            ScheduleError(
                source,
                heading + 1,
                say.CALENDAR_YEAR(found=head["year"], year=year),
                say.PASS_YEAR(year=head["year"]),
                quoted=lines[heading],
            )
        )
    entries: list[CalendarEntry] = []
    index = heading + 1
    while index < len(lines):
        line_text = lines[index]
        number = index + 1
        index += 1
        if not line_text:
            following = next((t for t in lines[index:] if t), "")
            if not _MONTHISH.search(following) and entries:
                break
            continue
        if line_text == TABLE_RULE or _TABLE_HEADER.match(line_text):
            continue  # a Markdown or tab table's header row and rule
        entry = _entry(line_text, number, year, len(entries) + 1, source, errors)
        if entry is not None:
            entries.append(entry)
        elif line_text.endswith(":") and len(line_text) < 40:
            continue  # a group heading such as "Asien:"
        elif _TBA.search(line_text) or any(_MONTHISH.search(t) for t in _paragraph(lines, index)):
            # "TBA - Asien", or a note with more weekends under it: never left out unsaid
            errors.append(
                ScheduleError(
                    source,
                    number,
                    say.CALENDAR_TBA(),
                    say.CALENDAR_TBA_HINT(),
                    quoted=line_text,
                )
            )
        elif not _MONTHISH.search(line_text):
            break
    if not entries and not errors:
        errors.append(
            ScheduleError(source, heading + 1, say.CALENDAR_EMPTY(), say.CALENDAR_EMPTY_HINT())
        )
    if errors:
        raise ScheduleErrors(errors)
    name = head["name"].strip(" :–—-") or None
    return SeasonCalendar(source, name, year, heading + 1, tuple(entries))


def _paragraph(lines: Sequence[str], index: int) -> list[str]:
    """The lines from ``index`` (0-based) to the next blank line."""
    out: list[str] = []
    for text in lines[index:]:
        if not text:
            break
        out.append(text)
    return out


def _entry(
    text: str, line: int, year: int, order: int, source: str, errors: list[ScheduleError]
) -> CalendarEntry | None:
    match = next((m for form in _FORMS if (m := form.match(text)) is not None), None)
    if match is None:
        if _MONTHISH.search(text):
            errors.append(
                ScheduleError(
                    source, line, say.CALENDAR_TBA(), say.CALENDAR_LINE_HINT(), quoted=text
                )
            )
        return None
    groups = match.groupdict()

    def fail(message: Said, hint: Said) -> None:
        errors.append(ScheduleError(source, line, message, hint, quoted=text))

    m1_word, m2_word = groups.get("m1"), groups.get("m2")
    m2 = month_number(m2_word) if m2_word else None
    m1 = month_number(m1_word) if m1_word else m2
    if m2 is None:
        m2 = m1
    if m1 is None or m2 is None:
        fail(say.NOT_A_MONTH(word=m1_word or m2_word), say.NOT_A_MONTH_HINT())
        return None
    d1 = int(groups["d1"])
    d2 = int(groups["d2"]) if groups.get("d2") else d1
    bad = next((d for d, m in ((d1, m1), (d2, m2)) if not _exists(year, m, d)), None)
    if bad is not None:
        word = m1_word if bad == d1 and m1_word else (m2_word or m1_word)
        fail(say.NO_SUCH_DATE(day=bad, month=word, year=year), say.CHECK_DATE())
        return None
    first, last = date(year, m1, d1), date(year, m2, d2)
    if last < first and m1 == 12 and m2 == 1:
        last = date(year + 1, m2, d2)  # "31 december – 2 januari": the weekend over New Year
    if last < first:
        fail(say.ENDS_BEFORE_STARTS(), say.CHECK_DATES())
        return None
    if (last - first).days > 6:
        fail(say.LONG_WEEKEND(days=(last - first).days + 1), say.CHECK_DATES())
        return None
    place = re.sub(r"\s*\*+$", "", groups["place"]).strip()
    circuit, country = _split(place)
    if country is None:
        fail(say.NO_COUNTRY(), say.NO_COUNTRY_HINT())
        return None
    try:
        tz = country_zone(country, circuit) or track_zone(circuit)
    except PlaceError as exc:
        fail(exc.said, say.TRACK_TIMEZONE_HINT())
        return None
    if tz is None:
        fail(say.NO_ZONE_FOR(country=country), say.TRACK_TIMEZONE_HINT())
        return None
    number = int(groups["round"]) if groups.get("round") else order
    return CalendarEntry(line, text, number, circuit, country, tz.key, first, last)


def _exists(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _split(place: str) -> tuple[str, str | None]:
    paren = re.match(r"^(?P<c>.+?)\s*\((?P<country>[^()]+)\)\s*$", place)
    if paren and country_code(paren["country"]):
        return paren["c"].strip(" ,–—-"), country_code(paren["country"])
    parts = [p.strip() for p in re.split(r",|\s[–—-]\s", place) if p.strip()]
    if len(parts) >= 2 and (code := country_code(parts[-1])) is not None:
        return ", ".join(parts[:-1]), code
    if len(parts) == 1 and (code := country_code(parts[0])) is not None:
        return parts[0], code  # "Macau"
    return place, None


def event_blocks(calendar: SeasonCalendar, skip: Sequence[str] = ()) -> list[list[str]]:
    """One [[events]] block per weekend (no sessions yet), leaving out ids in ``skip``."""
    blocks: list[list[str]] = []
    for entry in calendar.entries:
        ident = f"r{entry.round}"
        if ident in skip:
            continue
        blocks.append(
            [
                "[[events]]",
                f"id = {q(ident)}",
                f"round = {entry.round}",
                f"name = {q(event_name(entry.circuit))}",
                f"circuit = {q(entry.circuit)}",
                f"country = {q(entry.country)}",
                f"track_timezone = {q(entry.track_timezone)}",
                f"first_day = {entry.first_day.isoformat()}",
                f"last_day = {entry.last_day.isoformat()}",
            ]
        )
    return blocks


def calendar_toml(calendar: SeasonCalendar, series_id: str, series_name: str) -> str:
    """A new series file with the season's weekends, times to come."""
    out = [
        f"# {series_name} {calendar.year} — season calendar imported from {calendar.source}",
        f"# (line {calendar.heading}). No session times yet: add each weekend's timetable",
        "# with racebot import-timetable --into this file once it is published.",
        "# No [[drivers]] yet: add the team's drivers so /result can credit them.",
        "",
        "[series]",
        f"id = {q(series_id)}",
        f"name = {q(series_name)}",
        f"season = {calendar.year}",
        f"rounds = {max((e.round for e in calendar.entries), default=1)}",
        'timezone = "Europe/Stockholm"',
    ]
    for block in event_blocks(calendar):
        out += ["", *block]
    return "\n".join(out) + "\n"


def merge_calendar(
    text: str, file: str, series: Series, calendar: SeasonCalendar
) -> tuple[str, list[str]]:
    """Add the calendar's weekends the file does not have yet; never touch one it has."""
    doc = tomlkit.parse(text)
    have = {e.id for e in series.events}
    by_day = {(e.first_day, e.round) for e in series.events}
    skip = [f"r{e.round}" for e in calendar.entries if (e.first_day, e.round) in by_day]
    skip += list(have)
    events = doc.get("events")
    if events is None:
        events = tomlkit.aot()
        doc.append("events", events)
    assert isinstance(events, AoT)
    done: list[str] = []
    for entry in calendar.entries:
        if f"r{entry.round}" in skip:
            done.append(f"kept event r{entry.round} (already in {file})")
    for block in event_blocks(calendar, skip):
        table = tomlkit.parse("\n".join(block) + "\n")["events"][0]
        events.append(table)
        done.append(f"added event {block[1].split('=')[1].strip().strip(chr(34))}")
    out = tomlkit.dumps(doc)
    load_text(out, file)
    return out, done
