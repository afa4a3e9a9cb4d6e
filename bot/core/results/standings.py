"""Championship standings: read a table pasted from a press release, print it back.

The paste is read line by line; a line that is not a title, series line, row or "–"
is refused with its line number and the shape it should have.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from bot.core.errors import UserError
from bot.core.markup import Bold, Line, Post, line
from bot.core.results.resolve import fold
from bot.core.texts import texts


@dataclass(frozen=True)
class StandingsRow:
    position: int
    name: str
    country: str | None
    points: int
    ours: bool


@dataclass(frozen=True)
class StandingsTable:
    """One championship table as a release prints it; ``dash_after`` rows precede the "–"."""

    title: str
    series_line: str | None
    after_round: int | None
    of_rounds: int | None
    rows: tuple[StandingsRow, ...]
    is_team: bool
    language: str
    dash_after: int | None = None

    @property
    def heading(self) -> tuple[str, int] | None:
        """(category, top) of a "WTCR Trophy – Overall (Top 3)" title; None for other titles."""
        match = _OVERALL.fullmatch(self.title)
        if not match:
            return None
        top = match["top"].lower()
        return match["category"] or "", int(top) if top.isdigit() else _TOP_NUMBERS[top]


_ROW_START = re.compile(r"\d+\s*[:.)]")
_ROW = re.compile(
    r"(?P<pos>\d{1,6})\s*[:.)]\s*(?P<name>\S.*?)(?:\s*\((?P<country>[A-Za-z]{2,3})\))?"
    r"\s*,\s*(?P<points>\d{1,9})\s*(?:p\.?|pts\.?|points|poäng)",
    re.IGNORECASE,
)
_DASH = re.compile(r"[-–—]+")
_AFTER = re.compile(
    r"\((?:after|efter)\s+(\d{1,4})\s+(?:of|av)\s+(\d{1,4})\b[^()]*\)", re.IGNORECASE
)
_TOP_NUMBERS = {word: number for number, word in texts("sv").results.top_words.items()}
_OVERALL = re.compile(
    r"(?:(?P<category>\S.*?)\s*[-–—]\s*)?(?:overall|totalt)\s*\(\s*(?:top|topp)\s+"
    rf"(?P<top>\d{{1,3}}|{'|'.join(_TOP_NUMBERS)})\s*\)",
    re.IGNORECASE,
)
_SEE_FULL = re.compile(r"(?:see|se)\b.*\b(?:here|här)\W*", re.IGNORECASE)
_SWEDISH = re.compile(r"\b(?:efter|av|totalt|topp|tre)\b|mastarskap|tabell|tavlingshelg")
_TEAM = re.compile(r"\bteam|\bstall")
_ROW_HINT = (
    "write rows as the release prints them: “1: Mike Halder (GER), 242 p.” or, "
    "for a team, “1: Cyan Racing Lynk & Co, 141 p.”"
)
_TABLE_HINT = (
    "paste the tables as the release prints them: a title line, the series line "
    "“FIA WTCR 2021 (After 3 of 8 race weekends)”, rows “1: Mike Halder (GER), 242 p.”, "
    "“–”, then our rows"
)


@dataclass
class _Draft:
    """A table being read, remembering line numbers for error messages."""

    title: str
    line_no: int
    series_line: str | None = None
    rows: list[StandingsRow] = field(default_factory=list)
    row_lines: dict[int, int] = field(default_factory=dict)
    dash_after: int | None = None


def _line_error(number: int, text: str, problem: str, hint: str = _ROW_HINT) -> UserError:
    return UserError(f"line {number} “{text}”: {problem}", hint)


def _parse_row(number: int, text: str, ours: set[str]) -> StandingsRow:
    match = _ROW.fullmatch(text)
    if not match:
        raise _line_error(number, text, "not a standings row")
    name = match["name"].strip()
    country = match["country"].upper() if match["country"] else None
    return StandingsRow(int(match["pos"]), name, country, int(match["points"]), fold(name) in ours)


def _finish(draft: _Draft) -> StandingsTable:
    if not draft.rows:
        raise _line_error(draft.line_no, draft.title, "a table with no rows", _TABLE_HINT)
    after = _AFTER.search(draft.series_line or "")
    folded = fold(f"{draft.title} {draft.series_line or ''}")
    return StandingsTable(
        title=draft.title,
        series_line=draft.series_line,
        after_round=int(after[1]) if after else None,
        of_rounds=int(after[2]) if after else None,
        rows=tuple(draft.rows),
        is_team=bool(_TEAM.search(fold(draft.title))) or all(r.country is None for r in draft.rows),
        language="sv" if _SWEDISH.search(folded) else "en",
        dash_after=draft.dash_after,
    )


class _StandingsReader:
    """Line-by-line state: the tables so far and the one being read."""

    def __init__(self, our_names: Iterable[str]) -> None:
        self.ours = {fold(name) for name in our_names}
        self.tables: list[StandingsTable] = []
        self.draft: _Draft | None = None

    def feed(self, number: int, text: str) -> None:
        if not text or _SEE_FULL.fullmatch(text):
            return
        if _DASH.fullmatch(text):
            self._dash(number, text)
        elif _ROW_START.match(text):
            self._row(number, text)
        else:
            self._text(number, text)

    def _dash(self, number: int, text: str) -> None:
        if self.draft is None or not self.draft.rows:
            raise _line_error(number, text, "a dash line before any row", _TABLE_HINT)
        if self.draft.dash_after is not None:
            raise _line_error(number, text, "a second dash line in one table", _TABLE_HINT)
        self.draft.dash_after = len(self.draft.rows)

    def _row(self, number: int, text: str) -> None:
        if self.draft is None:
            raise _line_error(number, text, "a row before any table title", _TABLE_HINT)
        row = _parse_row(number, text, self.ours)
        earlier = self.draft.row_lines.setdefault(row.position, number)
        if earlier != number:
            raise _line_error(number, text, f"position {row.position} is already on line {earlier}")
        self.draft.rows.append(row)

    def _text(self, number: int, text: str) -> None:
        """A title, the series line under it, or a heading above the next title."""
        draft = self.draft
        if draft is not None and not draft.rows:
            if draft.series_line is None and _AFTER.search(text):
                draft.series_line = text
                return
            if draft.series_line is not None:
                raise _line_error(draft.line_no, draft.title, "a table with no rows", _TABLE_HINT)
        elif draft is not None:
            self.tables.append(_finish(draft))
        self.draft = _Draft(text, number)

    def close(self) -> list[StandingsTable]:
        if self.draft is not None:
            self.tables.append(_finish(self.draft))
        if not self.tables:
            raise UserError("no standings table found", _TABLE_HINT)
        return self.tables


def parse_standings(text: str, *, our_names: Iterable[str] = ()) -> list[StandingsTable]:
    """Every table in a pasted standings block (Swedish or English), or a UserError."""
    reader = _StandingsReader(our_names)
    for number, raw in enumerate(text.splitlines(), 1):
        reader.feed(number, " ".join(raw.split()))
    return reader.close()


def _row_text(row: StandingsRow) -> str:
    country = f" ({row.country})" if row.country else ""
    return f"{row.position}: {row.name}{country}, {row.points} p."


def _table_text(table: StandingsTable) -> list[tuple[str, bool]]:
    """(text, bold) per printed line: title, series line, rows with the "–" where it was."""
    lines = [(table.title, True)]
    if table.series_line:
        lines.append((table.series_line, False))
    for index, row in enumerate(table.rows):
        if index == table.dash_after:
            lines.append(("–", False))
        lines.append((_row_text(row), row.ours))
    if table.dash_after is not None and table.dash_after >= len(table.rows):
        lines.append(("–", False))
    return lines


def _tables_text(tables: Sequence[StandingsTable]) -> list[tuple[str, bool]]:
    lines: list[tuple[str, bool]] = []
    for index, table in enumerate(tables):
        if index:
            lines.append(("", False))
        lines.extend(_table_text(table))
    return lines


def standings_text(tables: Sequence[StandingsTable]) -> list[str]:
    """The tables' lines exactly as printed, blank line between tables (for echoing a paste)."""
    return [text for text, _ in _tables_text(tables)]


