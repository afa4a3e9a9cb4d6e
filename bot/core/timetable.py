"""Import the weekend timetable from a team press release into the schedule model.

The team's releases list the weekend as day headings ("Fredag 6 november:") and lines
such as "11:20 Fri träning 1 (60 min) – LIVETIMING", in a zone the release states
("alla tidsangivelser avser svensk tid"). Reading them directly spares staff from
retyping times, which is where wrong reminders come from. Platform-neutral: no chat code.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale
from babel.core import get_global
from babel.dates import format_date, get_day_names

from bot.core.errors import ScheduleError, ScheduleErrors
from bot.core.model import Link, LinkKind, Series, Session, SessionKind, SessionStatus, Text
from bot.core.timeutil import (
    SWEDISH_TIME,
    LocalTimeError,
    day_heading,
    month_number,
    parse_duration,
    to_utc,
    weekday_number,
    zone,
)

# --- data -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportedSession:
    """One session line, kept with where it came from so errors and files can point back."""

    session: Session
    line: int
    text: str
    duration_text: str | None = None


@dataclass(frozen=True, slots=True)
class Venue:
    """Track facts from the release's "Om banan" block; only used as defaults for a file."""

    circuit: str | None = None
    city: str | None = None
    country: str | None = None
    length_km: float | None = None
    turns: int | None = None


@dataclass(frozen=True, slots=True)
class ImportedTimetable:
    """The sessions of one release's timetable, the zone its times were read in, and the text."""

    source: str
    tz: ZoneInfo
    lines: tuple[str, ...]
    entries: tuple[ImportedSession, ...]
    section: tuple[int, int]
    language: Literal["sv", "en"] = "sv"
    title: str | None = None
    zone_note: str | None = None
    venue: Venue = field(default_factory=Venue)

    @property
    def sessions(self) -> tuple[Session, ...]:
        return tuple(entry.session for entry in self.entries)

    def unresolved_labels(self) -> tuple[str, ...]:
        """Link labels still without an address, so the caller can say which to define."""
        labels = (link.label for s in self.sessions for link in s.links if link.url is None)
        return tuple(dict.fromkeys(labels))


# --- glossaries -----------------------------------------------------------------------

#: Session-name terms, Swedish -> English; the first pair wins when read backwards.
_NAME_TERMS: tuple[tuple[str, str], ...] = (
    ("Fri träning", "Free Practice"),
    ("Träning", "Practice"),
    ("Tidskval", "Qualifying"),
    ("Kvalificering", "Qualifying"),
    ("Kval", "Qualifying"),
    ("Uppvärmning", "Warm-up"),
    ("Race", "Race"),
    ("Final", "Final"),
    ("Superpole", "Superpole"),
    ("och", "and"),
)

#: Whole notes, Swedish -> English.
_NOTES: tuple[tuple[str, str], ...] = (
    ("byter förare efter halva loppet", "driver change at half distance"),
    ("förarbyte efter halva loppet", "driver change at half distance"),
    ("förarbyte", "driver change"),
    ("omvänd startordning", "reversed grid"),
    ("stående start", "standing start"),
    ("rullande start", "rolling start"),
)

# --- line patterns --------------------------------------------------------------------

