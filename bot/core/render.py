"""Notification -> Post, in Swedish and English, in the voice of the team's press releases.

Every function takes the reader's language and display zone, and the home zone
(``[bot] timezone``), which it names in words: "(alla tider i svensk tid)", just as the
releases say "alla tidsangivelser avser svensk tid".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

from babel import Locale

from bot.core.markup import Bold, Button, Href, Instant, Line, Plain, Post, Span, line
from bot.core.model import (
    Catalog,
    Event,
    Link,
    LinkKind,
    PendingSession,
    Series,
    Session,
    SessionRef,
)
from bot.core.texts import texts, zone_words
from bot.core.timeutil import countdown, date_range, day_heading


def country_name(code: str, language: str) -> str:
    """Country names from CLDR (Babel), e.g. ES -> Spanien / Spain."""
    names = Locale.parse(texts(language).locale).territories
    return str(names.get(code, code))


def zone_note(tz: ZoneInfo, language: str, home: ZoneInfo, *, short: bool = False) -> str:
    """'(alla tider i svensk tid)' under a timetable, '(svensk tid)' after one time: the
    home zone (``[bot] timezone``) in words, any other reader's zone by its name."""
    name = zone_words(tz.key, language) if tz.key == home.key else tz.key
    return f"({name})" if short else texts(language).render.all_times.format(zone=name)


def event_title(series: Series, event: Event, language: str) -> str:
    return f"{series.name} – {texts(language).render.round.format(n=event.round)}: {event.name}"


def event_place_line(event: Event, language: str) -> Line:
    place = ", ".join(p for p in (event.circuit, event.city) if p)
    where = f"{place}, {country_name(event.country, language)}"
    return line(where, " · ", date_range(event.first_day, event.last_day, language))


def _link_spans(links: Iterable[Link]) -> list[Span]:
    spans: list[Span] = []
    for link in links:
        if spans:
            spans.append(Plain(", "))
        spans.append(Href(link.label, link.url) if link.url else Plain(link.label))
    return spans


def _buttons(links: Iterable[Link]) -> tuple[Button, ...]:
    seen: dict[str, Button] = {}
    for link in links:
        if link.url and link.label not in seen:
            seen[link.label] = Button(link.label, link.url)
    return tuple(seen.values())[:6]


def _streams(links: Iterable[Link]) -> list[Link]:
    return [lk for lk in links if lk.kind is LinkKind.STREAM]


def _timing(links: Iterable[Link]) -> list[Link]:
    return [lk for lk in links if lk.kind is LinkKind.TIMING]


def session_line(session: Session, tz: ZoneInfo, language: str) -> Line:
    """'10:50 Fri träning 1 – LIVE: JA Bäckmans Facebook-sida', like the release's timetable."""
    spans: list[Span] = [
        Instant(session.start, "time"),
        Plain(" "),
        Bold(session.name.get(language)),
    ]
    if session.tentative:
        spans.append(Plain(f" ({texts(language).render.tentative})"))
    if session.cancelled:
        spans.append(Plain(" – " + texts(language).render.cancelled.format(name="").rstrip(": ")))
    if session.note:
        spans.append(Plain(f" – {session.note.get(language)}"))
    streams = _streams(session.links)
    if streams:
        spans.append(Plain(" – LIVE: "))
        spans.extend(_link_spans(streams))
    return tuple(spans)


def pending_when(pending: PendingSession, language: str) -> str:
    """'tid kommer', or 'dag och tid kommer' when the release does not give the day either."""
    w = texts(language).render
    return w.time_to_come if pending.day is not None else w.day_time_to_come


def pending_line(pending: PendingSession, language: str) -> Line:
    """'Tidskval – tid kommer': a session the weekend has, whose time is not out yet."""
    spans: list[Span] = [
        Bold(pending.name.get(language)),
        Plain(f" – {pending_when(pending, language)}"),
    ]
    if pending.note:
        spans.append(Plain(f" – {pending.note.get(language)}"))
    return tuple(spans)


def timetable_days(
    event: Event, tz: ZoneInfo
) -> list[tuple[date | None, list[Session], list[PendingSession]]]:
    """The weekend day by day: timed sessions (by the reader's day), then those without a
    time on that (track) day; pending sessions with no known day come last, under None."""
    timed = {
        day: list(group)
        for day, group in groupby(event.sessions, key=lambda s: s.start.astimezone(tz).date())
    }
    days = sorted({*timed, *(p.day for p in event.pending if p.day is not None)})
    out: list[tuple[date | None, list[Session], list[PendingSession]]] = [
        (day, timed.get(day, []), [p for p in event.pending if p.day == day]) for day in days
    ]
    undated = [p for p in event.pending if p.day is None]
    if undated:
        out.append((None, [], undated))
    return out


