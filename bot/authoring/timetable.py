"""Import the weekend timetable(s) of a team press release into the schedule model.

The scanner (sections.py) accounts for every line; this module gives each day heading
its date, each session its instant, and checks every zone statement of the release
against the others and against --tz. Any doubt is an error with file:line and a hint:
a wrong time is the worst thing this product can do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.authoring import phrases as say
from bot.authoring.days import dates as day_dates  # "dates" is also a local name
from bot.authoring.days import language_of
from bot.authoring.lines import check_year, clean
from bot.authoring.names import kind_of, line_language, link_kind, names, note, session_id
from bot.authoring.places import PlaceError, place_zone
from bot.authoring.sections import (
    Section,
    SessionLine,
    find_sections,
    outside_claims,
    stray_days,
)
from bot.authoring.venue import Venue, find_venue
from bot.authoring.zones import Claim, ZoneProblem, claim_instant, claim_zone, written_zone
from bot.core.errors import Day, Said, ScheduleError, ScheduleErrors
from bot.core.model import Link, Session, SessionKind, SessionStatus, Text
from bot.core.timeutil import SWEDISH_TIME, LocalTimeError, parse_duration


@dataclass(frozen=True, slots=True)
class ImportedSession:
    """One session line, kept with where it came from so errors and files can point back."""

    session: Session
    line: int
    text: str
    duration_text: str | None = None


@dataclass(frozen=True, slots=True)
class PendingLine:
    """A session the release lists without a time yet ("TBA – Tidskval"): kept, never timed."""

    line: int
    text: str
    day: date
    name: Text
    kind: SessionKind
    #: The id it gets in the schedule file, unique beside the timed sessions' ids.
    id: str = ""


@dataclass(frozen=True, slots=True)
class ImportedTimetable:
    """The sessions of one timetable, the zone its times were read in, and the text."""

    source: str
    tz: ZoneInfo
    lines: tuple[str, ...]
    entries: tuple[ImportedSession, ...]
    section: tuple[int, int]
    language: Literal["sv", "en"] = "sv"
    title: str | None = None
    zone_note: str | None = None
    venue: Venue = field(default_factory=Venue)
    pending: tuple[PendingLine, ...] = ()
    label: str | None = None

    @property
    def sessions(self) -> tuple[Session, ...]:
        return tuple(entry.session for entry in self.entries)

    def days(self) -> tuple[date, ...]:
        tz = self.tz
        found = {s.start.astimezone(tz).date() for s in self.sessions}
        found.update(p.day for p in self.pending)
        return tuple(sorted(found))

    def unresolved_labels(self) -> tuple[str, ...]:
        """Link labels still without an address, so the caller can say which to define."""
        labels = (link.label for s in self.sessions for link in s.links if link.url is None)
        return tuple(dict.fromkeys(labels))


def parse_release(
    text: str,
    *,
    year: int,
    source: str = "<press release>",
    default_tz: ZoneInfo | None = None,
    track_tz: ZoneInfo | None = None,
) -> tuple[ImportedTimetable, ...]:
    """Every timetable of a whole press release; ScheduleErrors lists every problem at once.

    ``default_tz`` is the user's --tz, checked against what the release states;
    ``track_tz`` the track's zone when the series file knows the weekend.
    """
    check_year(year, source)
    lines = tuple(text.splitlines())
    clean_lines = [clean(line) for line in lines]
    errors: list[ScheduleError] = []
    sections, headings = find_sections(clean_lines, source, errors)
    if not sections:
        hint = say.NO_TIMETABLE_HINT()
        if headings:
            hint = say.HEADING_NO_SESSIONS(line=headings[0] + 1, hint=hint)
        raise ScheduleErrors([ScheduleError(source, None, say.NO_TIMETABLE(), hint)])
    errors.extend(stray_days(clean_lines, sections, source))
    venue = find_venue(clean_lines)
    track, track_problem = _track_zone(venue, track_tz)
    shared = outside_claims(clean_lines, sections)
    result = [
        _build(
            section,
            year,
            source,
            lines,
            venue,
            [*section.claims, *shared],
            default_tz,
            track,
            track_problem,
            errors,
        )
        for section in sections
    ]
    if errors:
        raise ScheduleErrors(_unique(errors))
    return tuple(r for r in result if r is not None)


def parse_timetable(
    text: str,
    *,
    year: int,
    source: str = "<press release>",
    default_tz: ZoneInfo | None = None,
    track_tz: ZoneInfo | None = None,
) -> ImportedTimetable:
    """The release's only timetable (a release with several is refused: use parse_release)."""
    found = parse_release(text, year=year, source=source, default_tz=default_tz, track_tz=track_tz)
    if len(found) > 1:
        lines = ", ".join(str(t.section[0]) for t in found)
        raise ScheduleErrors(
            [
                ScheduleError(
                    source,
                    found[1].section[0],
                    say.SEVERAL_TIMETABLES(count=len(found), lines=lines),
                    say.SEVERAL_HINT(),
                )
            ]
        )
    return found[0]