_MARKUP = re.compile(r"\[(?:bookmark|image):[^\]]*\]", re.IGNORECASE)
_HEADING = re.compile(
    r"^(?:tidss?chema|tidsplan|tidtabell|helgens\s+(?:schema|program)|"
    r"time\s*table|timetable|schedule|weekend\s+schedule)\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_PAREN = re.compile(r"\(([^()]*)\)")
_DAY_DM = re.compile(
    r"^(?P<wd>[^\W\d_]+)\.?,?\s+(?:den\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th|:?e|:?a)?\.?\s+"
    r"(?P<m>[^\W\d_]+)\.?,?(?:\s+(?P<y>\d{4}))?\s*:?$"
)
_DAY_MD = re.compile(
    r"^(?P<wd>[^\W\d_]+)\.?,?\s+(?P<m>[^\W\d_]+)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?"
    r"(?:\s+(?P<y>\d{4}))?\s*:?$"
)
_SESSION = re.compile(
    r"^(?:kl\.?\s*)?(?P<h>\d{1,2})[:.](?P<mi>\d{2})"
    r"(?:\s*[-–—]\s*(?P<eh>\d{1,2})[:.](?P<emi>\d{2}))?"
    r"(?:\s*[-–—:]\s*|\s+)(?P<rest>[^\d\s].*)$"
)
_TIME_WORDS = re.compile(
    r"\b(?:tid|tider|tidsangivelser\w*|klockslag|time|times|timezone|zone|CES?T|UTC|GMT)\b",
    re.IGNORECASE,
)
_LOCAL = re.compile(r"\blokal\w*|\blocal\b|\btrack\s+time|\bbantid|\bortens\s+tid", re.IGNORECASE)
_SWEDISH = re.compile(r"svensk|swedish|sverige|sweden|\bCES?T\b|central\s*europ", re.IGNORECASE)
_IANA = re.compile(r"\b[A-Z][A-Za-z_]+/[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_]+)?\b")
_OFFSET = re.compile(r"\b(?:UTC|GMT)\s*(?P<sign>[+-−])\s*(?P<h>\d{1,2})(?::?00)?\b")
_UTC = re.compile(r"\b(?:UTC|GMT)\b")
_DURATION = re.compile(
    r"^(?:\d+\s*[x×]\s*)?\d+\s*(?:min(?:uter|utes)?|h|tim(?:mar)?)\.?$", re.IGNORECASE
)
_TOKENS = re.compile(r"\((?P<paren>[^()]*)\)|(?P<sep>\s+[–—-](?:\s+|$)|^[–—-]\s+)")
_LIVE_ON = re.compile(
    r"^(?:live|livesänds|sänds\s+live|direktsänds|streamas|streamed|stream)\s*"
    r"(?:på|on|via|at|:)\s+(?P<label>.+)$",
    re.IGNORECASE,
)
_LINK_WORD = re.compile(r"^(?:live|livetiming|live-timing|livestream|stream)\b", re.IGNORECASE)
_SESSION_TERM = re.compile(
    r"^(?:fri\s+träning|träning|tidskval|kval\w*|free\s+practice|practice|qualifying|race|"
    r"superpole|warm-?up|uppvärmning|final|heat|q\d)\b",
    re.IGNORECASE,
)
_ROUND = re.compile(
    r"[\s,:–—-]*\b(?:deltävling|omgång|round|rd\.?)\s*(?P<n>\d{1,2})\b", re.IGNORECASE
)
_VENUE_HEAD = re.compile(
    r"^(?:om\s+banan|banfakta|about\s+the\s+(?:track|circuit)|track\s+facts|the\s+track)\b"
    r"\s*(?:\((?P<circuit>[^)]*)\))?\s*:?\s*$",
    re.IGNORECASE,
)
_KEY_VALUE = re.compile(r"^(?P<key>[^:]{2,30}):\s*(?P<value>.+)$")


def _clean(line: str) -> str:
    """A line without Word-export markup and odd spaces, so patterns see plain text."""
    text = _MARKUP.sub("", line).replace("\xa0", " ").replace("\u200b", "").replace("\ufeff", "")
    return text.strip()


# --- zone notes ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _ZoneNote:
    line: int
    text: str
    kind: Literal["zone", "local", "unknown"]
    tz: ZoneInfo | None = None


def _zone_note(text: str, line: int) -> _ZoneNote | None:
    """What zone a note such as "(alla tidsangivelser avser svensk tid)" names, if it is one."""
    inner = text.strip()
    if inner.startswith("(") and inner.endswith(")"):
        inner = inner[1:-1].strip()
    if not _TIME_WORDS.search(inner):
        return None
    if _LOCAL.search(inner):
        return _ZoneNote(line, inner, "local")
    for name in _IANA.findall(inner):
        try:
            return _ZoneNote(line, inner, "zone", zone(name))
        except LocalTimeError:
            continue
    offset = _OFFSET.search(inner)
    if offset:
        hours = int(offset["h"])
        sign = "-" if offset["sign"] == "+" else "+"  # Etc/GMT signs are inverted
        return _ZoneNote(line, inner, "zone", ZoneInfo(f"Etc/GMT{sign}{hours}" if hours else "UTC"))
    if _SWEDISH.search(inner):
        return _ZoneNote(line, inner, "zone", SWEDISH_TIME)
    if _UTC.search(inner):
        return _ZoneNote(line, inner, "zone", ZoneInfo("UTC"))
    city = _zone_by_city(inner)
    if city is not None:
        return _ZoneNote(line, inner, "zone", city)
    return _ZoneNote(line, inner, "unknown")


def _zone_by_city(text: str) -> ZoneInfo | None:
    """ "Macau time" -> Asia/Macau: a capitalised word that is the city part of an IANA zone."""
    cities = {key.rsplit("/", 1)[-1].lower(): key for key in available_timezones() if "/" in key}
    for word in re.findall(r"\b[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?", text):
        key = cities.get(word.replace(" ", "_").lower())
        if key is not None and not key.startswith("Etc/"):
            return ZoneInfo(key)
    return None


# --- finding the section ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Day:
    line: int
    text: str
    weekday: str
    day: int
    month: str
    year: int | None


@dataclass(frozen=True, slots=True)
class _Line:
    line: int
    text: str
    match: re.Match[str]


@dataclass
class _Section:
    heading: int | None
    title: str | None
    notes: list[_ZoneNote]
    items: list[_Day | _Line]
    end: int


def _day(text: str, line: int) -> _Day | None:
    for pattern in (_DAY_DM, _DAY_MD):
        match = pattern.match(text)
        if match is None:
            continue
        if weekday_number(match["wd"]) is None and month_number(match["m"]) is None:
            continue
        year = int(match["y"]) if match["y"] else None
        return _Day(line, text.rstrip(":").strip(), match["wd"], int(match["d"]), match["m"], year)
    return None


def _scan(lines: Sequence[str], begin: int, heading: bool) -> _Section | None:
    """Read a timetable starting at ``begin`` (0-based); None if no session line follows."""
    title: str | None = None
    notes: list[_ZoneNote] = []
    items: list[_Day | _Line] = []
    started = False
    end = begin
    first = begin
    if heading:
        first = begin + 1
        for inner in _PAREN.findall(lines[begin]):
            note = _zone_note(inner, begin + 1)
            if note is not None:
                notes.append(note)
            elif title is None:
                title = inner.strip()
    for index in range(first, len(lines)):
        text = lines[index]
        if not text:
            continue
        day = _day(text, index + 1)
        session = _SESSION.match(text)
        if day is not None:
            items.append(day)
        elif session is not None:
            items.append(_Line(index + 1, text, session))
            started = True
        elif started:
            break
        else:
            note = _zone_note(text, index + 1)
            if note is None:
                return None
            notes.append(note)
        end = index
    if not started:
        return None
    return _Section(begin + 1 if heading else None, title, notes, items, end + 1)


def _find_section(lines: Sequence[str]) -> tuple[_Section | None, list[int]]:
    """The first heading that leads to session lines; else the first bare list of days."""
    headings = [i for i, text in enumerate(lines) if len(text) <= 120 and _HEADING.match(text)]
    for index in headings:
        section = _scan(lines, index, heading=True)
        if section is not None:
            return section, headings
    for index, text in enumerate(lines):
        if _day(text, index + 1) is not None:
            section = _scan(lines, index, heading=False)
            if section is not None:
                return section, headings
    return None, headings


# --- sessions ---------------------------------------------------------------------------


@dataclass
class _Parts:
    name: str
    duration: str | None
    labels: list[str]
    notes: list[str]


def _link_label(text: str) -> str | None:
    """The label of a link mention: "LIVE på X" -> "X"; "LIVETIMING", "LIVE TV RACE 1" as is."""
    text = text.strip()
    match = _LIVE_ON.match(text)
    if match:
        return match["label"].strip()
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 4 and all(c.isupper() for c in letters):
        return text
    if _LINK_WORD.match(text):
        return text
    return None


def _split_rest(rest: str) -> _Parts:
    """Split "Name (60 min) – note - LABEL" into its parts, keeping the name as written."""
    name: list[str] = []
    duration: str | None = None
    labels: list[str] = []
    notes: list[str] = []
    name_open = True
    separator: str | None = None

    def text_part(piece: str) -> None:
        nonlocal name_open
        stripped = piece.strip()
        if not stripped:
            return
        if not name:
            name.append(piece)
            return
        label = _link_label(stripped) if separator is not None else None
        if label is not None:
            labels.append(label)
            name_open = False
        elif name_open and separator is None:
            name.append(piece)
        elif name_open and _SESSION_TERM.match(stripped):
            name.append(f"{separator}{piece}")
        else:
            name_open = False
            if separator is None and notes:
                notes[-1] = f"{notes[-1]} {stripped}"
            else:
                notes.append(stripped)

    position = 0
    for match in _TOKENS.finditer(rest):
        text_part(rest[position : match.start()])
        position = match.end()
        if match["sep"] is not None:
            separator = match["sep"]
            continue
        inner = match["paren"].strip()
        if _DURATION.match(inner):
            duration = re.sub(r"\s+", " ", inner).rstrip(".")
            name_open = False
        elif (label := _link_label(inner)) is not None:
            labels.append(label)
            name_open = False
        elif name_open and name:
            name.append(match.group(0))
        elif notes:
            notes[-1] = f"{notes[-1]} {match.group(0)}"
        else:
            notes.append(match.group(0))
        separator = None
    text_part(rest[position:])
    joined = re.sub(r"\s+", " ", "".join(name)).strip().strip("–—-").strip()
    return _Parts(joined, duration, labels, notes)


def _translate(text: str, pairs: Iterable[tuple[str, str]]) -> str:
    """Replace glossary terms (whole words, longest first), keeping the writer's capitals."""
    mapping: dict[str, str] = {}
    for source, target in pairs:
        mapping.setdefault(source.casefold(), target)
    if not mapping:
        return text
    alternatives = "|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    def swap(match: re.Match[str]) -> str:
        written = match.group(0)
        target = mapping[written.casefold()]
        if written.isupper() and len(written) > 1:
            return target.upper()
        if written[:1].islower():
            return target[:1].lower() + target[1:]
        return target

    return pattern.sub(swap, text)


def _names(written: str, language: str) -> Text:
    if language == "en":
        return Text(_translate(written, ((en, sv) for sv, en in _NAME_TERMS)), written)
    return Text(written, _translate(written, _NAME_TERMS))


def _note(written: str, language: str) -> Text:
    for sv, en in _NOTES:
        if language == "en" and written.casefold() == en.casefold():
            return Text(sv, written)
        if language != "en" and written.casefold() == sv.casefold():
            return Text(written, en)
    return Text(written, written)


def _line_language(name: str, fallback: Literal["sv", "en"]) -> Literal["sv", "en"]:
    if re.search(r"träning|kval|\boch\b|uppvärmning", name, re.IGNORECASE):
        return "sv"
    if re.search(r"practice|qualifying|\band\b|warm-?up", name, re.IGNORECASE):
        return "en"
    return fallback


def _kind(name: Text) -> SessionKind:
    both = f"{name.sv} | {name.en}".lower()
    if re.search(r"practice|träning|warm-?up|uppvärmning|\bfp\d*\b", both):
        return SessionKind.PRACTICE
    if re.search(r"\brace\b|\blopp\b|\bheat\b|\bfinal\b|race\s*\d", both):
        return SessionKind.RACE
    if re.search(r"qualif|kval|superpole|\bq\d", both):
        return SessionKind.QUALIFYING
    return SessionKind.OTHER


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:64].strip("-")
    return slug or "x"