def timetable_lines(event: Event, language: str, tz: ZoneInfo) -> list[Line]:
    """The day headings and session lines of a weekend, untimed sessions included."""
    lines: list[Line] = []
    for day, sessions, pending in timetable_days(event, tz):
        heading = day_heading(day, language) if day else texts(language).render.other_sessions
        lines.append(line(Bold(f"{heading}:")))
        lines.extend(session_line(s, tz, language) for s in sessions)
        lines.extend(pending_line(p, language) for p in pending)
    return lines


def render_preview(
    series: Series, event: Event, language: str, tz: ZoneInfo, home: ZoneInfo
) -> Post:
    w = texts(language).render
    lines: list[Line] = [event_place_line(event, language), ()]
    lines.append(line(Bold(f"{w.timetable}"), f" {zone_note(tz, language, home)}"))
    lines.extend(timetable_lines(event, language, tz))
    all_links = [lk for s in event.sessions for lk in s.links] + list(event.links)
    streams, timing = _unique(_streams(all_links)), _unique(_timing(all_links))
    if streams or timing:
        lines.append(())
    if streams:
        lines.append(line(Bold(f"{w.streams}: "), *_link_spans(streams)))
    if timing:
        lines.append(line(Bold(f"{w.timing}: "), *_link_spans(timing)))
    facts = [
        w.length.format(km=_km(event.length_km, language)) if event.length_km else None,
        w.turns.format(n=event.turns) if event.turns else None,
    ]
    if any(facts):
        lines.append(line(Bold(f"{w.track}: "), " · ".join(f for f in facts if f)))
    extra: dict[str, str] = {}
    if event.photo is not None:  # the release's photo goes with the preview, credited
        extra["telegram_photo"] = event.photo.telegram
        if event.photo.credit:
            lines += [(), line(w.photo.format(credit=event.photo.credit))]
    return Post(
        title=f"🏁 {event_title(series, event, language)}",
        lines=tuple(lines),
        buttons=_buttons([*streams, *timing]),
        color=series.color,
        language=language,
        extra=extra,
    )


def _unique(links: Iterable[Link]) -> list[Link]:
    return list({(lk.label, lk.url): lk for lk in links}.values())


def _km(value: float, language: str) -> str:
    text = f"{value:.3f}"
    return text.replace(".", texts(language).render.decimal_mark)


def _session_title(ref: SessionRef, language: str) -> str:
    return f"{ref.session.name.get(language)} – {ref.event.name}"


def render_lead(ref: SessionRef, lead: int, language: str, tz: ZoneInfo, home: ZoneInfo) -> Post:
    w = texts(language).render
    left = countdown(timedelta(minutes=lead), language)
    title = "⏱ " + w.starts_in.format(name=_session_title(ref, language), left=left)
    lines: list[Line] = [
        line(f"{ref.series.name} · {w.round.format(n=ref.event.round)}"),
        line(
            Bold(f"{w.start}: "),
            Instant(ref.session.start, "day_time", relative=True),
            f" {zone_note(tz, language, home, short=True)}",
        ),
    ]
    lines.extend(_watch_lines(ref, language))
    return Post(
        title=title,
        lines=tuple(lines),
        buttons=_buttons(ref.links),
        color=ref.series.color,
        ping=True,
        kind=ref.session.kind.value,
        language=language,
    )


def _watch_lines(ref: SessionRef, language: str) -> list[Line]:
    w = texts(language).render
    out: list[Line] = []
    if _streams(ref.links):
        out.append(line(Bold(f"{w.watch}: "), *_link_spans(_streams(ref.links))))
    if _timing(ref.links):
        out.append(line(Bold(f"{w.timing}: "), *_link_spans(_timing(ref.links))))
    return out