def _unique(errors: list[ScheduleError]) -> list[ScheduleError]:
    seen: dict[tuple[int | None, str], ScheduleError] = {}
    for error in errors:
        seen.setdefault((error.line, error.message), error)
    return sorted(seen.values(), key=lambda e: e.line or 0)


def _track_zone(venue: Venue, given: ZoneInfo | None) -> tuple[ZoneInfo | None, Said | None]:
    if given is not None:
        return given, None
    if venue.place:
        try:
            return place_zone(f"{venue.circuit or ''}, {venue.place}"), None
        except PlaceError as exc:
            found = say.PLACE_PROBLEM(place=venue.place, line=venue.place_line, problem=exc.said)
            return None, found
    return None, None


# --- zones and instants ------------------------------------------------------------------


def _choose_primary(claims: list[Claim], tz_claim: Claim | None) -> Claim | None:
    return claims[0] if claims else tz_claim


def _build(
    section: Section,
    year: int,
    source: str,
    lines: tuple[str, ...],
    venue: Venue,
    claims: list[Claim],
    default_tz: ZoneInfo | None,
    track: ZoneInfo | None,
    track_problem: Said | None,
    errors: list[ScheduleError],
) -> ImportedTimetable | None:
    language = language_of(section)
    dates = day_dates(section, year, language, source, errors)
    tz_claim = (
        Claim(None, f"--tz {default_tz.key}", "zone", default_tz)
        if default_tz is not None
        else None
    )
    primary = _choose_primary(claims, tz_claim)
    others = [c for c in [*claims, *([tz_claim] if tz_claim else [])] if c is not primary]
    if track is not None and (primary is None or primary is tz_claim):
        track_claim = Claim(None, track.key, "zone", track, origin=say.TRACK_ZONE(zone=track.key))
        if primary is None:
            # no statement at all: read only if Swedish time and track time agree
            primary = track_claim
            others = [Claim(None, "svensk tid", "zone", SWEDISH_TIME, origin=say.SWEDISH_TIME())]
        else:
            others.append(track_claim)
    local_fallback = track or default_tz
    entries: list[ImportedSession] = []
    pending: list[PendingLine] = []
    reported: set[tuple[str, str]] = set()
    written: ZoneInfo | None = None
    primary_problem: tuple[ZoneProblem, Claim] | None = None
    untimed_without_alt = False

    def fail(item: SessionLine, message: Said, hint: Said) -> None:
        errors.append(ScheduleError(source, item.line, message, hint, quoted=item.text))

    for item in section.items:
        if not isinstance(item, SessionLine) or not item.parts.name:
            continue
        day, day_text, day_line = dates.get(item.line, (None, "", 0))
        if not day_text:
            fail(item, say.BEFORE_DAY(), say.BEFORE_DAY_HINT())
            continue
        if day is None:
            # the heading is reported; the session is not read, and said so
            fail(
                item,
                say.UNDER_REFUSED_DAY(line=day_line),
                say.UNDER_REFUSED_DAY_HINT(line=day_line),
            )
            continue
        name = names(item.parts.name, line_language(item.parts.name, language))
        kind = kind_of(name)
        if item.start is None:
            pending.append(
                PendingLine(item.line, item.text, day, name, kind, session_id(name, kind))
            )
            continue
        wall = datetime.combine(day, time(*item.start))
        instant: datetime | None = None
        used: Claim | None = None
        if primary is not None:
            try:
                instant = claim_instant(primary, wall, local_fallback)
                used = primary
            except LocalTimeError as exc:
                fail(item, *_dst(exc, wall, claim_zone(primary, local_fallback), day_text))
                continue
            except ZoneProblem as exc:
                primary_problem = primary_problem or (exc, primary)
        if item.alt is not None:
            alt_instant, alt_claim, alt_problem = _alt_instant(item, wall, local_fallback, instant)
            if alt_problem is not None and alt_claim is not None:
                if isinstance(alt_problem, ZoneProblem):
                    reason, hint = alt_problem.said, alt_problem.hint
                else:
                    zone_of = claim_zone(alt_claim, local_fallback)
                    reason, hint = _dst(alt_problem, alt_wall(item, wall), zone_of, "")
                fail(item, say.IN_ZONE(claim=alt_claim.text, problem=reason), hint)
                continue
            if alt_instant is None or alt_claim is None:
                fail(item, say.ALT_NO_ZONE(), say.ALT_NO_ZONE_HINT())
                continue
            if instant is not None and instant != alt_instant and used is not None:
                shown = "HH:mm" if instant.date() == alt_instant.date() else "d MMM HH:mm"
                fail(
                    item,
                    say.ALT_DISAGREES(
                        wall=f"{wall:%H:%M}",
                        alt=alt_claim.text,
                        where=used.where,
                        claim=used.text,
                        mine=Day(instant, shown),
                        theirs=Day(alt_instant, shown),
                    ),
                    say.ALT_DISAGREES_HINT(),
                )
                continue
            instant, used = alt_instant, alt_claim
        elif instant is None:
            untimed_without_alt = True
            continue
        assert used is not None
        bad = False
        for other in others:
            if other is used:
                continue
            try:
                theirs = claim_instant(other, wall, local_fallback)
            except LocalTimeError:
                continue
            except ZoneProblem as exc:
                # a statement that cannot be checked (or is wrong for the date) is not ignored
                if item.alt is None and ("problem", other.where.say("en")) not in reported:
                    reported.add(("problem", other.where.say("en")))
                    errors.append(
                        ScheduleError(source, other.line or item.line, exc.said, exc.hint)
                    )
                    bad = True
                continue
            if theirs != instant and item.alt is None:
                key = (used.where.say("en"), other.where.say("en"))
                if key not in reported:
                    reported.add(key)
                    errors.append(_disagreement(source, item, used, other, instant, theirs))
                bad = True
        if bad:
            continue
        if written is None:
            written = written_zone(used, instant, local_fallback)
        entry = _entry(item, instant, wall, used, local_fallback, name, kind, section, fail)
        if entry is not None:
            entries.append(entry)
    _overlaps(entries, source, errors, written or SWEDISH_TIME)
    if primary is None and _timed(section, without_zone=True):
        _no_zone(section, track_problem, source, errors)
    elif primary_problem is not None and untimed_without_alt:
        problem, claim = primary_problem
        hint = problem.hint
        if track_problem is not None:
            hint = say.BOTH(first=track_problem, second=problem.hint)
        errors.append(ScheduleError(source, claim.line, problem.said, hint))
    if errors:
        return None
    tz = written or (primary.tz if primary is not None and primary.tz else None) or SWEDISH_TIME
    first = section.heading or min(i.line for i in section.items)
    return ImportedTimetable(
        source=source,
        tz=tz,
        lines=lines,
        entries=(unique := _unique_ids(entries)),
        section=(first, section.end),
        language=language,
        title=section.title,
        zone_note=primary.text if primary is not None and primary.origin is None else None,
        venue=venue,
        pending=_pending_ids(pending, {e.session.id for e in unique}),
        label=section.label,
    )