def _session_id(name: Text, kind: SessionKind) -> str:
    """fp1, fp2, q, race1, race2 as the shipped files use; other sessions get a slug."""
    numbers = list(dict.fromkeys(re.findall(r"\d+", name.en)))
    single = numbers[0] if len(numbers) == 1 else ""
    if kind is SessionKind.PRACTICE:
        return f"fp{single}"
    if kind is SessionKind.QUALIFYING:
        return f"q{single}"
    if kind is SessionKind.RACE:
        return f"race{single}"
    return _slug(name.en)


def _link_kind(label: str) -> LinkKind:
    return (
        LinkKind.TIMING
        if re.search(r"timing|tidtagning", label, re.IGNORECASE)
        else LinkKind.STREAM
    )


# --- the import ---------------------------------------------------------------------------


def _day_language(word: str) -> Literal["sv", "en"] | None:
    needle = word.lower().rstrip(".")
    for loc, language in (("sv_SE", "sv"), ("en_GB", "en")):
        for width in ("wide", "abbreviated"):
            names = {str(n).lower().rstrip(".") for n in get_day_names(width, locale=loc).values()}
            if needle in names:
                return "sv" if language == "sv" else "en"
    return None


def _english_date(day: date) -> str:
    return format_date(day, "d MMMM y", locale="en_GB")


