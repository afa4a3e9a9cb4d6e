"""Notification -> Post, in Swedish and English, in the voice of the team's press releases.

Every function takes the reader's language and display zone; the Swedish default says
"(alla tider i svensk tid)" just as the releases say "alla tidsangivelser avser svensk tid".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
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
from bot.core.timeutil import SWEDISH_TIME, countdown, date_range, day_heading

WORDS = {
    "sv": {
        "round": "deltävling {n}",
        "round_of": "deltävling {n} av {total}",
        "timetable": "Tidsschema",
        "zone_swedish": "(alla tider i svensk tid)",
        "zone_other": "(alla tider i {zone})",
        "streams": "Live-sändning",
        "timing": "Live-timing",
        "track": "Om banan",
        "length": "Längd: {km} km",
        "turns": "Antal kurvor: {n}",
        "weekend": "Helgens schema",
        "starts_in": "{name} startar om {left}",
        "start": "Start",
        "watch": "Se det live",
        "live_now": "LIVE NU: {name}",
        "follow": "Följ",
        "moved": "Ändrat schema: {name} flyttas",
        "new_time": "Ny tid",
        "old_time": "tidigare",
        "cancelled": "Inställt: {name}",
        "cancelled_text": "{name} är inställt.",
        "restored": "{name} körs igen enligt schemat",
        "from_team": "Meddelande från teamet",
        "swedish_time": "svensk tid",
        "minutes": "{n} minuter",
        "tentative": "preliminär tid",
        "times_to_come": "tiderna kommer",
        "time_to_come": "tid kommer",
        "day_time_to_come": "dag och tid kommer",
        "other_sessions": "Övriga pass",
    },
    "en": {
        "round": "round {n}",
        "round_of": "round {n} of {total}",
        "timetable": "Timetable",
        "zone_swedish": "(all times Swedish time)",
        "zone_other": "(all times {zone})",
        "streams": "Livestream",
        "timing": "Live timing",
        "track": "About the track",
        "length": "Length: {km} km",
        "turns": "Corners: {n}",
        "weekend": "This weekend",
        "starts_in": "{name} starts in {left}",
        "start": "Start",
        "watch": "Watch live",
        "live_now": "LIVE NOW: {name}",
        "follow": "Follow",
        "moved": "Schedule change: {name} moved",
        "new_time": "New time",
        "old_time": "was",
        "cancelled": "Cancelled: {name}",
        "cancelled_text": "{name} has been cancelled.",
        "restored": "{name} is back on the schedule",
        "from_team": "From the team",
        "swedish_time": "Swedish time",
        "minutes": "{n} minutes",
        "tentative": "time TBC",
        "times_to_come": "times to come",
        "time_to_come": "time TBC",
        "day_time_to_come": "day and time TBC",
        "other_sessions": "Other sessions",
    },
}


def words(language: str) -> dict[str, str]:
    return WORDS["en" if language == "en" else "sv"]


def country_name(code: str, language: str) -> str:
    """Country names from CLDR (Babel), e.g. ES -> Spanien / Spain."""
    names = Locale("en" if language == "en" else "sv").territories
    return str(names.get(code, code))


def zone_note(tz: ZoneInfo, language: str, *, short: bool = False) -> str:
    """'(alla tider i svensk tid)' under a timetable, '(svensk tid)' after one time."""
    w = words(language)
    if tz.key == SWEDISH_TIME.key:
        return f"({w['swedish_time']})" if short else w["zone_swedish"]
    return f"({tz.key})" if short else w["zone_other"].format(zone=tz.key)


def event_title(series: Series, event: Event, language: str) -> str:
    return f"{series.name} – {words(language)['round'].format(n=event.round)}: {event.name}"


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
        spans.append(Plain(f" ({words(language)['tentative']})"))
    if session.cancelled:
        spans.append(Plain(" – " + words(language)["cancelled"].format(name="").rstrip(": ")))
    if session.note:
        spans.append(Plain(f" – {session.note.get(language)}"))
    streams = _streams(session.links)
    if streams:
        spans.append(Plain(" – LIVE: "))
        spans.extend(_link_spans(streams))
    return tuple(spans)


def pending_when(pending: PendingSession, language: str) -> str:
    """'tid kommer', or 'dag och tid kommer' when the release does not give the day either."""
    w = words(language)
    return w["time_to_come"] if pending.day is not None else w["day_time_to_come"]


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
        heading = day_heading(day, language) if day else words(language)["other_sessions"]
        lines.append(line(Bold(f"{heading}:")))
        lines.extend(session_line(s, tz, language) for s in sessions)
        lines.extend(pending_line(p, language) for p in pending)
    return lines


def render_preview(series: Series, event: Event, language: str, tz: ZoneInfo) -> Post:
    w = words(language)
    lines: list[Line] = [event_place_line(event, language), ()]
    lines.append(line(Bold(f"{w['timetable']}"), f" {zone_note(tz, language)}"))
    lines.extend(timetable_lines(event, language, tz))
    all_links = [lk for s in event.sessions for lk in s.links] + list(event.links)
    streams, timing = _unique(_streams(all_links)), _unique(_timing(all_links))
    if streams or timing:
        lines.append(())
    if streams:
        lines.append(line(Bold(f"{w['streams']}: "), *_link_spans(streams)))
    if timing:
        lines.append(line(Bold(f"{w['timing']}: "), *_link_spans(timing)))
    facts = [
        w["length"].format(km=_km(event.length_km, language)) if event.length_km else None,
        w["turns"].format(n=event.turns) if event.turns else None,
    ]
    if any(facts):
        lines.append(line(Bold(f"{w['track']}: "), " · ".join(f for f in facts if f)))
    return Post(
        title=f"🏁 {event_title(series, event, language)}",
        lines=tuple(lines),
        buttons=_buttons([*streams, *timing]),
        color=series.color,
        language=language,
    )


def _unique(links: Iterable[Link]) -> list[Link]:
    return list({(lk.label, lk.url): lk for lk in links}.values())


def _km(value: float, language: str) -> str:
    text = f"{value:.3f}"
    return text.replace(".", ",") if language == "sv" else text


def _session_title(ref: SessionRef, language: str) -> str:
    return f"{ref.session.name.get(language)} – {ref.event.name}"


def render_lead(ref: SessionRef, lead: int, language: str, tz: ZoneInfo) -> Post:
    name = _session_title(ref, language)
    w = words(language)
    title = _lead_title(name, timedelta(minutes=lead), language)
    lines: list[Line] = [
        line(f"{ref.series.name} · {w['round'].format(n=ref.event.round)}"),
        line(
            Bold(f"{w['start']}: "),
            Instant(ref.session.start, "day_time", relative=True),
            f" {zone_note(tz, language, short=True)}",
        ),
    ]
    lines.extend(_watch_lines(ref, language))
    return Post(
        title=title,
        lines=tuple(lines),
        buttons=_buttons(ref.links),
        color=ref.series.color,
        ping=True,
        language=language,
        # The countdown in the title is worked out again when each copy is sent
        # (``at_send_time``): a fan-out to many fans takes minutes.
        extra={COUNTDOWN: {"to": ref.session.start.isoformat(), "name": name}},
    )


#: ``Post.extra`` key of a title that counts down to an instant.
COUNTDOWN = "countdown"


def _lead_title(name: str, left: timedelta, language: str) -> str:
    return "⏱ " + words(language)["starts_in"].format(name=name, left=countdown(left, language))


def at_send_time(post: Post, now: datetime) -> Post:
    """The post as it should read at ``now``: a lead reminder's "startar om 15 min" says
    the minutes really left (rounded up) when this copy goes out, not when it was queued."""
    spec = post.extra.get(COUNTDOWN)
    if not spec:
        return post
    left = datetime.fromisoformat(spec["to"]) - now
    minutes = max(1, -(-int(left.total_seconds()) // 60))  # rounded up, never "0 min"
    title = _lead_title(spec["name"], timedelta(minutes=minutes), post.language)
    return replace(post, title=title)


def _watch_lines(ref: SessionRef, language: str) -> list[Line]:
    w = words(language)
    out: list[Line] = []
    if _streams(ref.links):
        out.append(line(Bold(f"{w['watch']}: "), *_link_spans(_streams(ref.links))))
    if _timing(ref.links):
        out.append(line(Bold(f"{w['timing']}: "), *_link_spans(_timing(ref.links))))
    return out


def render_live(ref: SessionRef, language: str, tz: ZoneInfo) -> Post:
    w = words(language)
    lines: list[Line] = [
        line(
            f"{ref.series.name} · {w['round'].format(n=ref.event.round)} · ",
            Instant(ref.session.start, "time"),
            f" {zone_note(tz, language, short=True)}",
        ),
    ]
    lines.extend(_watch_lines(ref, language))
    return Post(
        title="🔴 " + w["live_now"].format(name=_session_title(ref, language)),
        lines=tuple(lines),
        buttons=_buttons(ref.links),
        color=ref.series.color,
        ping=True,
        language=language,
    )


def render_change(
    ref: SessionRef, previous_start: datetime | None, language: str, tz: ZoneInfo
) -> Post:
    """A delay, a move or a cancellation, with the old time for comparison."""
    w = words(language)
    name = _session_title(ref, language)
    if ref.session.cancelled:
        return Post(
            title="❌ " + w["cancelled"].format(name=name),
            lines=(line(w["cancelled_text"].format(name=name)),),
            color=ref.series.color,
            ping=True,
            language=language,
        )
    new_line: list[Span] = [
        Bold(f"{w['new_time']}: "),
        Instant(ref.session.start, "day_time", relative=True),
        Plain(f" {zone_note(tz, language, short=True)}"),
    ]
    if previous_start is not None and previous_start != ref.session.start:
        new_line.extend([Plain(f" – {w['old_time']} "), Instant(previous_start, "time")])
        title = "⚠️ " + w["moved"].format(name=name)
    else:
        title = "✅ " + w["restored"].format(name=name)
    lines: list[Line] = [tuple(new_line), *_watch_lines(ref, language)]
    return Post(
        title=title,
        lines=tuple(lines),
        buttons=_buttons(ref.links),
        color=ref.series.color,
        ping=True,
        language=language,
    )


def render_announcement(text: str, language: str) -> Post:
    """Staff text goes in as plain spans: the platform escapes it, nothing is interpreted."""
    body = tuple(line(part) if part else () for part in text.splitlines())
    return Post(
        title="📣 " + words(language)["from_team"], lines=body, ping=True, language=language
    )


def render_next(ref: SessionRef, now: datetime, language: str, tz: ZoneInfo) -> Post:
    """The /next answer: which session, when in Swedish time, how long left, where to watch."""
    w = words(language)
    left = countdown(ref.session.start - now, language)
    lines: list[Line] = [
        line(f"{ref.series.name} · {w['round'].format(n=ref.event.round)}: {ref.event.name}"),
        line(
            Bold(f"{w['start']}: "),
            Instant(ref.session.start, "day_time", relative=True),
            f" {zone_note(tz, language, short=True)} – {left}",
            f" ({w['tentative']})" if ref.session.tentative else "",
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
    return f"{event.name}, {dates} – {words(language)['times_to_come']}"


def render_dates_only(series: Series, event: Event, language: str, today: date) -> Post:
    """/next and /schedule for a weekend with dates but no session times yet."""
    lines: list[Line] = [
        line(dates_only_line(event, language, today)),
        event_place_line(event, language),
    ]
    if event.pending:
        lines += [(), *timetable_lines(event, language, SWEDISH_TIME)]
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