def _disagreement(
    source: str, item: SessionLine, used: Claim, other: Claim, mine: datetime, theirs: datetime
) -> ScheduleError:
    at = say.WOULD_BE(text=item.text, mine=f"{mine:%H:%M}", theirs=f"{theirs:%H:%M}")
    if used.origin is not None and other.origin is not None:
        return ScheduleError(
            source,
            item.line,
            say.SWEDISH_OR_LOCAL(where=used.where, at=at),
            say.SWEDISH_OR_LOCAL_HINT(),
        )
    if used.line is not None and used.line == other.line and used.origin is None:
        return ScheduleError(
            source, used.line, say.TWO_ZONES(claim=used.text, at=at), say.TWO_ZONES_HINT()
        )
    return ScheduleError(
        source,
        other.line or used.line or item.line,
        say.ZONES_DISAGREE(
            used=used.where, used_text=used.text, other=other.where, other_text=other.text, at=at
        ),
        say.ZONES_DISAGREE_HINT(),
    )


def _overlaps(
    entries: list[ImportedSession], source: str, errors: list[ScheduleError], tz: ZoneInfo
) -> None:
    """Sessions of one timetable that overlap, named by their release lines (the schedule
    loader would refuse the file, naming lines of a file nobody wrote)."""
    ordered = sorted(entries, key=lambda e: e.session.start)
    latest: ImportedSession | None = None
    for entry in ordered:
        if latest is not None and entry.session.start < latest.session.end:
            overlap = say.OVERLAP if latest.session.duration else say.OVERLAP_ASSUMED
            end = f"{latest.session.end.astimezone(tz):%H:%M}"
            errors.append(
                ScheduleError(
                    source,
                    entry.line,
                    overlap(other=latest.text, line=latest.line, end=end),
                    say.OVERLAP_HINT(),
                    quoted=entry.text,
                )
            )
        if latest is None or entry.session.end > latest.session.end:
            latest = entry