def _english_weekday(day: date) -> str:
    return format_date(day, "EEEE", locale="en_GB")


def _weekday_hint(day: date, weekday: int, language: str) -> str:
    """Suggest the nearest date with the stated weekday, and a year where the date fits."""
    delta = (weekday - day.weekday()) % 7
    if delta > 3:
        delta -= 7
    nearest = day + timedelta(days=delta)
    years = sorted(range(day.year - 11, day.year + 12), key=lambda y: abs(y - day.year))
    fits = next(
        (y for y in years if y != day.year and _safe_date(y, day.month, day.day, weekday)), None
    )
    hint = f"did you mean '{day_heading(nearest, language)}'?"
    if fits is not None:
        other = date(fits, day.month, day.day)
        when = f"{format_date(other, 'd MMMM', locale='en_GB')} is a {_english_weekday(other)}"
        hint += (
            f" If the heading is right, the year is not {day.year}: pass --year ({when} in {fits})"
        )
    return hint


def _safe_date(year: int, month: int, day: int, weekday: int) -> bool:
    try:
        return date(year, month, day).weekday() == weekday
    except ValueError:
        return False


def parse_timetable(
    text: str,
    *,
    year: int,
    source: str = "<press release>",
    default_tz: ZoneInfo | None = None,
) -> ImportedTimetable:
    """Read the weekend timetable of a whole press release; ScheduleErrors lists every problem.

    The zone is the one the release names ("svensk tid", "CEST", "UTC", "Asia/Macau").
    ``default_tz`` (the user's --tz) is used when the release names no zone or says
    "local time"; without it such releases are read in Swedish time or refused.
    """
    lines = tuple(text.splitlines())
    clean = [_clean(line) for line in lines]
    section, headings = _find_section(clean)
    if section is None:
        hint = (
            "expected a heading such as 'Tidsschema för helgens tävling' or 'Timetable', "
            "day headings such as 'Fredag 6 november:' and lines such as '10:50 Fri träning 1'; "
            "if the release has no timetable, write the schedule file by hand"
        )
        if headings:
            hint = (
                f"line {headings[0] + 1} looks like a heading but no 'HH:MM Name' lines follow; "
                + hint
            )
        message = "no timetable found in the press release"
        raise ScheduleErrors([ScheduleError(source, None, message, hint)])
    errors: list[ScheduleError] = []

    tz, note_text = _section_zone(section, default_tz, source, errors)
    language = _section_language(section, clean)
    entries = _read_items(section, year, tz, language, source, errors)
    if errors:
        raise ScheduleErrors(errors)
    ids: dict[str, int] = {}
    unique: list[ImportedSession] = []
    for entry in sorted(entries, key=lambda e: e.session.start):
        base = entry.session.id
        ids[base] = ids.get(base, 0) + 1
        if ids[base] > 1:
            entry = replace(entry, session=replace(entry.session, id=f"{base}-{ids[base]}"))
        unique.append(entry)
    first = section.heading or section.items[0].line
    return ImportedTimetable(
        source=source,
        tz=tz or SWEDISH_TIME,
        lines=lines,
        entries=tuple(unique),
        section=(first, section.end),
        language=language,
        title=section.title,
        zone_note=note_text,
        venue=_venue(clean, section.end),
    )


