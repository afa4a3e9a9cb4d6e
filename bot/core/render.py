"""Notification -> Post, in Swedish and English, in the voice of the team's press releases.

Every function takes the reader's language and display zone, and the home zone
(``[bot] timezone``), which it names in words: "(alla tider i svensk tid)", just as the
releases say "alla tidsangivelser avser svensk tid".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import Literal
from zoneinfo import ZoneInfo

from babel import Locale

from bot.core.choices import zone_place
from bot.core.markup import (
    Bold,
    Button,
    Countdown,
    Instant,
    Line,
    Plain,
    Post,
    Span,
    ZoneNote,
    line,
)
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
    home zone (``[bot] timezone``) in words, any other reader's zone as its place."""
    name = zone_words(tz.key, language) if tz.key == home.key else zone_place(tz.key, language)
    return f"({name})" if short else texts(language).render.all_times.format(zone=name)


def event_title(series: Series, event: Event, language: str) -> str:
    return f"{series.name} – {texts(language).render.round.format(n=event.round)}: {event.name}"


def event_place_line(event: Event, language: str) -> Line:
    place = ", ".join(p for p in (event.circuit, event.city) if p)
    where = f"{place}, {country_name(event.country, language)}"
    return line(where, " · ", date_range(event.first_day, event.last_day, language))


#: A button label longer than this is shown as its link's site ("youtube.com"): both
#: platforms cut long faces (Discord at 80 characters, a Telegram phone far sooner).
BUTTON_LABEL_MAX = 32


def _buttons(links: Iterable[Link], language: str) -> tuple[Button, ...]:
    """One button per address: each link once per post, as a button where the platform
    has them (every renderer shows ``buttons``; plain text as "[label] url"). Links that
    share an address under several labels ("LIVE TV RACE 1", "LIVE TV RACE 2") get the
    kind's word ("Live-sändning"); a face too long to show whole gets the site's name."""
    by_url: dict[str, list[Link]] = {}
    for link in links:
        if link.url:
            by_url.setdefault(link.url, []).append(link)
    buttons = []
    for url, same in by_url.items():
        labels = {lk.label for lk in same}
        label = same[0].label if len(labels) == 1 else _kind_word(same[0], language)
        if len(label) > BUTTON_LABEL_MAX:
            label = _site(url)
        buttons.append(Button(label, url))
    return tuple(buttons)


def _kind_word(link: Link, language: str) -> str:
    w = texts(language).render
    return w.timing if link.kind is LinkKind.TIMING else w.streams


def _site(url: str) -> str:
    """ "youtube.com" for https://www.youtube.com/@TCRTV."""
    host = url.split("://", 1)[-1].split("/", 1)[0].split("@")[-1].split(":")[0]
    return host.removeprefix("www.") or url[:BUTTON_LABEL_MAX]


def _unlinked(links: Iterable[Link]) -> list[Link]:
    """The links without an address (a TV channel named only): text, since no button can
    carry them."""
    return [lk for lk in links if not lk.url]


def _streams(links: Iterable[Link]) -> list[Link]:
    return [lk for lk in links if lk.kind is LinkKind.STREAM]


def _timing(links: Iterable[Link]) -> list[Link]:
    return [lk for lk in links if lk.kind is LinkKind.TIMING]


StreamMark = Literal["name", "mark", "none"]