def _timed(section: Section, without_zone: bool = False) -> bool:
    """Whether a session of ``section`` has a time (one without its own zone, if asked)."""
    return any(
        isinstance(i, SessionLine) and i.start is not None and not (without_zone and i.alt)
        for i in section.items
    )


def _no_zone(
    section: Section, track_problem: Said | None, source: str, errors: list[ScheduleError]
) -> None:
    """A release that states no zone and names no track: refuse rather than guess."""
    first = section.heading or min(i.line for i in section.items)
    hint = say.NO_ZONE_HINT()
    if track_problem:
        hint = say.BOTH(first=track_problem, second=hint)
    errors.append(ScheduleError(source, first, say.NO_ZONE(), hint))


def _alt_instant(
    item: SessionLine, wall: datetime, track: ZoneInfo | None, expected: datetime | None
) -> tuple[datetime | None, Claim | None, LocalTimeError | ZoneProblem | None]:
    """The instant of '10:00 FP1 (03:00 svensk tid)': the stated zone's time, on the date
    (day before, same, day after) nearest to the line's own reading. A second time the
    clocks skip is refused; one they repeat is told apart by the line's own time
    (``expected``) or refused, never guessed."""
    assert item.alt is not None
    (hour, minute), claims = item.alt
    claim = claims[0]
    if item.beside:  # "14:30 CEST": the line's own time and date, in that zone
        try:
            return claim_instant(claim, wall, track), claim, None
        except (LocalTimeError, ZoneProblem) as exc:
            return None, claim, exc
    best: tuple[timedelta, datetime] | None = None
    doubt: tuple[timedelta, LocalTimeError] | None = None
    for shift in (-1, 0, 1):
        candidate_wall = datetime.combine(wall.date() + timedelta(days=shift), time(hour, minute))
        try:
            candidate = claim_instant(claim, candidate_wall, track)
        except ZoneProblem:
            continue
        except LocalTimeError as exc:
            tz = claim_zone(claim, track)
            assert tz is not None
            folds = [candidate_wall.replace(tzinfo=tz, fold=f).astimezone(UTC) for f in (0, 1)]
            repeated = all(f.astimezone(tz).replace(tzinfo=None) == candidate_wall for f in folds)
            if not (repeated and expected in folds):
                gap = min(abs(f.replace(tzinfo=None) - wall) for f in folds)
                doubt = min(doubt, (gap, exc), key=lambda d: d[0]) if doubt else (gap, exc)
                continue
            assert expected is not None
            candidate = expected  # the repeated hour, told apart by the line's own time
        gap = abs(candidate.replace(tzinfo=None) - wall)
        if best is None or gap < best[0]:
            best = (gap, candidate)
    if doubt is not None and (best is None or doubt[0] < best[0]):
        return None, claim, doubt[1]
    return (best[1] if best else None), claim, None