def _section_zone(
    section: _Section, default_tz: ZoneInfo | None, source: str, errors: list[ScheduleError]
) -> tuple[ZoneInfo | None, str | None]:
    if not section.notes:
        return default_tz or SWEDISH_TIME, None
    note = section.notes[0]
    if note.kind == "zone":
        return note.tz, note.text
    if default_tz is not None:
        return default_tz, note.text
    if note.kind == "local":
        message = f"the timetable gives local time ('{note.text}') and does not say which zone"
    else:
        message = f"cannot tell which time zone '{note.text}' means"
    errors.append(
        ScheduleError(
            source,
            note.line,
            message,
            "pass the zone the times are written in with --tz, e.g. --tz Asia/Macau",
        )
    )
    return None, note.text


def _section_language(section: _Section, lines: Sequence[str]) -> Literal["sv", "en"]:
    for item in section.items:
        if isinstance(item, _Day):
            found = _day_language(item.weekday)
            if found is not None:
                return found
    if section.heading is not None:
        word = lines[section.heading - 1].split()[0].lower()
        if word.startswith(("time", "schedule", "weekend")):
            return "en"
    return "sv"


def _read_items(
    section: _Section,
    year: int,
    tz: ZoneInfo | None,
    language: Literal["sv", "en"],
    source: str,
    errors: list[ScheduleError],
) -> list[ImportedSession]:
    current: date | None = None
    current_text = ""
    valid_day = False
    previous_month: int | None = None
    the_year = year
    entries: list[ImportedSession] = []
    for item in section.items:
        if isinstance(item, _Day):
            current, valid_day, current_text = None, False, item.text
            weekday = weekday_number(item.weekday)
            month = month_number(item.month)
            if weekday is None:
                errors.append(
                    ScheduleError(
                        source,
                        item.line,
                        f"'{item.text}': {item.weekday!r} is not a weekday",
                        "write the day as in 'Fredag 6 november' or 'Friday 6 November'",
                    )
                )
                continue
            if month is None:
                errors.append(
                    ScheduleError(
                        source,
                        item.line,
                        f"'{item.text}': {item.month!r} is not a month",
                        "write the month in words, as in 'Fredag 6 november'",
                    )
                )
                continue
            if item.year is not None:
                the_year = item.year
            elif previous_month is not None and month < previous_month:
                the_year += 1  # a weekend over New Year
            previous_month = month
            try:
                current = date(the_year, month, item.day)
            except ValueError:
                errors.append(
                    ScheduleError(
                        source,
                        item.line,
                        f"'{item.text}': there is no {item.day} {item.month} in {the_year}",
                        "check the date",
                    )
                )
                continue
            if current.weekday() != weekday:
                errors.append(
                    ScheduleError(
                        source,
                        item.line,
                        f"'{item.text}' — {_english_date(current)} "
                        f"is a {_english_weekday(current)}",
                        _weekday_hint(current, weekday, _day_language(item.weekday) or language),
                    )
                )
                continue
            valid_day = True
            continue
        entry = _read_session(item, current, current_text, valid_day, tz, language, source, errors)
        if entry is not None:
            entries.append(entry)
    return entries


