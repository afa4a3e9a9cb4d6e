"""The race-weekend domain: series, weekends (events), sessions, links and drivers.

Plain frozen dataclasses with no I/O. Every instant is aware UTC; the track's and the
reader's zones are applied only when something is shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo


class SessionKind(StrEnum):
    PRACTICE = "practice"
    QUALIFYING = "qualifying"
    RACE = "race"
    OTHER = "other"


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class LinkKind(StrEnum):
    STREAM = "stream"
    TIMING = "timing"
    INFO = "info"


#: How long a session lasts when the timetable does not say; used for "live now"
#: windows and calendar end times.
DEFAULT_DURATION = {
    SessionKind.PRACTICE: timedelta(minutes=45),
    SessionKind.QUALIFYING: timedelta(minutes=30),
    SessionKind.RACE: timedelta(minutes=45),
    SessionKind.OTHER: timedelta(minutes=60),
}


@dataclass(frozen=True, slots=True)
class Link:
    """A livestream, live-timing page or info page, labelled as the press release labels it."""

    label: str
    url: str | None = None
    kind: LinkKind = LinkKind.STREAM
    language: str | None = None
    #: Added to every session of its series/event by the loader (e.g. live timing).
    every_session: bool = False


@dataclass(frozen=True, slots=True)
class Text:
    """A text in Swedish and English; English falls back to Swedish when missing."""

    sv: str
    en: str

    def get(self, language: str) -> str:
        return {"sv": self.sv, "en": self.en}.get(language, self.sv)


@dataclass(frozen=True, slots=True)
class Session:
    id: str
    name: Text
    kind: SessionKind
    start: datetime
    duration: timedelta | None = None
    links: tuple[Link, ...] = ()
    note: Text | None = None
    status: SessionStatus = SessionStatus.SCHEDULED
    #: The time is provisional ("TBC", "preliminär tid"): shown as such, never reminded.
    tentative: bool = False

    @property
    def end(self) -> datetime:
        return self.start + (self.duration or DEFAULT_DURATION[self.kind])

    @property
    def cancelled(self) -> bool:
        return self.status is SessionStatus.CANCELLED


@dataclass(frozen=True, slots=True)
class SessionTemplate:
    """A session the series format promises before its time is published."""

    id: str
    name: Text
    kind: SessionKind


@dataclass(frozen=True, slots=True)
class PendingSession:
    """A session the weekend has but whose time is not published yet ("TBA – Tidskval").

    Real data fans should see ("Tidskval – tid kommer"), kept apart from the timed
    sessions so nothing that reminds, goes live or fills a feed can mistake it for a time.
    ``day`` is the calendar day the release lists it under, when it says; with no time
    there is nothing to convert between zones.
    """

    id: str
    name: Text
    kind: SessionKind
    day: date | None = None
    note: Text | None = None


@dataclass(frozen=True, slots=True)
class Photo:
    """A photo staff sent with a press release, for the weekend preview or the results post,
    and the release's credit line ("FIA WTCR"). ``image`` names its bytes, kept in the
    database since it was sent (``release_images``): each platform uploads them. Photos
    kept before that have the Telegram file (its file_id) or the Discord attachment (its
    CDN URL, which expires within a day) instead."""

    telegram: str | None = None
    credit: str | None = None
    discord: str | None = None
    image: str | None = None

    @classmethod
    def stored(cls, photo: dict[str, Any]) -> Photo:
        """From its stored form, ``{"image": …, "credit": …}`` (or the older
        ``{"telegram": …, "discord": …, "credit": …}``)."""

        def text(key: str) -> str | None:
            return str(photo[key]) if photo.get(key) else None

        return cls(text("telegram"), text("credit"), text("discord"), text("image"))

    def extra(self) -> dict[str, str]:
        """A post's extras that carry it: the stored image both platforms upload, or
        (older photos) a Telegram photo (its file, or the Discord URL, which Telegram
        fetches itself) and a Discord embed image (a URL only)."""
        if self.image:
            return {"photo_image": self.image}
        extra: dict[str, str] = {}
        if self.telegram or self.discord:
            extra["telegram_photo"] = self.telegram or self.discord or ""
        if self.discord:
            extra["discord_image"] = self.discord
        return extra


@dataclass(frozen=True, slots=True)
class Driver:
    id: str
    first_name: str
    last_name: str
    country: str | None = None
    number: int | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True, slots=True)
class Event:
    """One race weekend."""

    id: str
    round: int
    name: str
    circuit: str
    country: str
    track_tz: ZoneInfo
    first_day: date
    last_day: date
    city: str | None = None
    sessions: tuple[Session, ...] = ()
    links: tuple[Link, ...] = ()
    length_km: float | None = None
    turns: int | None = None
    #: Sessions without a time yet; they become sessions when the file gives the time.
    pending: tuple[PendingSession, ...] = ()
    #: A photo sent with the release that made this weekend (never from a file).
    photo: Photo | None = None
    #: The cars entered this weekend (``grid`` of the event), where the file says.
    grid: int | None = None

    def session(self, session_id: str) -> Session | None:
        return next((s for s in self.sessions if s.id == session_id), None)

    @property
    def starts(self) -> datetime | None:
        return min((s.start for s in self.sessions), default=None)

    @property
    def ends(self) -> datetime | None:
        return max((s.end for s in self.sessions), default=None)


@dataclass(frozen=True, slots=True)
class Series:
    """One series-season, as one schedule file describes it."""

    id: str
    name: str
    season: int
    color: int = 0x1F6FEB
    rounds: int | None = None
    drivers: tuple[Driver, ...] = ()
    events: tuple[Event, ...] = ()
    links: tuple[Link, ...] = ()
    format: tuple[SessionTemplate, ...] = ()
    source: str | None = None
    #: The cars a weekend of the series has (``[series] grid``), where the file says.
    grid: int | None = None

    def event(self, event_id: str) -> Event | None:
        return next((e for e in self.events if e.id == event_id), None)

    def grid_of(self, event: Event | None) -> int | None:
        """The entries of one weekend: its own ``grid``, else the series', else unknown."""
        return (event.grid if event is not None else None) or self.grid


