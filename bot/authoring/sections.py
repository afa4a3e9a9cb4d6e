"""Finding a release's timetable(s) and accounting for every line in them.

A timetable starts at a heading ("Tidsschema för helgens tävling", "Timetable") or, in a
release without one, at the first day heading. Every non-blank line after it is a day
heading, a session, a zone note, or something the scanner reports with its line; a line
that does not look like timetable at all (a new section heading, prose after a gap)
ends it. Nothing is dropped without a word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from bot.authoring import phrases as say
from bot.authoring.lines import (
    CLOCK,
    TABLE_RULE,
    TIME_EXPR,
    ClockError,
    DayHead,
    clock,
    has_clock,
    read_day,
)
from bot.authoring.names import SESSION_TERM, Parts, split_rest
from bot.authoring.zones import (
    TENTATIVE_NOTE,
    Claim,
    first_phrase,
    is_note,
    prose_statements,
    statement,
    zone_beside,
)
from bot.core.errors import Said, ScheduleError
from bot.core.timeutil import weekday_number

_HEADING = re.compile(
    r"^(?:(?:helgens|weekend(?:ens)?|race\s+weekend|the\s+weekend'?s?)\s+)?"
    r"(?:tidss?chema\w*|tidsplan\w*|tidtabell\w*|schema\b|program\b|tider\s+för|"
    r"time\s*table|timetable|schedule)(?P<rest>.*)$",
    re.IGNORECASE,
)
_PAREN = re.compile(r"\(([^()]*)\)")
_SEP = r"(?:\s*[-–—:,]\s*|\s+)"
_TIME_FIRST = re.compile(rf"^{TIME_EXPR}{_SEP}(?P<rest>[^\d\s].*)$", re.IGNORECASE)
_NAME_FIRST = re.compile(
    rf"^(?P<name>[^\W\d_][^:]*?)\s*(?::|[-–—,]|\s)\s*{TIME_EXPR}(?P<tail>{_SEP}.*)?$",
    re.IGNORECASE,
)
_TBA_WORDS = r"TBA|TBC|TBD|tid\s+ej\s+klar|tid\s+meddelas\s+senare|tid\s+kommer\s+senare"
_TBA_FIRST = re.compile(rf"^(?:{_TBA_WORDS})\b{_SEP}(?P<rest>.+)$", re.IGNORECASE)
_TBA_LAST = re.compile(rf"^(?P<rest>.+?){_SEP}\(?(?:{_TBA_WORDS})\)?\.?$", re.IGNORECASE)
_TENTATIVE_MARK = re.compile(
    r"\s*(?:\((?:TBC|TBA|TBD|prel\.?|preliminär\w*(?:\s+tid)?|provisional|tentative)\)"
    r"|[-–—]\s*(?:TBC|preliminär\w*)|\bTBC\b|\*)\s*",
    re.IGNORECASE,
)
_ALT_TIME = re.compile(
    rf"\((?P<clock>{TIME_EXPR.replace('?P<start>', '').replace('?P<end>', '')})"
    r"\s+(?P<zone>[^()]+)\)"
)
#: A table's header row, its cells made " – " by clean: "Dag – Tid – Pass", "Day | Time | Session".
_HEADER_CELL = (
    r"(?:dag|datum|tid|tider|klockslag|pass|händelse|aktivitet|program|sändning|"
    r"day|date|time|times|session|event|activity|broadcast|duration|längd|notes?|info)"
)
TABLE_HEADER = re.compile(rf"^{_HEADER_CELL}(?:\s+[-–—]\s+{_HEADER_CELL})+$", re.IGNORECASE)
_DATEISH = re.compile(r"^\d{1,2}(?:[/.]\d{1,2}|\s+[^\W\d_]{3,})", re.IGNORECASE)
#: An ISO date the day reader did not take ("2026-13-03", "Lördag 2026-10-3x").
_ISOISH = re.compile(r"^(?:[^\W\d_]+\.?,?\s+)?\d{4}-\d{1,2}-\d{1,2}\b")


@dataclass(frozen=True, slots=True)
class SessionLine:
    """A session line read, before its day and zone turn it into instants."""

    line: int
    text: str
    start: tuple[int, int] | None  # None: time not yet known (TBA)
    end: tuple[int, int] | None
    parts: Parts
    tentative: bool
    alt: tuple[tuple[int, int], list[Claim]] | None = None  # "(03:00 svensk tid)"
    #: The alt is the zone of the line's own time ("14:30 CEST Fri träning 1"), same date.
    beside: bool = False


@dataclass
class Section:
    heading: int | None
    title: str | None
    claims: list[Claim] = field(default_factory=list)
    items: list[DayHead | SessionLine] = field(default_factory=list)
    end: int = 0
    tentative: bool = False
    label: str | None = None


#: A time the reader does not take, at the start of a line: "1430 …", "14 h 30 …", "14,30 …".
_TIME_ATTEMPT = re.compile(
    r"^(?:kl(?:ockan)?\.?\s*)?\d{1,4}(?:\s*[h,;]\s*\d{2}|\s+\d{2})?\s+[^\W\d_]", re.IGNORECASE
)
#: A session's name anywhere in a short line: "halv tre Fri träning 2".
_SESSION_ANYWHERE = re.compile(r"\b" + SESSION_TERM.pattern.lstrip("^"), re.IGNORECASE)


def looks_like_timetable(text: str) -> bool:
    """A line a reader would take as part of the timetable (a time, a day, a session, or
    a time or session written in a way it does not read)."""
    first = text.split()[0].strip(",.:") if text.split() else ""
    return bool(
        has_clock(text)
        or weekday_number(first) is not None
        or SESSION_TERM.match(text)
        or _TIME_ATTEMPT.match(text)
        or (_SESSION_ANYWHERE.search(text) and len(text.split()) <= 8)
        or re.search(rf"\b(?:{_TBA_WORDS})\b", text, re.IGNORECASE)
        or _DATEISH.match(text)
    )


def _strip_tentative(rest: str) -> tuple[str, bool]:
    stripped, count = _TENTATIVE_MARK.subn(" ", rest)
    return re.sub(r"\s+", " ", stripped).strip(" –—-"), count > 0


def _strip_alt(rest: str, line: int) -> tuple[str, tuple[tuple[int, int], list[Claim]] | None]:
    for match in _ALT_TIME.finditer(rest):
        claims = statement(match["zone"], line)
        if claims and all(c.kind != "unknown" for c in claims):
            at = clock(re.split(r"\s*(?:[-–—]|till|to)\s*", match["clock"])[0])
            return (rest[: match.start()] + rest[match.end() :]).strip(), (at, claims)
    return rest, None


def read_session(
    text: str, line: int, errors: list[ScheduleError], source: str
) -> SessionLine | None:
    """A session line in any of the layouts staff write, None if the line is none."""
    start_text: str | None = None
    end_text: str | None = None
    rest: str
    match = _TIME_FIRST.match(text)
    if match is not None:
        start_text, end_text, rest = match["start"], match["end"], match["rest"]
    elif (named := _NAME_FIRST.match(text)) is not None and read_day(named["name"], line) is None:
        start_text, end_text = named["start"], named["end"]
        tail = (named["tail"] or "").strip()
        tail = re.sub(r"^[-–—:,]\s*", "– ", tail) if tail else ""
        rest = f"{named['name'].strip()} {tail}".strip()
    elif (tba := _TBA_FIRST.match(text) or _TBA_LAST.match(text)) is not None and not has_clock(
        text
    ):
        rest = tba["rest"]
    else:
        return None

    def fail(message: Said, hint: Said) -> None:
        errors.append(ScheduleError(source, line, message, hint, quoted=text))

    try:
        start = clock(start_text) if start_text else None
        end = clock(end_text) if end_text else None
        rest, alt = _strip_alt(rest, line)
        beside = False
        if alt is None and start is not None:
            found = zone_beside(rest, line)  # "14:30 CEST Fri träning 1"
            if found is not None:
                claims, cut, cut_end = found
                alt, beside = (start, claims), True
                rest = f"{rest[:cut]} {rest[cut_end:]}".strip(" –—-:,")
    except ClockError as exc:
        fail(say.NOT_A_TIME(value=exc.value), say.NOT_A_TIME_HINT())
        return SessionLine(line, text, None, None, Parts("", None, [], []), True)
    rest, tentative = _strip_tentative(rest)
    parts = split_rest(rest)
    if start is not None and end is not None and end <= start:
        fail(
            say.ENDS_BEFORE_START(
                end=f"{end[0]:02d}:{end[1]:02d}", start=f"{start[0]:02d}:{start[1]:02d}"
            ),
            say.ENDS_BEFORE_START_HINT(),
        )
    if not parts.name:
        fail(say.NO_NAME(), say.NO_NAME_HINT())
    elif has_clock(rest):
        # "Race 1: 10:00 & Race 2: 14:00" or "03:00 FP1 (10:00)": a second time whose
        # session or zone the line does not say; reading only the first would drop one
        fail(say.SECOND_TIME(), say.SECOND_TIME_HINT())
        return SessionLine(line, text, start, end, Parts("", None, [], []), True)
    return SessionLine(
        line, text, start, end, parts, tentative or start is None, alt, beside=beside
    )


def find_sections(
    lines: Sequence[str], source: str, errors: list[ScheduleError]
) -> tuple[list[Section], list[int]]:
    """Every timetable of the release (one per heading, or per class sub-heading)."""
    headings = [i for i, t in enumerate(lines) if len(t) <= 120 and _HEADING.match(t)]
    sections: list[Section] = []
    used: set[int] = set()
    for index in headings:
        if index in used:
            continue
        found = _scan(lines, index, True, source, errors, used)
        sections.extend(found)
    if not sections:
        for index, text in enumerate(lines):
            day = read_day(text, index + 1)
            if day is not None and day.day is not None:
                found = _scan(lines, index, False, source, errors, used)
                if found:
                    sections.extend(found)
                    break
    return sections, headings


def _title(text: str, line: int, claims: list[Claim]) -> str | None:
    title: str | None = None
    for inner in _PAREN.findall(text):
        found = statement(inner, line)
        if found is not None:
            claims.extend(found)
        elif title is None:
            title = inner.strip()
    bare = _PAREN.sub("", text)
    heading = _HEADING.match(bare)
    rest = heading["rest"] if heading else ""
    stated = [c for c in statement(bare, line) or [] if c.kind != "unknown"]
    if stated:
        claims.extend(stated)  # "Helgens program i svensk tid:", "Schedule, in CEST:"
        cut = first_phrase(rest)
        if cut is not None:
            rest = re.sub(
                r"(?:,?\s*(?:all\s+times|alla\s+tider)?\s*(?:i|in|är|are)?)?\s*$",
                "",
                rest[:cut],
                flags=re.IGNORECASE,
            )
    if title is None:
        rest = re.sub(
            r"^\s*(?:för|for|of)?\s*(?:helgens?|the)?\s*(?:tävling\w*|weekend|race\s+weekend)?",
            "",
            rest,
            flags=re.IGNORECASE,
        ).strip(" :–—-")
        title = rest or None
    return title


def _continues(lines: Sequence[str], index: int, source: str) -> bool:
    """Whether a session or a dated day heading follows in the same paragraph."""
    scratch: list[ScheduleError] = []
    for j in range(index + 1, len(lines)):
        text = lines[j]
        if not text:
            return False
        day = read_day(text, j + 1)
        if (day is not None and day.day is not None) or read_session(
            text, j + 1, scratch, source
        ) is not None:
            return True
    return False


_TIME_ONLY = re.compile(rf"^{TIME_EXPR}$", re.IGNORECASE)
_DAY_FIRST = re.compile(rf"^(?P<day>.+?)\s*(?:[:,–—-]\s*|\s)(?P<session>{CLOCK}.*)$", re.IGNORECASE)


def _day_and_session(
    text: str, line: int, errors: list[ScheduleError], source: str
) -> list[DayHead | SessionLine] | None:
    for match in _DAY_FIRST.finditer(text):
        day = read_day(match["day"], line)
        if day is None or day.day is None:
            continue
        session = read_session(match["session"].lstrip(":,–—- "), line, errors, source)
        if session is None:
            return None
        return [day, replace(session, text=text)]
    return None


def _cells(lines: Sequence[str], index: int) -> tuple[int, str] | None:
    """'11:15' and 'Race 1' on consecutive lines, in either order (a table exported cell by
    cell), as one session line."""
    following = index + 1
    if following >= len(lines) or not lines[following]:
        return None
    first, second = lines[index], lines[following]
    if _TIME_ONLY.match(first):
        time_text, name = first, second
    elif _TIME_ONLY.match(second) and SESSION_TERM.match(first) and len(first) <= 40:
        time_text, name = second, first
    else:
        return None
    if has_clock(name) or read_day(name, following + 1) is not None:
        return None
    return following, f"{time_text} {name}"


def _next_text(lines: Sequence[str], index: int) -> int | None:
    for j in range(index + 1, len(lines)):
        if lines[j]:
            return j
    return None


def _scan(
    lines: Sequence[str],
    begin: int,
    heading: bool,
    source: str,
    errors: list[ScheduleError],
    used: set[int],
) -> list[Section]:
    """The section(s) from ``begin`` (0-based); [] if nothing timetable-like follows."""
    own: list[ScheduleError] = []
    claims: list[Claim] = []
    title = _title(lines[begin], begin + 1, claims) if heading else None
    current = Section(begin + 1 if heading else None, title, claims)
    current.label = title
    out = [current]
    index = begin + 1 if heading else begin
    gap = False
    last = begin
    while index < len(lines):
        text = lines[index]
        number = index + 1
        if not text:
            gap = True
            index += 1
            continue
        if index != begin and _HEADING.match(text) and len(text) <= 120:
            break  # the next timetable's heading
        if text == TABLE_RULE or TABLE_HEADER.match(text):
            last = index  # a table's header row and the rule under it: read, nothing to time
            index += 1
            continue
        day = read_day(text, number)
        if day is not None and day.day is None:
            following = _next_text(lines, index)
            after = read_day(lines[following], following + 1) if following is not None else None
            if following is not None and after is not None and after.weekday is None:
                day = DayHead(
                    number,
                    f"{day.text} {after.text}",
                    day.weekday,
                    day.weekday_word,
                    after.day,
                    after.month,
                    after.month_word,
                    after.year,
                    (*day.notes, *after.notes),
                )
                index = following
            else:
                own.append(
                    ScheduleError(
                        source,
                        number,
                        say.DAY_WITHOUT_DATE(),
                        say.DAY_WITHOUT_DATE_HINT(),
                        quoted=text,
                    )
                )
                day = None
                last = index
                index += 1
                gap = False
                continue
        if day is not None:
            for note in day.notes:
                found = statement(note, number)
                if found:
                    current.claims.extend(found)
            current.items.append(day)
        elif (both := _day_and_session(text, number, own, source)) is not None:
            current.items.extend(both)  # "Lördag 13/5 kl. 10.50: Fri träning 1"
        elif (session := read_session(text, number, own, source)) is not None:
            current.items.append(session)
        elif (joined := _cells(lines, index)) is not None:
            following, combined = joined  # a Word table: the time and the name on two lines
            cell = read_session(combined, number, own, source)
            if cell is not None:
                current.items.append(cell)
            index = following
        elif (found := statement(text, number)) is not None and len(text) <= 160:
            if any(c.kind == "unknown" for c in found) and len(text) > 80:
                break
            current.claims.extend(found)
            if TENTATIVE_NOTE.search(text):
                current.tentative = True  # "Alla tider är preliminära och anges i svensk tid"
        elif TENTATIVE_NOTE.search(text) and len(text) <= 120 and not has_clock(text):
            current.tentative = True  # "Alla tider är preliminära"
        elif is_note(text):
            pass
        elif prose := prose_statements(text, number):
            current.claims.extend(prose)
        elif _ISOISH.match(text):
            own.append(
                ScheduleError(source, number, say.ISO_DATE(), say.ISO_DATE_HINT(), quoted=text)
            )
            # kept as a day without a date, so the sessions under it are said as such
            current.items.append(DayHead(number, text, None, None, None, None, None, None))
        elif looks_like_timetable(text) and not (gap and len(text.split()) > 12):
            own.append(
                ScheduleError(
                    source,
                    number,
                    say.NOT_UNDERSTOOD(),
                    say.NOT_UNDERSTOOD_HINT(),
                    quoted=text,
                )
            )
        elif (
            text.endswith(":")
            and (following := _next_text(lines, index)) is not None
            and read_day(lines[following], following + 1) is not None
            and current.items
        ):
            current = Section(current.heading, title, current.claims, label=text.rstrip(": "))
            current.tentative = out[-1].tentative
            out.append(current)
        elif (
            text.endswith(":")
            and not current.items
            and (following := _next_text(lines, index)) is not None
            and read_day(lines[following], following + 1) is not None
        ):
            current.label = text.rstrip(": ")
        elif _continues(lines, index, source):
            # the timetable goes on below: this line is part of it, and not understood
            own.append(
                ScheduleError(source, number, say.CONTINUES(), say.CONTINUES_HINT(), quoted=text)
            )
        else:
            break  # a new section heading, or prose after the timetable
        last = index
        gap = False
        index += 1
    if not any(s.items for s in out) and not own:
        return []
    used.update(range(begin, last + 1))
    for section in out:
        section.end = last + 1
        own.extend(_empty_days(lines, section, source, {e.line for e in own}))
    errors.extend(own)
    return [s for s in out if s.items] or out[:1]


def _empty_days(
    lines: Sequence[str], section: Section, source: str, reported: set[int | None]
) -> list[ScheduleError]:
    """A day heading with no session under it: the line after it was not read as one
    ("1430 Fri träning 1", "halv tre Fri träning 1"). Said, never dropped."""
    found: list[ScheduleError] = []
    items = section.items
    for k, item in enumerate(items):
        if (
            not isinstance(item, DayHead)
            or item.line in reported
            or (k + 1 < len(items) and isinstance(items[k + 1], SessionLine))
        ):
            continue
        after = _next_text(lines, item.line - 1)
        if after is not None and lines[after] != item.text and item.text.endswith(lines[after]):
            after = _next_text(lines, after)  # "Lördag" / "3 oktober": the heading's own date
        if after is not None and after + 1 in reported:
            continue  # that line is reported already
        hint = say.NO_SESSIONS_HINT()
        if after is not None and read_day(lines[after], after + 1) is not None:
            hint = say.NEXT_IS_DAY(line=after + 1, hint=hint)
        elif after is not None:
            hint = say.NEXT_NOT_SESSION(line=after + 1, text=lines[after], hint=hint)
        found.append(ScheduleError(source, item.line, say.NO_SESSIONS(), hint, quoted=item.text))
    return found


def outside_claims(lines: Sequence[str], sections: Sequence[Section]) -> list[Claim]:
    """Zone statements in the release's running text outside every timetable."""
    inside: set[int] = set()
    for section in sections:
        start = section.heading or min((i.line for i in section.items), default=1)
        inside.update(range(start, section.end + 1))
    claims: list[Claim] = []
    for index, text in enumerate(lines):
        if index + 1 not in inside and text:
            claims.extend(prose_statements(text, index + 1))
    return claims


def stray_days(
    lines: Sequence[str], sections: Sequence[Section], source: str
) -> list[ScheduleError]:
    """A dated day heading with sessions under it, outside every timetable found: more of a
    timetable that a note or blank gap cut off. Reported, never silently left out."""
    inside: set[int] = set()
    for section in sections:
        start = section.heading or min((i.line for i in section.items), default=1)
        inside.update(range(start, section.end + 1))
    scratch: list[ScheduleError] = []
    found: list[ScheduleError] = []
    for index, text in enumerate(lines):
        if index + 1 in inside or not text:
            continue
        day = read_day(text, index + 1)
        if day is None or day.day is None or day.weekday is None:
            continue
        following = _next_text(lines, index)
        if (
            following is None
            or read_session(lines[following], following + 1, scratch, source) is None
        ):
            continue
        ended = max((s.end for s in sections if s.end < index + 1), default=None)
        outside = say.OUTSIDE_ENDED(line=ended) if ended else say.OUTSIDE()
        found.append(ScheduleError(source, index + 1, outside, say.OUTSIDE_HINT(), quoted=text))
    return found