def _read_session(
    item: _Line,
    day: date | None,
    day_text: str,
    valid_day: bool,
    tz: ZoneInfo | None,
    language: Literal["sv", "en"],
    source: str,
    errors: list[ScheduleError],
) -> ImportedSession | None:
    def fail(message: str, hint: str) -> None:
        separator = " " if message.startswith("(") else ": "
        errors.append(ScheduleError(source, item.line, f"'{item.text}'{separator}{message}", hint))

    match = item.match
    hour, minute = int(match["h"]), int(match["mi"])
    if hour > 23 or minute > 59:
        fail(f"{hour:02d}:{minute:02d} is not a time of day", "write times as HH:MM, e.g. 10:50")
        return None
    if not day_text:
        fail(
            "the session comes before any day heading",
            "add a heading such as 'Fredag 6 november:' above it",
        )
        return None
    parts = _split_rest(match["rest"])
    if not parts.name:
        fail("no session name after the time", "write e.g. '10:50 Fri träning 1'")
        return None
    if not valid_day or day is None or tz is None:
        return None  # the day heading or zone is already reported
    written = datetime.combine(day, time(hour, minute))
    try:
        start = to_utc(written, tz)
    except LocalTimeError as exc:
        if "twice" in str(exc):
            hint = (
                "the clocks go back that night; check the time, and if it is right write the "
                "session in the schedule file by hand with fold = 0 (summer time) or fold = 1"
            )
        else:
            hint = "the clocks jump forward that night; check the time (and the zone, --tz)"
        fail(f"({day_text}): {exc}", hint)
        return None
    duration: timedelta | None = None
    duration_text = parts.duration
    if match["eh"] is not None:
        end_hour, end_minute = int(match["eh"]), int(match["emi"])
        if end_hour > 23 or end_minute > 59:
            fail(f"{end_hour:02d}:{end_minute:02d} is not a time of day", "write e.g. 10:50–11:35")
            return None
        end_day = day if (end_hour, end_minute) > (hour, minute) else day + timedelta(days=1)
        try:
            end = to_utc(datetime.combine(end_day, time(end_hour, end_minute)), tz)
        except LocalTimeError as exc:
            fail(f"the end time: {exc}", "check the time")
            return None
        duration = end - start
        duration_text = duration_text or f"{int(duration.total_seconds() // 60)} min"
    if parts.duration is not None:
        try:
            duration = parse_duration(parts.duration)
        except ValueError as exc:
            fail(str(exc), "write the duration as '(60 min)' or '(2 x 20 min)'")
            return None
    line_language = _line_language(parts.name, language)
    name = _names(parts.name, line_language)
    kind = _kind(name)
    note = _note(" – ".join(parts.notes), line_language) if parts.notes else None
    links = tuple(
        dict.fromkeys(Link(label=label, kind=_link_kind(label)) for label in parts.labels)
    )
    session = Session(
        id=_session_id(name, kind),
        name=name,
        kind=kind,
        start=start,
        duration=duration,
        links=links,
        note=note,
        status=SessionStatus.SCHEDULED,
    )
    return ImportedSession(session, item.line, item.text, duration_text)


def _venue(lines: Sequence[str], after: int) -> Venue:
    """Circuit, place, length and turns from an "Om banan" block after the timetable."""
    for index in range(after, len(lines)):
        head = _VENUE_HEAD.match(lines[index])
        if head is None:
            continue
        circuit = (head["circuit"] or "").strip() or None
        city: str | None = None
        country: str | None = None
        length: float | None = None
        turns: int | None = None
        seen = 0
        for text in lines[index + 1 :]:
            if not text:
                continue
            seen += 1
            if seen > 10:
                break
            pair = _KEY_VALUE.match(text)
            if pair is None:
                if circuit is None and city is None and length is None:
                    circuit = text
                continue
            key, value = pair["key"].strip().casefold(), pair["value"].strip()
            if key in ("plats", "location", "place"):
                city, country = _place(value)
            elif key in ("längd", "banlängd", "length", "track length"):
                number = re.search(r"(\d+(?:[.,]\d+)?)\s*km", value)
                length = float(number[1].replace(",", ".")) if number else None
            elif key in ("antal kurvor", "kurvor", "turns", "corners"):
                count = re.search(r"\d+", value)
                turns = int(count[0]) if count else None
        return Venue(circuit, city, country, length, turns)
    return Venue()


