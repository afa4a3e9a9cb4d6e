"""The daily digest (#14): "Idag: FP1 10:50 · FP2 13:10 · Kval 15:00", one post a day.

A chat that turns it on (``/settings digest on``) gets it instead of separate practice
reminders; qualifying and races keep their own reminders and "LIVE NU".
"""

from __future__ import annotations

import re
from datetime import date
from zoneinfo import ZoneInfo

from bot.core.markup import Instant, Post, format_instant, line
from bot.core.model import Event, Series, Session, SessionKind
from bot.core.texts import texts

_NUMBER = re.compile(r"(\d+)$")


def short_label(session: Session, language: str) -> str:
    """ "FP1", "Kval", "Race 2": the digest's names, as the releases abbreviate them."""
    chosen = texts(language)
    number = _NUMBER.search(session.id)
    n = number[1] if number else ""
    if session.kind is SessionKind.PRACTICE:
        return f"{chosen.digest_practice}{n}"
    if session.kind is SessionKind.QUALIFYING:
        return f"{chosen.digest_qualifying}{n}"
    if session.kind is SessionKind.RACE:
        return f"{chosen.digest_race} {n}".rstrip()
    return session.name.get(language)


def day_sessions(event: Event, day: date) -> list[Session]:
    """The weekend's timed sessions on ``day`` (the track's calendar day), in order."""
    return sorted(
        (
            s
            for s in event.sessions
            if not s.cancelled
            and not s.tentative
            and s.start.astimezone(event.track_tz).date() == day
        ),
        key=lambda s: s.start,
    )


def render_digest(series: Series, event: Event, day: date, language: str, tz: ZoneInfo) -> Post:
    """The day's sessions in the reader's zone; one on another of the reader's days shows it."""
    sessions = day_sessions(event, day)
    today = sessions[0].start.astimezone(tz).date() if sessions else day
    parts = []
    for one in sessions:
        same_day = one.start.astimezone(tz).date() == today
        when = format_instant(Instant(one.start, "time" if same_day else "day_time"), tz, language)
        parts.append(f"{short_label(one, language)} {when}")
    title = f"{texts(language).digest_today}: " + " · ".join(parts)
    return Post(
        title=title,
        lines=(line(f"{series.name} – {event.name}"),),
        color=series.color,
        ping=True,
        language=language,
    )
