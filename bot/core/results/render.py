"""Result posts in the seeds' voice: "Race 2: Retired (DNF)", "Andreas’ results:"."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from bot.core.markup import Bold, Line, Post, Span, line
from bot.core.model import Driver, Event, Series, Text
from bot.core.ordinals import ordinal
from bot.core.results.model import CLASS_LABELS, DriverResult, ResultStatus, SessionLike
from bot.core.results.standings import StandingsTable, tables_lines

_STATUS_TEXT = {
    ResultStatus.DNF: Text("bröt (DNF)", "Retired (DNF)"),
    ResultStatus.DNS: Text("startade inte (DNS)", "Did not start (DNS)"),
    ResultStatus.DSQ: Text("diskvalificerad (DSQ)", "Disqualified (DSQ)"),
    ResultStatus.NC: Text("ej klassad (NC)", "Not classified (NC)"),
}


def _names(drivers: Sequence[Driver]) -> dict[str, str]:
    return {d.id: d.first_name for d in drivers}


def _class_text(classes: Mapping[str, int], language: str) -> str:
    """ "(2nd in WTCR Trophy, 3rd in Junior)" / "(2:a i WTCR Trophy)"; empty without classes."""
    if not classes:
        return ""
    word = "in" if language == "en" else "i"
    parts = [
        f"{ordinal(place, language)} {word} {CLASS_LABELS.get(key, Text(key, key)).get(language)}"
        for key, place in classes.items()
    ]
    return f" ({', '.join(parts)})"


def _outcome(result: DriverResult, language: str, *, place_word: bool) -> str:
    """ "15th"/"15:e" (or "15th place"), or the status as the releases word it."""
    if result.status is not None:
        return _STATUS_TEXT[result.status].get(language)
    if result.position is None:
        return "–"
    place = ordinal(result.position, language)
    if not place_word:
        return place
    return f"{place} place" if language == "en" else f"{place} plats"


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


#: Marks the lines a correction changed, in the draft and in the edited post.
CHANGED = "✏️"


def _entry(result: DriverResult, name: str, language: str) -> list[Span | str]:
    outcome = _outcome(result, language, place_word=False)
    return [Bold(name), f" {outcome}{_class_text(result.class_positions, language)}"]


def render_session_result(
    series: Series,
    event: Event,
    session: SessionLike,
    results: Sequence[DriverResult],
    language: str,
    drivers: Sequence[Driver],
    *,
    changed: Collection[str] = (),
    removed: Sequence[DriverResult] = (),
) -> Post:
    """ "Race 1 – Estoril" / "Race 1: Andreas 15th (2nd in WTCR Trophy), Jessica 16th".

    ``results`` is the session's whole result; drivers in ``changed`` get the ✏️ mark,
    and ``removed`` results (shown to staff in a draft) are listed struck off below.
    """
    names = _names(drivers)
    session_name = session.name.get(language)
    spans: list[Span | str] = [f"{session_name}: "]
    for index, result in enumerate(results):
        mark = f" {CHANGED}" if result.driver_id in changed else ""
        spans += [
            ", " if index else "",
            *_entry(result, names.get(result.driver_id, result.driver_id), language),
            mark,
        ]
    if not results:
        spans.append("inget resultat" if language == "sv" else "no result")
    notes = [
        line(
            Bold(names.get(r.driver_id, r.driver_id)),
            f": {r.note}",
            f" {CHANGED}" if r.driver_id in changed else "",
        )
        for r in results
        if r.note
    ]
    gone = [
        line(
            f"{CHANGED} ",
            "Borttaget: " if language == "sv" else "Removed: ",
            *_entry(r, names.get(r.driver_id, r.driver_id), language),
        )
        for r in removed
    ]
    return Post(
        title=f"{session_name} – {event.name}",
        lines=(line(*spans), *notes, *gone),
        color=series.color,
        language=language,
    )


def _possessive(name: str, language: str) -> str:
    """ "Andreas’", "Jessica’s"; Swedish "Andreas", "Jessicas"."""
    if language == "en":
        return f"{name}’" if name.endswith("s") else f"{name}’s"
    return name if name[-1:].lower() in ("s", "x", "z") else f"{name}s"


def _driver_block(
    driver: Driver,
    sessions: Sequence[SessionLike],
    results_by_session: Mapping[str, Sequence[DriverResult]],
    language: str,
) -> list[Line]:
    """ "Andreas’ results:" then one "Free Practice 1: 21st place" line per session."""
    lines: list[Line] = []
    for session in sessions:
        result = next(
            (r for r in results_by_session.get(session.id, ()) if r.driver_id == driver.id), None
        )
        if result is None:
            continue
        outcome = _capitalized(_outcome(result, language, place_word=True))
        note = f" – {result.note}" if result.note else ""
        classes = _class_text(result.class_positions, language)
        lines.append(line(f"{session.name.get(language)}: {outcome}{classes}{note}"))
    if not lines:
        return []
    heading = "results" if language == "en" else "resultat"
    return [line(Bold(f"{_possessive(driver.first_name, language)} {heading}:")), *lines]


def render_weekend_summary(
    series: Series,
    event: Event,
    sessions_in_order: Sequence[SessionLike],
    results_by_session: Mapping[str, Sequence[DriverResult]],
    standings: Sequence[StandingsTable],
    language: str,
    drivers: Sequence[Driver],
) -> Post:
    """Each driver's results per session, then the standings tables, as the releases end."""
    lines: list[Line] = []
    for driver in drivers:
        lines += _driver_block(driver, sessions_in_order, results_by_session, language)
    if standings:
        lines += [(), *tables_lines(standings)]
    word = "Results" if language == "en" else "Resultat"
    round_word = "round" if language == "en" else "deltävling"
    return Post(
        title=f"{word} – {event.name}",
        lines=tuple(lines),
        color=series.color,
        language=language,
        footer=f"{series.name} {series.season}, {round_word} {event.round}",
    )