def _place(value: str) -> tuple[str | None, str | None]:
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if not parts:
        return None, None
    code = _country_code(parts[-1])
    if code is None:
        return ", ".join(parts), None
    return (", ".join(parts[:-1]) or None), code


def _country_code(name: str) -> str | None:
    needle = name.casefold()
    for language in ("sv", "en"):
        for code, territory in Locale(language).territories.items():
            if len(code) == 2 and code.isalpha() and territory.casefold() == needle:
                return str(code)
    return None


# --- links ---------------------------------------------------------------------------------


def _label_key(label: str) -> str:
    return re.sub(r"[\s_-]+", "", label.casefold())


def resolve_links(
    imported: ImportedTimetable, series: Series, event_id: str | None
) -> ImportedTimetable:
    """Give label-only links the series'/event's URL, and add their every-session links.

    Labels match case-insensitively (ignoring spaces and dashes, so "LIVETIMING" finds
    "Live timing"); the every-session links come last, as the schedule loader adds them.
    """
    event = series.event(event_id) if event_id else None
    known: dict[str, Link] = {}
    for link in (*series.links, *(event.links if event else ())):
        known[_label_key(link.label)] = link
    always = [
        link for link in (*series.links, *(event.links if event else ())) if link.every_session
    ]
    entries = []
    for entry in imported.entries:
        own = [
            known.get(_label_key(link.label), link) if link.url is None else link
            for link in entry.session.links
        ]
        links = tuple(dict.fromkeys([*own, *always]))
        entries.append(replace(entry, session=replace(entry.session, links=links)))
    return replace(imported, entries=tuple(entries))


# --- writing a schedule file ---------------------------------------------------------------


def _q(text: str) -> str:
    """A TOML basic string (JSON's escapes are valid TOML)."""
    return json.dumps(text, ensure_ascii=False)


def _series_name_from(title: str | None) -> str | None:
    if not title:
        return None
    name = _ROUND.sub("", title).strip(" ,:–—-")
    return name or None


def _round_from(title: str | None) -> int | None:
    match = _ROUND.search(title or "")
    return int(match["n"]) if match else None


def _guess_track_zone(country: str | None, place: str) -> str | None:
    if country is None:
        return None
    zones: list[str] = list(get_global("territory_zones").get(country, ()))
    if not zones:
        return None
    for key in zones:
        if key.rsplit("/", 1)[-1].replace("_", " ").casefold() in place.casefold():
            return key
    return next((key for key in zones if key.startswith("Europe/")), zones[0])