def session_line(
    session: Session,
    tz: ZoneInfo,
    language: str,
    *,
    streams_shown: StreamMark = "name",
    local: bool = False,
) -> Line:
    """'15:30 Race 1 – LIVE: TV4 Play', like the release's timetable. The stream is named,
    not linked (its link is the post's button); ``mark`` says only " – LIVE" (the weekend's
    streamed sessions share their streams), ``none`` nothing (every session has them)."""
    spans: list[Span] = [
        Instant(session.start, "time", local=local),
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
    if streams and streams_shown == "name":
        spans.append(Plain(" – LIVE: " + ", ".join(_unique_labels(streams))))
    elif streams and streams_shown == "mark":
        spans.append(Plain(" – LIVE"))
    return tuple(spans)


def _unique_labels(links: Iterable[Link]) -> list[str]:
    return list(dict.fromkeys(lk.label for lk in links))


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


def _stream_mark(event: Event) -> StreamMark:
    """How session lines show their streams: not at all when every session has the same,
    a mark when the streamed ones share theirs, by name when they differ."""
    found = [tuple(sorted(lk.label for lk in _streams(s.links))) for s in event.sessions]
    streamed = {labels for labels in found if labels}
    if len(streamed) > 1:
        return "name"
    return "none" if all(found) else "mark"


def timetable_lines(
    event: Event, language: str, tz: ZoneInfo, *, local: bool = False
) -> list[Line]:
    """The day headings and session lines of a weekend, untimed sessions included; a
    session names its stream only when the weekend's sessions are not all on the same.
    ``local``: times each reader's platform may show in their own zone (a fan's preview;
    a staff draft checks them against the release, in its zone)."""
    lines: list[Line] = []
    shown = _stream_mark(event)
    for day, sessions, pending in timetable_days(event, tz):
        heading = day_heading(day, language) if day else texts(language).render.other_sessions
        lines.append(line(Bold(f"{heading}:")))
        lines.extend(
            session_line(s, tz, language, streams_shown=shown, local=local) for s in sessions
        )
        lines.extend(pending_line(p, language) for p in pending)
    return lines


def render_preview(
    series: Series, event: Event, language: str, tz: ZoneInfo, home: ZoneInfo
) -> Post:
    w = texts(language).render
    lines: list[Line] = [event_place_line(event, language), ()]
    lines.append(line(Bold(f"{w.timetable}"), " ", ZoneNote(zone_note(tz, language, home))))
    lines.extend(timetable_lines(event, language, tz, local=True))
    all_links = [lk for s in event.sessions for lk in s.links] + list(event.links)
    streams, timing = _unique(_streams(all_links)), _unique(_timing(all_links))
    lines.extend(_unlinked_lines([*streams, *timing], language, w.streams, blank=True))
    facts = [
        w.length.format(km=_km(event.length_km, language)) if event.length_km else None,
        w.turns.format(n=event.turns) if event.turns else None,
    ]
    if any(facts):
        lines.append(line(Bold(f"{w.track}: "), " · ".join(f for f in facts if f)))
    extra: dict[str, str] = {}
    if event.photo is not None:  # the release's photo goes with the preview, credited
        extra = event.photo.extra()
        if event.photo.credit:
            lines += [(), line(w.photo.format(credit=event.photo.credit))]
    return Post(
        title=f"🏁 {event_title(series, event, language)}",
        lines=tuple(lines),
        buttons=_buttons([*streams, *timing], language),
        color=series.color,
        language=language,
        extra=extra,
        pin=True,
    )


def _unique(links: Iterable[Link]) -> list[Link]:
    return list({(lk.label, lk.url): lk for lk in links}.values())


def _km(value: float, language: str) -> str:
    text = f"{value:.3f}"
    return text.replace(".", texts(language).render.decimal_mark)


def _session_title(ref: SessionRef, language: str) -> str:
    return f"{ref.session.name.get(language)} – {ref.event.name}"


def render_lead(ref: SessionRef, lead: int, language: str, tz: ZoneInfo, home: ZoneInfo) -> Post:
    name = _session_title(ref, language)
    w = texts(language).render
    title = _lead_title(name, timedelta(minutes=lead), language)
    lines: list[Line] = [
        line(f"{ref.series.name} · {w.round.format(n=ref.event.round)}"),
        line(
            Bold(f"{w.start}: "),
            Instant(ref.session.start, "day_time"),
            f" {zone_note(tz, language, home, short=True)}",
            Countdown(ref.session.start),
        ),
    ]
    lines.extend(_watch_lines(ref, language))
    return Post(
        title=title,
        lines=tuple(lines),
        buttons=_buttons(ref.links, language),
        color=ref.series.color,
        ping=True,
        kind=ref.session.kind.value,
        series=ref.series.id,
        language=language,
        # The countdown in the title is worked out again when each copy is sent
        # (``at_send_time``): a fan-out to many fans takes minutes.
        extra={COUNTDOWN: {"to": ref.session.start.isoformat(), "name": name}},
    )


#: ``Post.extra`` key of a title that counts down to an instant.
COUNTDOWN = "countdown"


def _lead_title(name: str, left: timedelta, language: str) -> str:
    left_text = countdown(left, language)
    return "⏱ " + texts(language).render.starts_in.format(name=name, left=left_text)


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
    """Where to watch, for the links no button carries (the rest are the post's buttons)."""
    return _unlinked_lines(ref.links, language, texts(language).render.watch)


def _unlinked_lines(
    links: Iterable[Link], language: str, streams_word: str, *, blank: bool = False
) -> list[Line]:
    """ "Se det live: Kanal 9" for streams named without an address, likewise timing."""
    w = texts(language).render
    found = [
        line(Bold(f"{word}: "), ", ".join(_unique_labels(named)))
        for word, named in (
            (streams_word, _unlinked(_streams(links))),
            (w.timing, _unlinked(_timing(links))),
        )
        if named
    ]
    return [(), *found] if found and blank else found


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
    name = _session_title(ref, language)
    # "LIVE NU" only with a stream to watch; live timing alone "starts now" (#14).
    title = (
        "🔴 " + w.live_now.format(name=name)
        if _streams(ref.links)
        else "🟢 " + texts(language).starting_now.format(name=name)
    )
    return Post(
        title=title,
        lines=tuple(lines),
        buttons=_buttons(ref.links, language),
        color=ref.series.color,
        ping=True,
        kind=ref.session.kind.value,
        series=ref.series.id,
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
            series=ref.series.id,
            language=language,
        )
    new_line: list[Span] = [
        Bold(f"{w.new_time}: "),
        Instant(ref.session.start, "day_time"),
        Plain(f" {zone_note(tz, language, home, short=True)}"),
        Countdown(ref.session.start),
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
        buttons=_buttons(ref.links, language),
        color=ref.series.color,
        ping=True,
        kind=ref.session.kind.value,
        series=ref.series.id,
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
            Instant(ref.session.start, "day_time"),
            f" {zone_note(tz, language, home, short=True)}",
            Countdown(ref.session.start, f" – {left}"),
            f" ({w.tentative})" if ref.session.tentative else "",
        ),
        *_watch_lines(ref, language),
    ]
    return Post(
        title=f"⏭ {ref.session.name.get(language)} – {ref.event.name}",
        lines=tuple(lines),
        buttons=_buttons(ref.links, language),
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
