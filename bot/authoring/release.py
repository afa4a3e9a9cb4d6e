"""A whole press release read into one plan: weekends, results, standings, and every line
it did not use, with why.

Each section goes to the reader that already exists for it: timetables (``timetable``),
the season calendar (``season``), per-driver results blocks (``read_results`` of
``bot.core.results.lines``, the release's own wording), class places the running text
gives (``class_places``), standings tables (``read_standings``), the track facts
(``venue``). A line no reader used is listed with the reader's reason and its number,
never dropped silently.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.authoring.class_places import ClassPlace, class_places
from bot.authoring.lines import TABLE_RULE, YEARS, clean
from bot.authoring.links import resolve_links
from bot.authoring.places import fold as fold_place
from bot.authoring.schedule_file import event_ids, series_name_from
from bot.authoring.season import event_blocks, parse_calendar
from bot.authoring.timetable import ImportedTimetable, parse_release
from bot.authoring.weekends import (
    WeekendText,
    overlay,
    weekend_block,
    weekend_event,
)
from bot.core.errors import ScheduleErrors
from bot.core.model import Catalog, Driver, Event, Series
from bot.core.results.lines import looks_like_results_heading, read_results
from bot.core.results.model import LineProblem, ResultChange, SessionLike
from bot.core.results.phrases import CLASS_PLACE_OF, CLASS_UNREAD, NO_TITLE, PARTLY_READ
from bot.core.results.resolve import fold
from bot.core.results.standings import (
    StandingsTable,
    is_header,
    looks_like_table_line,
    read_standings,
)
from bot.core.texts.authoring import refusal

_YEAR = re.compile(r"\b(20\d\d)\b")
#: "Race 1: 16th place", "Q: 17th" (a one-letter session is still a label).
_LABELLED = re.compile(r"^(?P<label>[^:]{1,40}):\s*(?P<outcome>.+)$")
#: "Race 2 – Bröt (DNF)": a results line with a dash where most write a colon.
_DASHED = re.compile(r"^[^:–—]{2,40}\s[-–—]\s+\S.{0,80}$")
_AFTER = re.compile(r"\((?:after|efter)\s+(\d{1,2})\s+(?:of|av)\s+\d{1,2}\b", re.IGNORECASE)
#: A session's label opening a line: "Race 1:", "Kval:", "FP2 –".
_SESSION_LABEL = re.compile(
    r"^(?:race|lopp|heat|final|superpole|tidskval|kval\w*|qualifying|q|free\s+practice|"
    r"practice|fri\s+träning|träning|fp)\s*\d*\s*(?::|\s[-–—]\s)",
    re.IGNORECASE,
)
#: "Free Practice 2 22nd place": a results line without its colon, not a sentence.
_SHORT_WITH_NUMBER = re.compile(r"^(?=.*\d)(?:\S+\s+){0,5}\S+$")
#: A results table's header row ("Session | Result", cells made " – " by clean).
_CELL_WORD = r"(?:session|pass|results?|resultat|position|placering|plats|place|driver|förare)"
_RESULTS_HEADER = re.compile(rf"^{_CELL_WORD}(?:\s+[-–—]\s+{_CELL_WORD})+$", re.IGNORECASE)
_CREDIT = re.compile(r"^(?:foto|photo|bild)\s*:\s*(?P<credit>.+)$", re.IGNORECASE)
_NEXT = re.compile(r"^(?:next\s+up|nästa\s+(?:deltävling|tävling|omgång))\b", re.IGNORECASE)
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "första": 1, "andra": 2, "tredje": 3, "fjärde": 4,
    "femte": 5, "sjätte": 6, "sjunde": 7, "åttonde": 8, "nionde": 9, "tionde": 10,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Unused:
    """Lines ``first``–``last`` of the release that were not used, and why (a code the
    service words in the reader's language, plus the reader's own message if any)."""

    first: int
    last: int
    text: str
    why: str  # prose | not_understood | left_out | credit | link | fact | known | next_round
    detail: str = ""


@dataclass(frozen=True, slots=True)
class PlannedWeekend:
    weekend: WeekendText
    event: Event
    update: bool
    lines: tuple[int, int]


@dataclass(frozen=True, slots=True)
class PlannedResults:
    series_id: str
    event_id: str
    session: SessionLike
    changes: tuple[ResultChange, ...]
    lines: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class PlannedStandings:
    series_id: str
    event_id: str | None
    table: StandingsTable
    lines: tuple[int, int]


@dataclass
class ReleasePlan:
    weekends: list[PlannedWeekend] = field(default_factory=list)
    results: list[PlannedResults] = field(default_factory=list)
    standings: list[PlannedStandings] = field(default_factory=list)
    unused: list[Unused] = field(default_factory=list)
    #: (code, fields) of the checks staff should see: past dates, later standings …
    checks: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    credit: str | None = None
    next_round: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.weekends or self.results or self.standings)


class _Reader:
    def __init__(self, text: str, catalog: Catalog, now: datetime, language: str) -> None:
        self.text = text
        self.language = language  # the staff member's: the readers' reasons are in it
        self.raw = text.splitlines()
        self.lines = [clean(line) for line in self.raw]
        self.catalog = catalog
        self.now = now
        self.plan = ReleasePlan()
        self.used: set[int] = set()  # 1-based line numbers
        self.why: dict[int, tuple[str, str]] = {}
        self.class_context: tuple[list[SessionLike], Sequence[Driver]] | None = None
        counts = Counter(int(y) for y in _YEAR.findall(text) if int(y) in YEARS)
        self.years = [y for y, _ in counts.most_common()] + [now.year, now.year + 1, now.year - 1]

    # -- series -----------------------------------------------------------------------

    def series_named(self, text: str | None, season: int | None) -> Series | None:
        folded = fold(text or "")
        found = [
            s
            for s in self.catalog.series
            if (season is None or s.season == season)
            and (fold(s.name) in folded or (folded and folded in fold(s.name)))
        ]
        return max(found, key=lambda s: len(s.name)) if found else None

    def mark(
        self, numbers: range | Sequence[int], why: str | None = None, detail: str = ""
    ) -> None:
        for n in numbers:
            if why is None:
                self.used.add(n)
            else:
                self.why[n] = (why, detail)

    # -- timetable --------------------------------------------------------------------

    def timetable(self) -> None:
        failure: ScheduleErrors | None = None
        for year in dict.fromkeys(self.years):
            try:
                tables = parse_release(self.text, year=year, source="release")
            except ScheduleErrors as exc:
                if [e.message for e in exc.errors] == ["no timetable found"]:
                    return
                failure = failure or exc
                continue
            days = [day for table in tables for day in table.days()]
            if failure is not None and days and abs((days[0] - self.now.date()).days) > 183:
                break  # read only in a year far from now, the nearer one refused: a guess
            for table in tables:
                self._weekend(table, year)
            return
        if failure is not None:
            for error in failure.errors:
                if error.line is not None:
                    self.mark([error.line], "not_understood", refusal(error, self.language))

    def _weekend(self, table: ImportedTimetable, year: int) -> None:
        series = self.series_named(series_name_from(table.title) or table.title, year)
        days = table.days()
        known = None
        if series is not None and days:
            for event in series.events:
                if event.first_day.toordinal() - 1 <= days[0].toordinal() and (
                    days[-1] <= event.last_day
                ):
                    known = event
            table = resolve_links(table, series, known.id if known else None)
        ids = event_ids(
            table,
            year=year,
            series_id=series.id if series else None,
            series_name=series.name if series else None,
            event_id=known.id if known else None,
            event_round=known.round if known else None,
        )
        block = weekend_block(table, ids, series)
        weekend = WeekendText(
            ids.series_id, ids.series_name, year, ids.event_round, ids.event_id, block
        )
        try:
            event = weekend_event(weekend)
        except ScheduleErrors as exc:
            first = exc.errors[0]
            self.mark(
                range(table.section[0], table.section[1] + 1), "not_understood", first.message
            )
            return
        update = series is not None and any(e.round == ids.event_round for e in series.events)
        start, end = table.section
        self.plan.weekends.append(PlannedWeekend(weekend, event, update, (start, end)))
        self.mark(range(start, end + 1))
        if table.venue.place_line is not None:
            self._venue(table.venue.place_line)
        if days and days[-1] < self.now.date():
            self.plan.checks.append(("past", {"day": days[-1].isoformat()}))

    def _venue(self, place_line: int) -> None:
        """The "Om banan" block: place, length and turns go into the weekend; other facts
        (lap record, race length) have no field and are listed."""
        start = place_line - 1
        while start > 1 and self.lines[start - 1] and start > place_line - 4:
            start -= 1
        for n in range(start, min(place_line + 8, len(self.lines) + 1)):
            text = self.lines[n - 1]
            if not text:
                continue
            key = text.split(":", 1)[0].casefold()
            if n < place_line or any(
                k in key for k in ("plats", "location", "längd", "length", "kurvor", "turns")
            ):
                self.mark([n])
            elif ":" in text and len(key) <= 30:
                self.mark([n], "fact")
            else:
                break

    # -- season calendar --------------------------------------------------------------

    def calendar(self) -> None:
        for year in dict.fromkeys(self.years):
            try:
                calendar = parse_calendar(self.text, year=year, source="release")
            except ScheduleErrors as exc:
                if any((e.hint or "").startswith("pass --year") for e in exc.errors):
                    continue
                for error in exc.errors:
                    if error.line is not None and "no season calendar" not in error.message:
                        self.mark([error.line], "not_understood", refusal(error, self.language))
                return
            break
        else:
            return
        name = calendar.name or "Imported series"
        series = self.series_named(name, calendar.year)
        from bot.authoring.names import slug

        series_id = series.id if series else f"{slug(name)}-{calendar.year}"
        series_name = series.name if series else name
        self.mark([calendar.heading])
        have = {e.round for e in series.events} if series else set()
        blocks = {int(b[2].split("=")[1]): b for b in event_blocks(calendar)}
        for entry in calendar.entries:
            if entry.round in have:
                self.mark([entry.line], "known", f"r{entry.round}")
                continue
            block = "\n".join(blocks[entry.round]) + "\n"
            weekend = WeekendText(
                series_id, series_name, calendar.year, entry.round, f"r{entry.round}", block
            )
            event = weekend_event(weekend)
            self.plan.weekends.append(
                PlannedWeekend(weekend, event, False, (entry.line, entry.line))
            )
            self.mark([entry.line])

    # -- standings --------------------------------------------------------------------

    def standings(self) -> None:
        titles = [
            i
            for i in range(len(self.lines) - 1)
            if self.lines[i]
            and _AFTER.search(self.lines[i + 1])
            and not _AFTER.search(self.lines[i])
        ]
        for k, title in enumerate(titles):
            stop = titles[k + 1] if k + 1 < len(titles) else len(self.lines)
            end = title + 2
            while end < stop and (not self.lines[end] or looks_like_table_line(self.lines[end])):
                end += 1
            while end > title + 2 and not self.lines[end - 1]:
                end -= 1
            self._table(title, end)
        for n, text in enumerate(self.lines):  # "Pos | Driver | Pts" with no title above
            if n + 1 not in self.used and n + 1 not in self.why and is_header(text):
                end = n + 1
                while end < len(self.lines) and looks_like_table_line(self.lines[end]):
                    end += 1
                self.mark(range(n + 1, end + 1), "not_understood", NO_TITLE.say(self.language))

    def _table(self, title: int, end: int) -> None:
        """Lines ``title``..``end``-1 (0-based) through ``read_standings``: a bad row is
        listed with its reason and the rest of the table is kept."""
        ours = [d.full_name for s in self.catalog.series for d in s.drivers]
        reading = read_standings(
            self.lines[title:end], our_names=ours, language=self.language, first_line=title + 1
        )
        self._problems(reading.problems)
        for left in reading.left_out:
            self.mark([left.line], "left_out", left.message)
        refused = {p.line for p in (*reading.problems, *reading.left_out)}
        numbers = [n for n in range(title + 1, end + 1) if n not in refused]
        for table in reading.tables:
            season = next((int(y) for y in _YEAR.findall(table.series_line or "")), None)
            series = self.series_named(table.series_line, season) or self.series_named(
                table.title, season
            )
            if series is None:
                self.mark(numbers, "not_understood", "series")
                return
            event = self._round_event(series, table.after_round)
            self.plan.standings.append(
                PlannedStandings(series.id, event.id if event else None, table, (title + 1, end))
            )
        if reading.tables:
            self.mark(numbers)

    def _problems(self, problems: Sequence[LineProblem]) -> None:
        for problem in problems:
            hint = f" ({problem.hint.splitlines()[0]})" if problem.hint else ""
            self.mark([problem.line], "not_understood", problem.message + hint)

    def _round_event(self, series: Series, round_: int | None) -> Event | None:
        return next((e for e in series.events if e.round == round_), None)

    # -- results ----------------------------------------------------------------------

    def results(self) -> None:
        """Each run of results blocks ("Andreas’ results:" and its lines, then Jessica's)
        through ``read_results``: every line used, or listed with the reader's reason."""
        index = 0
        while index < len(self.lines):
            by_session = self._session_results(index)
            if not (by_session or looks_like_results_heading(self.lines[index])):
                index += 1
                continue
            end = index + 1
            while (following := self._in_results(end)) is not None:
                end = following + 1
            if (end > index + 1 or by_session) and len(self.lines[index]) <= 60:
                self._results_block(index, end)  # a heading (not a sentence) and its lines
            index = end

    def _session_results(self, index: int) -> bool:
        """Whether line ``index`` (0-based) starts results written session by session:
        "Race 1: Andreas 15th, Jessica DNF", or "Race 1:" over "Andreas – 15th"."""
        text = self.lines[index]
        if index + 1 in self.used or not _SESSION_LABEL.match(text):
            return False
        firsts = {fold(d.first_name) for s in self.catalog.series for d in s.drivers}
        near = " ".join(self.lines[index : index + 2])
        return any(word in firsts for word in re.findall(r"\w+", fold(near)))

    def _in_results(self, index: int) -> int | None:
        """The next line (0-based) of a results block from ``index``, over blank lines, or
        None where the block ends: a line that reads as results ("Race 1: 16th", "Race 1 –
        DNF"), a heading, a table's header or rule, or right under the line before a short
        one with a number in it ("Free Practice 2 22nd place"), which the results reader
        reads or refuses; a sentence after a gap is prose."""
        start = index
        while index < len(self.lines) and not self.lines[index]:
            index += 1
        if index >= len(self.lines) or index + 1 in self.used:
            return None
        text = self.lines[index]
        heading = looks_like_results_heading(text)
        if heading and index > start:
            return None  # after a gap a heading starts its own block, this one was prose
        if (
            _LABELLED.match(text)
            or _DASHED.match(text)
            or heading
            or text == TABLE_RULE
            or _RESULTS_HEADER.match(text)
            or (index == start and _SHORT_WITH_NUMBER.match(text) and not _AFTER.search(text))
        ):
            return index
        return None

    def _results_weekend(self) -> tuple[Series, Event] | None:
        """The weekend the results belong to: the standings' round, else the round before
        the next-round line, else the latest weekend that has begun."""
        for planned in self.plan.standings:
            series = self.catalog.get(planned.series_id)
            if series and planned.event_id and (event := series.event(planned.event_id)):
                return series, event
        started = [
            (s, e) for s, e in self.catalog.events() if e.first_day <= self.now.date() and s.drivers
        ]
        return max(started, key=lambda pair: pair[1].first_day) if started else None

    def _results_block(self, start: int, end: int) -> None:
        """Lines ``start``..``end``-1 (0-based): headings and their results lines."""
        numbers = range(start + 1, end + 1)
        found = self._results_weekend()
        if found is None:
            self.mark(numbers, "not_understood", "weekend")
            return
        series, event = found
        sessions: list[SessionLike] = [*(event.sessions or series.format)]
        block = self.lines[start:end]
        for k, text in enumerate(block):
            if text == TABLE_RULE or _RESULTS_HEADER.match(text):
                block[k] = ""  # a Markdown table's header and rule: read, nothing in them
                self.mark([start + k + 1])
        reading = read_results(
            block,
            sessions=sessions,
            drivers=series.drivers,
            language=self.language,
            first_line=start + 1,
        )
        self._problems(reading.problems)
        self.mark(sorted(reading.used))
        self.class_context = (sessions, series.drivers)
        for read in reading.sessions:
            self._add_result(series, event, read.session, list(read.changes), read.lines)

    def class_text(self) -> None:
        """Class places the running text gives, added to the results read above; a line
        with something in it that could not be read is listed with what, not used."""
        if not self.plan.results or self.class_context is None:
            return
        sessions, drivers = self.class_context
        positions = {
            (p.session.id, c.driver_id): c.position for p in self.plan.results for c in p.changes
        }
        found = class_places(
            self.lines, sessions=sessions, drivers=drivers, skip=self.used, positions=positions
        )
        unread = {n: list(texts) for n, texts in found.unread.items()}
        read: dict[int, list[str]] = {n: list(texts) for n, texts in found.agreed.items()}
        for k, planned in enumerate(self.plan.results):
            changes = list(planned.changes)
            for i, change in enumerate(changes):
                for c in found.places:
                    if (c.session_id, c.driver_id) != (planned.session.id, change.driver_id):
                        continue
                    said = change.class_positions.get(c.key)
                    what = self._class_place(c, drivers)
                    if c.key in change.class_positions and said != c.place:
                        unread.setdefault(c.line, []).append(what)
                        continue
                    change = dataclasses.replace(
                        change, class_positions={**change.class_positions, c.key: c.place}
                    )
                    read.setdefault(c.line, []).append(what)
                changes[i] = change
            self.plan.results[k] = dataclasses.replace(planned, changes=tuple(changes))
        placed = {(p.session.id, c.driver_id) for p in self.plan.results for c in p.changes}
        for c in found.places:
            if (c.session_id, c.driver_id) not in placed:
                unread.setdefault(c.line, []).append(self._class_place(c, drivers))
        bound = {c.line for c in found.places}
        for n in sorted({*read, *unread}):
            listed = ", ".join(f"“{t}”" for t in unread.get(n, ()))
            if n not in unread:
                if n in bound:  # a class place from it was used, not only places it agrees with
                    self.mark([n])
            elif n in read:
                detail = PARTLY_READ.say(self.language, read=", ".join(read[n]), unread=listed)
                self.mark([n], "not_understood", detail)
            elif n in bound:  # a class place found, none of it used: say so
                self.mark([n], "not_understood", CLASS_UNREAD.say(self.language, unread=listed))

    def _class_place(self, c: ClassPlace, drivers: Sequence[Driver]) -> str:
        who = next((d.first_name for d in drivers if d.id == c.driver_id), c.driver_id)
        return CLASS_PLACE_OF.say(self.language, place=c.place, key=c.key, who=who)

    def _add_result(
        self,
        series: Series,
        event: Event,
        session: SessionLike,
        changes: list[ResultChange],
        lines: Sequence[int],
    ) -> None:
        for k, planned in enumerate(self.plan.results):
            if planned.event_id == event.id and planned.session.id == session.id:
                self.plan.results[k] = PlannedResults(
                    series.id,
                    event.id,
                    session,
                    (*planned.changes, *changes),
                    (*planned.lines, *lines),
                )
                break
        else:
            self.plan.results.append(
                PlannedResults(series.id, event.id, session, tuple(changes), tuple(lines))
            )
        timed = event.session(session.id)
        if timed is not None and timed.start > self.now:
            self.plan.checks.append(("not_run", {"session": session.name.en}))

    # -- the rest ---------------------------------------------------------------------

    def small_lines(self) -> None:
        for n, text in enumerate(self.lines, start=1):
            if not text or n in self.used or n in self.why:
                continue
            if (credit := _CREDIT.match(text)) is not None:
                self.plan.credit = self.plan.credit or credit["credit"].strip()
                self.mark([n], "credit")
            elif _NEXT.match(text):
                self.plan.next_round = text
                self.mark([n], "next_round", self._next_check(text))
            elif re.fullmatch(r"https?://\S+", text):
                self.mark([n], "link")

    def _next_check(self, text: str) -> str:
        words = re.findall(r"[^\W\d_]+", text.casefold())
        number = next((_ORDINALS[w] for w in words if w in _ORDINALS), None)
        for planned in self.plan.standings or ():
            series = self.catalog.get(planned.series_id)
            event = self._round_event(series, number) if series and number else None
            if event is not None:
                if fold_place(event.name) not in fold_place(text):
                    self.plan.checks.append(
                        ("next_differs", {"round": str(number), "name": event.name})
                    )
                return f"r{number} {event.name}"
        return ""

    def unused(self) -> list[Unused]:
        out: list[Unused] = []
        for n, text in enumerate(self.lines, start=1):
            if not text or n in self.used:
                continue
            why, detail = self.why.get(n, ("prose", ""))
            last = out[-1] if out else None
            if (
                last is not None
                and why in ("prose", "not_understood")
                and (last.why, last.detail) == (why, detail)
                and all(not self.lines[k - 1] for k in range(last.last + 1, n))
            ):
                out[-1] = Unused(last.first, n, last.text, why, detail)
                continue
            out.append(Unused(n, n, text, why, detail))
        return out


def read_release(text: str, catalog: Catalog, now: datetime, language: str = "sv") -> ReleasePlan:
    """Every section the readers know, and every line they did not use (the readers'
    reasons in ``language``, the staff member's)."""
    reader = _Reader(text, catalog, now, language)
    reader.timetable()
    reader.calendar()
    with contextlib.suppress(ScheduleErrors):  # standings, results: maybe of a weekend
        reader.catalog = overlay(catalog, [p.weekend for p in reader.plan.weekends])  # made here
    reader.standings()
    reader.results()
    reader.class_text()
    reader.small_lines()
    reader.plan.unused = reader.unused()
    for planned in reader.plan.standings:
        series = catalog.get(planned.series_id)
        current = _current_round(series, now) if series else None
        after = planned.table.after_round
        if after is not None and current is not None and after > current:
            reader.plan.checks.append(
                ("standings_later", {"after": str(after), "round": str(current)})
            )
    return reader.plan


def _current_round(series: Series, now: datetime) -> int | None:
    begun = [e.round for e in series.events if e.first_day <= now.date()]
    return max(begun, default=None)


__all__ = ["ReleasePlan", "Unused", "read_release"]