def to_toml(
    imported: ImportedTimetable,
    *,
    series_id: str | None = None,
    series_name: str | None = None,
    season: int | None = None,
    event_id: str | None = None,
    event_round: int | None = None,
    event_name: str | None = None,
    circuit: str | None = None,
    country: str | None = None,
    track_timezone: str | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
) -> str:
    """A complete schedule file for the imported weekend, in the shipped files' layout.

    Anything not given comes from the release (heading, "Om banan") or a marked guess;
    the header lists the guesses to check. Times are written as the release wrote them.
    """
    tz = imported.tz
    tz_name = str(tz.key)
    sessions = imported.sessions
    venue = imported.venue
    guessed: list[str] = []
    first_local = min((s.start.astimezone(tz) for s in sessions), default=None)
    season = season or (first_local or datetime.now(UTC)).year
    if series_name is None:
        series_name = _series_name_from(imported.title) or series_id or "Imported series"
        if not _series_name_from(imported.title):
            guessed.append("series name")
    series_id = series_id or f"{_slug(series_name)}-{season}"
    if event_round is None:
        event_round = _round_from(imported.title) or 1
        if _round_from(imported.title) is None:
            guessed.append("round")
    event_id = event_id or f"r{event_round}"
    circuit = circuit or venue.circuit
    if circuit is None:
        circuit = "Unknown circuit"
        guessed.append("circuit")
    city = venue.city
    if event_name is None:
        event_name = (city.split(",")[0].strip() if city else None) or circuit
    country = country or venue.country
    if country is None:
        country = "SE"
        guessed.append("country")
    if track_timezone is None:
        place = f"{city or ''} {circuit}"
        track_timezone = ("country" not in guessed and _guess_track_zone(country, place)) or tz_name
        guessed.append("track_timezone")
    track_tz = zone(track_timezone)
    days = [s.start.astimezone(track_tz).date() for s in sessions]
    first_day = first_day or min(days, default=date(season, 1, 1))
    last_day = last_day or max(days, default=first_day)

    out: list[str] = []
    source_note = f"lines {imported.section[0]}–{imported.section[1]} of {imported.source}"
    out.append(f"# {series_name} {season} — imported from the press release timetable")
    out.append(f"# ({source_note}).")
    if imported.zone_note:
        out.append(f"# Times are written as the release writes them: wall-clock time in {tz_name}")
        out.append(f'# ("{imported.zone_note}").')
    else:
        out.append(f"# Times are wall-clock time in {tz_name}; the release named no zone.")
    if guessed:
        out.append(f"# Check before use, these were guessed: {', '.join(guessed)}.")
    out += [
        "",
        "[series]",
        f"id = {_q(series_id)}",
        f"name = {_q(series_name)}",
        f"season = {season}",
        f"timezone = {_q(tz_name)}",
        "",
        "[[events]]",
        f"id = {_q(event_id)}",
        f"round = {event_round}",
        f"name = {_q(event_name)}",
        f"circuit = {_q(circuit)}",
    ]
    if city:
        out.append(f"city = {_q(city)}")
    out += [
        f"country = {_q(country)}",
        f"track_timezone = {_q(track_timezone)}",
        f"first_day = {first_day.isoformat()}",
        f"last_day = {last_day.isoformat()}",
    ]
    if venue.length_km is not None:
        out.append(f"length_km = {venue.length_km:.3f}")
    if venue.turns is not None:
        out.append(f"turns = {venue.turns}")

    link_ids = _link_ids(sessions)
    always = list(dict.fromkeys(lk for s in sessions for lk in s.links if lk.every_session))
    for link, ident in link_ids.items():
        out += ["", "  [[events.links]]", f"  id = {_q(ident)}", f"  label = {_q(link.label)}"]
        if link.url is not None:
            out.append(f"  url = {_q(link.url)}")
        out.append(f"  kind = {_q(link.kind.value)}")
        if link.language is not None:
            out.append(f"  language = {_q(link.language)}")
        if link.every_session:
            out.append("  every_session = true")

    durations = {e.session.id: e.duration_text for e in imported.entries}
    for session in sorted(sessions, key=lambda s: s.start):
        out += _session_toml(session, tz, durations.get(session.id), link_ids, always)
    return "\n".join(out) + "\n"


def _link_ids(sessions: Sequence[Session]) -> dict[Link, str]:
    ids: dict[Link, str] = {}
    for session in sessions:
        for link in session.links:
            if link in ids:
                continue
            base = _slug(link.label)
            ident, n = base, 1
            while ident in ids.values():
                n += 1
                ident = f"{base}-{n}"
            ids[link] = ident
    return ids


def _session_toml(
    session: Session,
    tz: ZoneInfo,
    duration_text: str | None,
    link_ids: dict[Link, str],
    always: list[Link],
) -> list[str]:
    local = session.start.astimezone(tz)
    weekday = format_date(local.date(), "EEEE", locale="sv_SE").lower()
    out = [
        "",
        "  [[events.sessions]]",
        f"  id = {_q(session.id)}",
        f"  name = {_q(session.name.sv)}",
        f"  name_en = {_q(session.name.en)}",
        f"  kind = {_q(session.kind.value)}",
        f"  day = {_q(weekday)}",
        f"  start = {local.replace(tzinfo=None).isoformat(timespec='seconds')}",
    ]
    if session.duration is not None:
        text = duration_text
        if text is None or _duration_or_none(text) != session.duration:
            text = f"{int(session.duration.total_seconds() // 60)} min"
        out.append(f"  duration = {_q(text)}")
    if session.note is not None:
        out.append(f"  note = {_q(session.note.sv)}")
        if session.note.en != session.note.sv:
            out.append(f"  note_en = {_q(session.note.en)}")
    if session.status is not SessionStatus.SCHEDULED:
        out.append(f"  status = {_q(session.status.value)}")
    explicit = [lk for lk in session.links if not lk.every_session]
    refs = explicit
    if tuple(dict.fromkeys([*explicit, *always])) != session.links:
        refs = list(session.links)
    if refs:
        out.append(f"  links = [{', '.join(_q(link_ids[lk]) for lk in refs)}]")
    return out


def _duration_or_none(text: str) -> timedelta | None:
    try:
        return parse_duration(text)
    except ValueError:
        return None