def alt_wall(item: SessionLine, wall: datetime) -> datetime:
    """The wall-clock reading of a line's second time, on the line's own date."""
    assert item.alt is not None
    return datetime.combine(wall.date(), time(*item.alt[0]))


def _dst(
    exc: LocalTimeError, wall: datetime, tz: ZoneInfo | None, day_text: str
) -> tuple[Said, Said]:
    """A time the clocks skip or repeat that night, said with the day as the heading has it."""
    key = tz.key if tz is not None else "UTC"
    day = day_text or Day(wall.date(), "EEEE d MMMM")
    at = f"{wall:%H:%M}"
    if "twice" not in str(exc):
        return say.DST_GAP(day=day, time=at, zone=key), say.DST_GAP_HINT()
    zone_info = tz or ZoneInfo(key)
    offsets = [wall.replace(tzinfo=zone_info, fold=f).strftime("%z") for f in (0, 1)]
    shown = [f"{o[:3]}:{o[3:]}" for o in offsets]
    return (
        say.DST_FOLD(
            day=day, time=at, zone=key, offsets=say.OR_WORD(first=shown[0], second=shown[1])
        ),
        say.DST_FOLD_HINT(),
    )


def _entry(
    item: SessionLine,
    instant: datetime,
    wall: datetime,
    used: Claim,
    track: ZoneInfo | None,
    name: Text,
    kind: SessionKind,
    section: Section,
    report: Callable[[SessionLine, Said, Said], None],
) -> ImportedSession | None:
    duration: timedelta | None = None
    duration_text = item.parts.duration
    if item.parts.duration is not None:
        try:
            duration = parse_duration(item.parts.duration)
        except ValueError:
            report(item, say.BAD_DURATION(text=item.parts.duration), say.BAD_DURATION_HINT())
            return None
    if item.end is not None:
        end_wall = datetime.combine(wall.date(), time(*item.end))
        if item.alt is not None:
            end = instant + (end_wall - wall)
        else:
            try:
                end = claim_instant(used, end_wall, track)
            except ZoneProblem as exc:
                report(item, say.END_TIME(problem=exc.said), say.CHECK_TIME())
                return None
            except LocalTimeError as exc:
                problem, _hint = _dst(exc, end_wall, claim_zone(used, track), "")
                report(item, say.END_TIME(problem=problem), say.CHECK_TIME())
                return None
        ranged = end - instant
        if duration is not None and duration != ranged:
            report(
                item,
                say.RANGE_VS_DURATION(
                    minutes=int(ranged.total_seconds() // 60), duration=item.parts.duration
                ),
                say.RANGE_VS_DURATION_HINT(),
            )
            return None
        if ranged <= timedelta(0):
            return None  # reported by the scanner
        duration = ranged
        duration_text = duration_text or f"{int(ranged.total_seconds() // 60)} min"
    line_lang = line_language(item.parts.name, language_of(section))
    session_note = note(" – ".join(item.parts.notes), line_lang) if item.parts.notes else None
    links = tuple(dict.fromkeys(Link(label=lb, kind=link_kind(lb)) for lb in item.parts.labels))
    session = Session(
        id=session_id(name, kind),
        name=name,
        kind=kind,
        start=instant,
        duration=duration,
        links=links,
        note=session_note,
        status=SessionStatus.SCHEDULED,
        tentative=item.tentative or section.tentative,
    )
    return ImportedSession(session, item.line, item.text, duration_text)


def _unique_ids(entries: list[ImportedSession]) -> tuple[ImportedSession, ...]:
    ids: dict[str, int] = {}
    unique: list[ImportedSession] = []
    for entry in sorted(entries, key=lambda e: e.session.start):
        base = entry.session.id
        ids[base] = ids.get(base, 0) + 1
        if ids[base] > 1:
            entry = replace(entry, session=replace(entry.session, id=f"{base}-{ids[base]}"))
        unique.append(entry)
    return tuple(unique)


def _pending_ids(pending: list[PendingLine], taken: set[str]) -> tuple[PendingLine, ...]:
    """Ids for the untimed sessions that no timed session of the weekend uses."""
    out: list[PendingLine] = []
    for item in pending:
        ident, n = item.id, 1
        while ident in taken:
            n += 1
            ident = f"{item.id}-{n}"
        taken.add(ident)
        out.append(replace(item, id=ident))
    return tuple(out)