def _in_language(table: StandingsTable, language: str) -> StandingsTable:
    """The table with its heading words in ``language``; category and numbers kept as pasted."""
    words = texts(language).results
    title = table.title
    heading = table.heading
    if heading is not None:
        category, top = heading
        overall = words.overall_top.format(top=words.top_words.get(top, str(top)))
        title = f"{category} – {overall}" if category else overall
    series_line = table.series_line
    after = _AFTER.search(series_line or "")
    if series_line is not None and after is not None:
        rounds = words.after_rounds.format(after=int(after[1]), of=int(after[2]))
        series_line = f"{series_line[: after.start()]}({rounds}){series_line[after.end() :]}"
    return replace(table, title=title, series_line=series_line, language=language)


def tables_lines(tables: Sequence[StandingsTable], language: str) -> list[Line]:
    """Post lines for the tables in the reader's language: titles and our rows in bold."""
    return [
        line(Bold(text)) if bold else line(text) if text else ()
        for text, bold in _tables_text([_in_language(t, language) for t in tables])
    ]


def render_standings(tables: Sequence[StandingsTable], language: str) -> Post:
    """The standings post for a reader of ``language``."""
    title = texts(language).results.standings_title
    return Post(title=title, lines=tuple(tables_lines(tables, language)), language=language)
