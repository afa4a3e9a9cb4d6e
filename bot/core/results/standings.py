"""Championship standings: read a table pasted from a press release, print it back.

The paste is read line by line; a line that is not a title, series line, row or "–"
is refused with its line number and the shape it should have, and the rest is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from bot.core.errors import UserError
from bot.core.markup import Bold, Line, Post, line
from bot.core.results import phrases as say
from bot.core.results.model import LineProblem
from bot.core.results.resolve import fold
from bot.core.texts import texts


@dataclass(frozen=True)
class StandingsRow:
    position: int
    name: str
    country: str | None
    #: Whole points as an int; a half point ("190.5 pts") as a float.
    points: float
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


_TIE = r"(?:[tT]\s*-\s*|[tT](?=\d)|=\s*)"
#: "1: …", "1. …", "=20 …", and "1 – …" (a tab-separated table, tabs made dashes by clean)
_POS = r"(?:[pP](?=\d))?\d+(?:st|nd|rd|th)?"  # "1", "P1", "1st"
_ROW_START = re.compile(
    rf"{_TIE}?{_POS}\s*=?\s*(?:[:.)]|\s[-–—]\s)|{_TIE}\d+\s|(?:[pP]\d{{1,3}}|\d{{1,3}}(?:st|nd|rd|th))\s"
)
_ROW = re.compile(
    rf"(?P<tie>{_TIE})?[pP]?(?P<pos>\d{{1,6}})(?:st|nd|rd|th)?(?P<tie_after>\s*=)?\s*"
    r"(?:[:.)]\s*|\s+[-–—]\s+|\s+)"
    r"(?P<name>\S.*?)(?:\s*\((?P<country>[A-Za-z]{2,3})\)|,\s*(?P<code>[A-Z]{3})(?=,))?"
    r"\s*(?:,|\s[-–—])?\s*(?P<points>\d{1,9}(?:[.,]\d{1,2})?)\s*"
    r"(?:points|poäng|poang|pts|pt|p)?\.?",
    re.IGNORECASE,
)
#: A digit and a separator just before the points: part of the number, or of the name?
_SPLIT_DIGIT = re.compile(r"\d(?:[,.]|\s+)$")
_UNIT = re.compile(r"\d\s*(?:points|poäng|poang|pts|pt|p)\.?$", re.IGNORECASE)
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
#: A header row's words ("Pos | Driver | Pts", "Pos\tFörare\tPoäng"), folded.
_HEADER_POSITION = frozenset({"pos", "position", "plac", "placering", "plats", "place", "#", "nr"})
_HEADER_POINTS = frozenset({"pts", "points", "poang", "p", "pt", "total", "totalt"})
_HEADER_OTHER = frozenset(
    {"driver", "forare", "name", "namn", "team", "stall", "lag", "country", "land", "nat"}
    | {"nation", "nationality", "nationalitet", "car", "bil", "forare/team", "driver/team"}
)
_HEADER_CELL = re.compile(r"\s+[-–—|]\s+|\s*[|\t]\s*|\s+")
#: The rule under a Markdown header: "|---|:---:|", or "---" as the release cleans it.
_RULE = re.compile(r"\|?(?:\s*:?-{3,}:?\s*\|)*\s*:?-{3,}:?\s*\|?")
_SEE_FULL = re.compile(r"(?:see|se)\b.*\b(?:here|här)\W*", re.IGNORECASE)
_SWEDISH = re.compile(r"\b(?:efter|av|totalt|topp|tre)\b|mastarskap|tabell|tavlingshelg")
_TEAM = re.compile(r"\bteam|\bstall")


def is_header(text: str) -> bool:
    """ "Pos | Driver | Pts", "Pos – Förare – Poäng": a header row naming the columns."""
    words = {w.strip(".:") for w in _HEADER_CELL.split(fold(text)) if w.strip("|")}
    known = _HEADER_POSITION | _HEADER_POINTS | _HEADER_OTHER
    return (
        bool(words)
        and words <= known
        and bool(words & _HEADER_POSITION)
        and bool(words & _HEADER_POINTS)
    )


def _unpiped(text: str) -> str:
    """ "| 1 | Mikel Azcona (ESP) | 359 |" -> "1 – Mikel Azcona (ESP) – 359"."""
    if not text.startswith("|"):
        return text
    cells = [cell.strip() for cell in text.strip("| ").split("|")]
    return " – ".join(cell for cell in cells if cell)


def looks_like_table_line(text: str) -> bool:
    """Whether ``text`` belongs inside a table: a row (also "T-20", "=20"), a "–", a
    "See the full standings here", a header row ("Pos | Driver | Pts") and its rule."""
    text = _unpiped(text)
    return bool(
        _ROW_START.match(text)
        or _DASH.fullmatch(text)
        or _SEE_FULL.fullmatch(text)
        or _RULE.fullmatch(text)
        or is_header(text)
    )


@dataclass(frozen=True)
class StandingsReading:
    """What a standings paste holds: the tables, the refused lines, the lines left out.

    Every line that is not blank is in a table (title, series line, row, "–") or in
    ``problems`` (refused, with why) or in ``left_out`` (read and not printed: a heading
    above the tables, a "See the full standings here" link text).
    """

    tables: tuple[StandingsTable, ...]
    problems: tuple[LineProblem, ...]
    left_out: tuple[LineProblem, ...]


@dataclass
class _Draft:
    """A table being read, remembering line numbers for error messages."""

    title: str
    line_no: int
    series_line: str | None = None
    series_line_no: int | None = None
    rows: list[StandingsRow] = field(default_factory=list)
    #: Position -> (line, points) of its first row, to tell a tie from a typo.
    positions: dict[int, tuple[int, float]] = field(default_factory=dict)
    dash_after: int | None = None
    #: Rows refused: a title left with none is theirs, not a table without rows.
    refused_rows: int = 0
    #: A header row named the columns: points may come without "p"/"pts".
    header: bool = False


def _points(text: str) -> float | int:
    number = float(text.replace(",", "."))
    return int(number) if number.is_integer() else number


def points_text(points: float, language: str) -> str:
    """ "242", "190.5" / "190,5": as the release writes them, in its language."""
    text = f"{points:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", texts(language).render.decimal_mark)


def _finish(draft: _Draft) -> StandingsTable:
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
    """Line-by-line state: the tables so far, the one being read, what was not used."""

    def __init__(self, our_names: Iterable[str], language: str) -> None:
        self.ours = {fold(name) for name in our_names}
        self.language = language
        self.tables: list[StandingsTable] = []
        self.draft: _Draft | None = None
        self.problems: list[LineProblem] = []
        self.left_out: list[LineProblem] = []

    def _refuse(
        self, number: int, text: str, phrase: say.Phrase, hint: say.Phrase, **fields: object
    ) -> None:
        message = phrase.say(self.language, **fields)
        self.problems.append(LineProblem(number, text, message, hint.say(self.language)))

    def _leave_out(self, number: int, text: str, why: say.Phrase) -> None:
        self.left_out.append(LineProblem(number, text, why.say(self.language)))

    def feed(self, number: int, text: str) -> None:
        if not text:
            return
        draft = self.draft
        if draft is not None and not draft.rows and is_header(text):
            draft.header = True  # "Pos | Driver | Pts": read, it names the columns
            return
        if draft is not None and draft.header and not draft.rows and _RULE.fullmatch(text):
            return  # the rule under the header
        text = _unpiped(text)
        if _SEE_FULL.fullmatch(text):
            self._leave_out(number, text, say.LINK_TEXT)
        elif _DASH.fullmatch(text):
            self._dash(number, text)
        elif _ROW_START.match(text):
            self._row(number, text)
        else:
            self._text(number, text)

    def _dash(self, number: int, text: str) -> None:
        if self.draft is None or not self.draft.rows:
            self._refuse(number, text, say.DASH_BEFORE_ROWS, say.TABLE_HINT)
        elif self.draft.dash_after is not None:
            self._refuse(number, text, say.SECOND_DASH, say.TABLE_HINT)
        else:
            self.draft.dash_after = len(self.draft.rows)

    def _row(self, number: int, text: str) -> None:
        draft = self.draft
        if draft is None:
            self._refuse(number, text, say.ROW_BEFORE_TITLE, say.TABLE_HINT)
            return
        match = _ROW.fullmatch(text)
        if not match or not (draft.header or _UNIT.search(text)):
            draft.refused_rows += 1
            self._refuse(number, text, say.NOT_A_ROW, say.ROW_HINT)
            return
        if text[match.start("points") - 1] in "-–—":
            draft.refused_rows += 1  # "…, -5 p.": a penalty, or a dash? never 5 points
            self._refuse(number, text, say.NOT_A_ROW, say.ROW_HINT)
            return
        split = _SPLIT_DIGIT.search(text[: match.start("points")])
        if split is not None and len(match["points"]) == 3:
            # "…, 1,141 pts", "… 1 121 p", "Team 2 392 p": 1141 points, or a name's digit?
            draft.refused_rows += 1
            written = text[split.start() : match.end("points")]
            self._refuse(number, text, say.THOUSANDS, say.THOUSANDS_HINT, points=written)
            return
        position, points = int(match["pos"]), _points(match["points"])
        earlier = draft.positions.setdefault(position, (number, points))
        if earlier[0] != number and earlier[1] != points:
            self._refuse(
                number, text, say.POSITION_TAKEN, say.TIE_HINT, pos=position, line=earlier[0]
            )
            return
        name = match["name"].strip()
        code = match["country"] or match["code"]  # "(SWE)" or ", SWE,"
        country = code.upper() if code else None
        draft.rows.append(StandingsRow(position, name, country, points, fold(name) in self.ours))

    def _text(self, number: int, text: str) -> None:
        """A title, the series line under it, or a heading above the next title."""
        draft = self.draft
        if draft is not None and not draft.rows:
            if draft.series_line is None and _AFTER.search(text):
                draft.series_line, draft.series_line_no = text, number
                return
            self._rowless(draft)
        elif draft is not None:
            self.tables.append(_finish(draft))
        self.draft = _Draft(text, number)

    def _rowless(self, draft: _Draft) -> None:
        """A title with no rows: a heading above the next table, or a table left empty."""
        if draft.refused_rows:
            self._leave_out(draft.line_no, draft.title, say.ROWS_REFUSED)
        elif draft.series_line is None:
            self._leave_out(draft.line_no, draft.title, say.HEADING_ABOVE)
            return
        else:
            self._refuse(draft.line_no, draft.title, say.NO_ROWS, say.TABLE_HINT)
        if draft.series_line is not None and draft.series_line_no is not None:
            self._leave_out(draft.series_line_no, draft.series_line, say.UNDER_EMPTY_TITLE)

    def close(self) -> StandingsReading:
        if self.draft is not None and self.draft.rows:
            self.tables.append(_finish(self.draft))
        elif self.draft is not None:
            if self.draft.series_line is None and not self.draft.refused_rows:
                self._refuse(self.draft.line_no, self.draft.title, say.NO_ROWS, say.TABLE_HINT)
            else:
                self._rowless(self.draft)
        return StandingsReading(
            tuple(self.tables),
            tuple(sorted(self.problems, key=lambda p: p.line)),
            tuple(sorted(self.left_out, key=lambda p: p.line)),
        )


def read_standings(
    text: str | Iterable[str],
    *,
    our_names: Iterable[str] = (),
    language: str = "en",
    first_line: int = 1,
) -> StandingsReading:
    """Every table in a pasted standings block (Swedish or English), and every line not used.

    Ties ("20:" twice with the same points, "T-20", "=20") and decimal points ("190.5
    pts", "190,5 p") are read; a bad line is reported (``language``) and the rest kept.
    Line numbers start at ``first_line``. Pure.
    """
    reader = _StandingsReader(our_names, language)
    lines = text.splitlines() if isinstance(text, str) else list(text)
    for number, raw in enumerate(lines, first_line):
        cells = [cell.strip() for cell in raw.split("\t")]  # a table pasted from Excel
        reader.feed(number, " ".join(" – ".join(c for c in cells if c).split()))
    return reader.close()


def parse_standings(
    text: str, *, our_names: Iterable[str] = (), language: str = "en"
) -> list[StandingsTable]:
    """The tables of a paste where every line must be right; else one UserError."""
    reading = read_standings(text, our_names=our_names, language=language)
    if reading.problems:
        first = reading.problems[0]
        message = first.numbered(language)
        raise UserError(message, first.hint)
    if not reading.tables:
        raise UserError(say.NO_TABLE.say(language), say.TABLE_HINT.say(language))
    return list(reading.tables)


def _row_text(row: StandingsRow, language: str) -> str:
    country = f" ({row.country})" if row.country else ""
    return f"{row.position}: {row.name}{country}, {points_text(row.points, language)} p."


def _table_text(table: StandingsTable) -> list[tuple[str, bool]]:
    """(text, bold) per printed line: title, series line, rows with the "–" where it was."""
    lines = [(table.title, True)]
    if table.series_line:
        lines.append((table.series_line, False))
    for index, row in enumerate(table.rows):
        if index == table.dash_after:
            lines.append(("–", False))
        lines.append((_row_text(row, table.language), row.ours))
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