def render_live(ref: SessionRef, language: str, tz: ZoneInfo, home: ZoneInfo) -> Post:
    w = texts(language).render
    lines: list[Line] = [
        line(
            f"{ref.series.name} · {w.round.format(n=ref.event.round)} · ",
            Instant(ref.session.start, "time"),
            f" {zone_note(tz, language, home, short=True)}",
        ),
    ]
    lines.extend(_watch_lines(ref, language))
    return Post(
        title="🔴 " + w.live_now.format(name=_session_title(ref, language)),
        lines=tuple(lines),
        buttons=_buttons(ref.links),
        color=ref.series.color,
        ping=True,
        kind=ref.session.kind.value,
        language=language,
    )


def render_change(
    ref: SessionRef, previous_start: datetime | None, language: str, tz: ZoneInfo, home: ZoneInfo
) -> Post:
    """A delay, a move or a cancellation, with the old time for comparison."""
    w = texts(language).render
    name = _session_title(ref, language)
    if ref.session.cancelled:
        return Post(
            title="❌ " + w.cancelled.format(name=name),
            lines=(line(w.cancelled_due, Instant(ref.session.start, "day_time"), "."),),
            color=ref.series.color,
            ping=True,
            kind=ref.session.kind.value,
            language=language,
        )
    new_line: list[Span] = [
        Bold(f"{w.new_time}: "),
        Instant(ref.session.start, "day_time", relative=True),
        Plain(f" {zone_note(tz, language, home, short=True)}"),
    ]
    if previous_start is not None and previous_start != ref.session.start:
        new_line.extend([Plain(f" – {w.old_time} "), Instant(previous_start, "time")])
        title = "⚠️ " + w.moved.format(name=name)
    else:
        title = "✅ " + w.restored.format(name=name)
    lines: list[Line] = [tuple(new_line), *_watch_lines(ref, language)]
    return Post(
        title=title,
        lines=tuple(lines),
        buttons=_buttons(ref.links),
        color=ref.series.color,
        ping=True,
        kind=ref.session.kind.value,
        language=language,
    )


def render_announcement(text: str, language: str) -> Post:
    """Staff text goes in as plain spans: the platform escapes it, nothing is interpreted."""
    body = tuple(line(part) if part else () for part in text.splitlines())
    return Post(
        title="📣 " + texts(language).render.from_team, lines=body, ping=True, language=language
    )


def render_next(
    ref: SessionRef, now: datetime, language: str, tz: ZoneInfo, home: ZoneInfo
) -> Post:
    """The /next answer: which session, when in Swedish time, how long left, where to watch."""
    w = texts(language).render
    left = countdown(ref.session.start - now, language)
    lines: list[Line] = [
        line(f"{ref.series.name} · {w.round.format(n=ref.event.round)}: {ref.event.name}"),
        line(
            Bold(f"{w.start}: "),
            Instant(ref.session.start, "day_time", relative=True),
            f" {zone_note(tz, language, home, short=True)} – {left}",
            f" ({w.tentative})" if ref.session.tentative else "",
        ),
        *_watch_lines(ref, language),
    ]
    return Post(
        title=f"⏭ {ref.session.name.get(language)} – {ref.event.name}",
        lines=tuple(lines),
        buttons=_buttons(ref.links),
        color=ref.series.color,
        language=language,
    )


def weekend_dates(event: Event, language: str, today: date) -> str:
    """'31 juli–1 augusti', with the year when it is not the current one."""
    text = date_range(event.first_day, event.last_day, language)
    return text if event.last_day.year == today.year else f"{text} {event.last_day.year}"


def dates_only_line(event: Event, language: str, today: date) -> str:
    """'Adria, 31 juli–1 augusti – tiderna kommer': a weekend whose times are not out yet."""
    dates = weekend_dates(event, language, today)
    return f"{event.name}, {dates} – {texts(language).render.times_to_come}"


def render_dates_only(
    series: Series, event: Event, language: str, today: date, tz: ZoneInfo
) -> Post:
    """/next and /schedule for a weekend with dates but no session times yet."""
    lines: list[Line] = [
        line(dates_only_line(event, language, today)),
        event_place_line(event, language),
    ]
    if event.pending:
        lines += [(), *timetable_lines(event, language, tz)]
    return Post(
        title=f"🏁 {event_title(series, event, language)}",
        lines=tuple(lines),
        color=series.color,
        language=language,
    )


def dated_weekends(catalog: Catalog, today: date) -> list[tuple[Series, Event]]:
    """Weekends not over yet that have dates but no session times, soonest first."""
    found = [
        (series, event)
        for series, event in catalog.events()
        if event.last_day >= today and not event.sessions
    ]
    return sorted(found, key=lambda pair: (pair[1].first_day, pair[0].id))