@dataclass(frozen=True, slots=True)
class SessionRef:
    """A session with the weekend and series it belongs to, addressable by one key."""

    series: Series
    event: Event
    session: Session

    @property
    def key(self) -> str:
        return session_key(self.series.id, self.event.id, self.session.id)

    @property
    def links(self) -> tuple[Link, ...]:
        """Where to follow this session: its own links, resolved by the schedule loader."""
        return self.session.links


def session_key(series_id: str, event_id: str, session_id: str) -> str:
    return f"{series_id}/{event_id}/{session_id}"


@dataclass(frozen=True, slots=True)
class Catalog:
    """Every loaded series; the single source of truth for *when*."""

    series: tuple[Series, ...] = field(default_factory=tuple)
    #: Session key -> session, built once: the engine looks sessions up on every fire.
    _by_key: dict[str, SessionRef] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {ref.key: ref for ref in self.sessions()})

    def get(self, series_id: str) -> Series | None:
        return next((s for s in self.series if s.id == series_id), None)

    def sessions(self) -> Iterator[SessionRef]:
        for series in self.series:
            for event in series.events:
                for session in event.sessions:
                    yield SessionRef(series, event, session)

    def find(self, key: str) -> SessionRef | None:
        return self._by_key.get(key)

    def events(self) -> Iterator[tuple[Series, Event]]:
        for series in self.series:
            for event in series.events:
                yield series, event

    def replace_session(self, key: str, session: Session) -> Catalog:
        """A new catalog with one session swapped (staff delay/cancel)."""
        new_series = []
        for series in self.series:
            events = []
            for event in series.events:
                sessions = tuple(
                    session if session_key(series.id, event.id, s.id) == key else s
                    for s in event.sessions
                )
                events.append(replace(event, sessions=sessions))
            new_series.append(replace(series, events=tuple(events)))
        return Catalog(tuple(new_series))
