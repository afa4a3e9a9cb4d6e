"""Result posts in the seeds' voice: "Race 2: Retired (DNF)", "Andreas’ results:"."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace

from bot.core.markup import Bold, Line, Post, Span, Spoiler, line
from bot.core.model import Driver, Event, Series, SessionKind, Text
from bot.core.ordinals import ordinal
from bot.core.results.model import CLASS_LABELS, DriverResult, SessionLike
from bot.core.results.standings import StandingsTable, tables_lines
from bot.core.texts import capitalized, texts


def _names(drivers: Sequence[Driver]) -> dict[str, str]:
    return {d.id: d.first_name for d in drivers}


def class_text(classes: Mapping[str, int], language: str) -> str:
    """ "(2nd in WTCR Trophy, 3rd in Junior)" / "(2:a i WTCR Trophy)"; empty without classes."""
    if not classes:
        return ""
    word = texts(language).results.in_class
    parts = [
        f"{ordinal(place, language)} {word} {CLASS_LABELS.get(key, Text(key, key)).get(language)}"
        for key, place in classes.items()
    ]
    return f" ({', '.join(parts)})"


def _outcome(result: DriverResult, language: str, *, place_word: bool) -> str:
    """ "15th"/"15:e" (or "15th place"), or the status as the releases word it."""
    if result.status is not None:
        return texts(language).results.statuses[result.status.value]
    if result.position is None:
        return "–"
    place = ordinal(result.position, language)
    if not place_word:
        return place
    return texts(language).results.place.format(place=place)


def outcome_text(result: DriverResult, language: str) -> str:
    """What a result post says of one driver: "16:e", "DNF", "15:e (2:a i WTCR Trophy)"."""
    classes = class_text(result.class_positions, language)
    return f"{_outcome(result, language, place_word=False)}{classes}"


#: Marks the lines a correction changed, in the draft and in the edited post.
CHANGED = "✏️"


#: A race podium, overall or in a class: the best of them marks the driver.
PODIUM = {1: "🏆", 2: "🥈", 3: "🥉"}


def podium(result: DriverResult) -> str:
    """ " 🏆" for a win, " 🥈"/" 🥉" for second or third, overall or in a class; else ""."""
    places = [p for p in (result.position, *result.class_positions.values()) if p in PODIUM]
    return f" {PODIUM[min(places)]}" if places and result.status is None else ""


def _entry(
    result: DriverResult, name: str, language: str, *, race: bool = False
) -> list[Span | str]:
    """ "Andreas 15:e (2:a i WTCR Trophy) 🥈": the place is a spoiler (``markup.reveal``),
    and so is a race's podium marker."""
    outcome = _outcome(result, language, place_word=False)
    marker = podium(result) if race else ""
    classes = class_text(result.class_positions, language)
    return [Bold(name), " ", Spoiler(f"{outcome}{classes}{marker}")]


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
    race = session.kind is SessionKind.RACE
    spans: list[Span | str] = [f"{session_name}: "]
    for index, result in enumerate(results):
        mark = f" {CHANGED}" if result.driver_id in changed else ""
        spans += [
            ", " if index else "",
            *_entry(result, names.get(result.driver_id, result.driver_id), language, race=race),
            mark,
        ]
    if not results:
        spans.append(texts(language).results.no_result)
    notes = [
        line(
            Bold(names.get(r.driver_id, r.driver_id)),
            ": ",
            Spoiler(r.note or ""),
            f" {CHANGED}" if r.driver_id in changed else "",
        )
        for r in results
        if r.note
    ]
    gone = [
        line(
            f"{CHANGED} ",
            texts(language).results.removed,
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
    words = texts(language).results
    bare = name[-1:].lower() in words.bare_after
    return (words.possessive_bare if bare and name else words.possessive).format(name=name)


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
        outcome = capitalized(_outcome(result, language, place_word=True))
        note = f" – {result.note}" if result.note else ""
        classes = class_text(result.class_positions, language)
        lines.append(line(f"{session.name.get(language)}: ", Spoiler(f"{outcome}{classes}{note}")))
    if not lines:
        return []
    heading = texts(language).results.results_heading
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
        lines += [(), *tables_lines(standings, language)]
    words = texts(language).results
    return Post(
        title=f"{words.results_title} – {event.name}",
        lines=tuple(lines),
        color=series.color,
        language=language,
        footer=f"{series.name} {series.season}, {words.round_word} {event.round}",
    )


# -- the fan's weekend (#14): the summary folded into the last result, spoilered standings


def render_last_result(
    series: Series,
    event: Event,
    session: SessionLike,
    results: Sequence[DriverResult],
    sessions_in_order: Sequence[SessionLike],
    results_by_session: Mapping[str, Sequence[DriverResult]],
    language: str,
    drivers: Sequence[Driver],
    *,
    changed: Collection[str] = (),
) -> Post:
    """The weekend's last result with the weekend summary under it: one post, not two.

    Its first line names the session ("Race 2 – Estoril"); standings are not in it (they
    are posted once, on their own, when staff publish them)."""
    post = render_session_result(
        series, event, session, results, language, drivers, changed=changed
    )
    summary = render_weekend_summary(
        series, event, sessions_in_order, results_by_session, (), language, drivers
    )
    return replace(post, lines=(*post.lines, (), *summary.lines), footer=summary.footer)


_ROW = re.compile(r"\d+:")


def spoiled_standings(post: Post) -> Post:
    """The standings post with every row ("3: Andreas Bäckman (SWE), 17 p.") a spoiler."""
    lines = tuple(
        (Spoiler(_text(ln), bold=all(isinstance(s, Bold) for s in ln)),)
        if ln and _ROW.match(_text(ln))
        else ln
        for ln in post.lines
    )
    return replace(post, lines=lines)


def _text(ln: Line) -> str:
    return "".join(getattr(span, "text", "") for span in ln)
