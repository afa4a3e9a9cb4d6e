"""iCalendar feeds of the race weekends, for fans to subscribe to from any calendar app.

Every session keeps one UID for life and carries the store's SEQUENCE, so a delay or a
cancellation replaces the copy in the fan's calendar instead of adding a second one;
cancelled sessions stay in the feed as STATUS:CANCELLED for the same reason. The same
input always gives the same bytes, so HTTP ETags stay stable between polls.
"""

from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import ics
from ics.grammar.parse import ContentLine
from ics.parsers.event_parser import EventParser
from ics.parsers.icalendar_parser import CalendarParser
from ics.serializers.event_serializer import EventSerializer
from ics.serializers.icalendar_serializer import CalendarSerializer
from ics.utils import escape_string

from bot.core.errors import UserError
from bot.core.model import Catalog, Event, Link, LinkKind, Series, SessionKind, SessionRef
from bot.core.notices import SessionStateInfo
from bot.core.render import country_name, event_title
from bot.core.texts import LANGUAGES, texts
from bot.core.timeutil import SWEDISH_TIME, countdown, short_day

PRODID = "-//racebot//race weekend calendar//SV"
#: Longest reminder a feed may ask for: one week.
MAX_ALARM_MINUTES = 7 * 24 * 60
MAX_ALARMS = 5
#: RFC 5545 3.1: content lines are folded at 75 octets.
LINE_OCTETS = 75
#: How often subscribed clients should poll (Apple/Outlook and Google's X- variant).
REFRESH = "PT1H"


def calendar_urls(public_url: str, series_id: str | None = None) -> tuple[str, str]:
    """(https URL, webcal URL) of a feed, for the page and the chat /calendar commands."""
    https = f"{public_url.rstrip('/')}/calendar/{quote(series_id or 'all', safe='')}.ics"
    scheme, sep, rest = https.partition("://")
    return https, (f"webcal://{rest}" if sep and scheme in ("http", "https") else https)


#: Babel builds a Locale per call; a feed asks the same few countries hundreds of times.
_country_name = functools.cache(country_name)


@dataclass(frozen=True, slots=True)
class FeedOptions:
    """What a subscriber asked for in the feed URL's query."""

    language: str = "sv"
    alarms: tuple[int, ...] = ()
    kinds: frozenset[SessionKind] | None = None
    #: A personal feed's series (None: every series); see ``bot.core.feeds``.
    series: frozenset[str] | None = None


def parse_options(query: Mapping[str, str]) -> FeedOptions:
    """Validate ``lang``, ``alarm`` and ``kinds``; unknown keys (tracking tags) are ignored."""
    return FeedOptions(
        language=_language(query.get("lang", "")),
        alarms=_alarms(query.get("alarm", "")),
        kinds=_kinds(query.get("kinds", "")),
    )


def _language(value: str) -> str:
    value = value.strip().lower() or "sv"
    if value not in LANGUAGES:
        raise UserError(f"Unknown language {value!r}.", "Use lang=sv or lang=en.")
    return value


def _alarms(value: str) -> tuple[int, ...]:
    parts = [p.strip() for p in value.split(",") if p.strip()]
    hint = f"Give minutes before the start, 1 to {MAX_ALARM_MINUTES}, e.g. alarm=15,60."
    if len(parts) > MAX_ALARMS:
        raise UserError(f"At most {MAX_ALARMS} alarms per feed.", hint)
    minutes: set[int] = set()
    for part in parts:
        if not re.fullmatch(r"\d{1,5}", part) or not 1 <= int(part) <= MAX_ALARM_MINUTES:
            raise UserError(f"Bad alarm {part!r}.", hint)
        minutes.add(int(part))
    return tuple(sorted(minutes))


def _kinds(value: str) -> frozenset[SessionKind] | None:
    parts = [p.strip().lower() for p in value.split(",") if p.strip()]
    if not parts:
        return None
    known = {kind.value for kind in SessionKind}
    unknown = [p for p in parts if p not in known]
    if unknown:
        raise UserError(
            f"Unknown session kind {unknown[0]!r}.",
            f"Use a comma-separated list of: {', '.join(k.value for k in SessionKind)}.",
        )
    return frozenset(SessionKind(p) for p in parts)


def session_uid(key: str) -> str:
    """The session's UID for life: its key with '/' made a dot (ids never contain dots)."""
    return re.sub(r"[^A-Za-z0-9-]+", ".", key) + "@racebot"


def build_calendar(
    catalog: Catalog,
    states: Mapping[str, SessionStateInfo],
    *,
    series_id: str | None = None,
    language: str = "sv",
    alarms: Sequence[int] = (),
    kinds: Collection[SessionKind] | None = None,
    now: datetime,
    public_url: str,
    calendar_name: str = "racebot",
    home: ZoneInfo = SWEDISH_TIME,
    series_ids: Collection[str] | None = None,
) -> str:
    """The whole feed as RFC 5545 text (CRLF, folded): a VEVENT per session, and an all-day
    one per weekend (the only one while a weekend has dates but no times yet).

    DTSTAMP is the session's last change in the store; sessions the store has not seen yet
    take the newest change of any session, and only with no states at all (the CLI) ``now``.
    """
    alarms = tuple(alarms)
    series = catalog.get(series_id) if series_id is not None else None
    if series_id is not None and series is None:
        raise UserError(f"Unknown series {series_id!r}.")
    fallback = max((state.modified_at for state in states.values()), default=now)
    calendar = _FeedCalendar(creator=PRODID)
    calendar.method = "PUBLISH"
    entries: list[tuple[Any, str]] = []
    name = f"{series.name} {series.season}" if series else texts(language).render.all_races
    calendar.extra.extend(_calendar_lines(f"{calendar_name} – {name}", home))
    for ref in catalog.sessions():
        if series_id is not None and ref.series.id != series_id:
            continue
        if kinds is not None and ref.session.kind not in kinds:
            continue
        if series_ids is not None and ref.series.id not in series_ids:
            continue
        state = states.get(ref.key)
        pins: tuple[Any, ...] = (ref.session,)
        key = (id(ref.session), *_about(ref.series, ref.event), ref.event.city)
        key += (ref.event.country, state, language, alarms, fallback, public_url)
        text = _SEEN.get(key, pins)
        if text is None:
            text = _event_text(ref, state, language, alarms, fallback, public_url)
            _SEEN.put(key, pins, text)
        entries.append(text)
    for owner, event in catalog.events():
        # a feed of chosen session kinds still shows weekends whose times are not out yet
        if series_ids is not None and owner.id not in series_ids:
            continue
        if (series_id is None or owner.id == series_id) and (kinds is None or not event.sessions):
            pins = tuple(event.sessions)
            key = ("weekend", *map(id, pins), *_about(owner, event), event.city, event.country)
            key += (event.first_day, event.last_day, language, fallback, public_url, home.key)
            text = _SEEN.get(key, pins)
            if text is None:
                text = _weekend_text(owner, event, language, fallback, public_url, home)
                _SEEN.put(key, pins, text)
            entries.append(text)
    head = fold(calendar.serialize())  # the calendar's own lines; its events follow
    end = "END:VCALENDAR\r\n"
    body = "".join(text for _, text in sorted(entries, key=lambda item: item[0]))
    return head.removesuffix(end) + body + end


def weekend_uid(series_id: str, event_id: str) -> str:
    """The weekend's all-day entry: one UID from the calendar's dates to the final times."""
    return session_uid(f"{series_id}/{event_id}")


def _weekend_text(
    series: Series,
    event: Event,
    language: str,
    fallback: datetime,
    public_url: str,
    home: ZoneInfo,
) -> tuple[Any, str]:
    """The whole weekend as an all-day entry; "times to come" until the sessions are out.

    It stays once the times arrive (SEQUENCE 1, the timetable in its description), so a
    fan's calendar updates the entry it already has instead of keeping a stale one.
    """
    w = texts(language).render
    timed = [s for s in event.sessions if not s.cancelled]
    name = f"{series.name} · {event.name}"
    lines = [event_title(series, event, language)]
    if not timed:
        name = f"{name} – {w.times_to_come}"
        lines.append(w.times_to_come.capitalize())
    for session in timed:
        at = session.start.astimezone(home)
        mark = f" ({w.tentative})" if session.tentative else ""
        lines.append(
            f"{short_day(at.date(), language)} {at:%H:%M} {session.name.get(language)}{mark}"
        )
    fields = {
        "name": name,
        "begin": event.first_day,
        "uid": weekend_uid(series.id, event.id),
        "description": "\n".join(lines),
        "created": fallback,
        "location": ", ".join(
            p for p in (event.circuit, event.city, _country_name(event.country, language)) if p
        ),
        "url": public_url or None,
        "transparent": True,
        "status": "CONFIRMED",
    }
    end, sequence = event.last_day + timedelta(days=1), "1" if timed else "0"

    def make() -> Any:
        entry = _FeedEvent(**fields)
        entry.make_all_day()
        entry.end = end
        entry.extra.append(ContentLine("SEQUENCE", value=sequence))
        return entry

    return _TEXTS.get(("weekend", *fields.values(), end, sequence), make)


def _calendar_lines(name: str, home: ZoneInfo) -> list[Any]:
    return [
        ContentLine("X-WR-CALNAME", value=escape_string(name)),
        ContentLine("X-WR-TIMEZONE", value=home.key),
        ContentLine("REFRESH-INTERVAL", params={"VALUE": ["DURATION"]}, value=REFRESH),
        ContentLine("X-PUBLISHED-TTL", value=REFRESH),
    ]


def summary(ref: SessionRef, language: str) -> str:
    """'TCR Europe · Jarama · Race 1', marked when cancelled (many apps ignore STATUS)."""
    text = f"{ref.series.name} · {ref.event.name} · {ref.session.name.get(language)}"
    if ref.session.tentative:
        text = f"{text} ({texts(language).render.tentative})"
    return texts(language).render.cancelled.format(name=text) if ref.session.cancelled else text


def location(ref: SessionRef, language: str) -> str:
    event = ref.event
    parts = (event.circuit, event.city, _country_name(event.country, language))
    return ", ".join(p for p in parts if p)


def description(ref: SessionRef, language: str) -> str:
    """The weekend, any note, and where to watch and follow the timing, labelled."""
    w = texts(language).render
    lines = [event_title(ref.series, ref.event, language)]
    if ref.session.note:
        lines.append(ref.session.note.get(language))
    if ref.session.cancelled:
        lines.append(w.cancelled_text.format(name=ref.session.name.get(language)))
    for heading, kind in ((w.streams, LinkKind.STREAM), (w.timing, LinkKind.TIMING)):
        links = [link for link in ref.links if link.kind is kind]
        if links:
            lines.append(f"{heading}:")
            lines.extend(_link_text(link) for link in links)
    return "\n".join(lines)


def _link_text(link: Link) -> str:
    return f"{link.label}: {link.url}" if link.url else link.label


def _event_text(
    ref: SessionRef,
    state: SessionStateInfo | None,
    language: str,
    alarms: Iterable[int],
    fallback: datetime,
    public_url: str,
) -> tuple[Any, str]:
    """One session's VEVENT: its sort key and text, serialized only when what it says
    changed (``_TEXTS``): the fields are cheap to work out, serializing them is not."""
    session = ref.session
    stream = next((lk.url for lk in ref.links if lk.kind is LinkKind.STREAM and lk.url), None)
    fields = {
        "name": summary(ref, language),
        "begin": session.start,
        "end": session.end,
        "uid": session_uid(ref.key),
        "description": description(ref, language),
        "created": state.modified_at if state else fallback,  # ics-py writes it as DTSTAMP
        "last_modified": state.modified_at if state else None,
        "location": location(ref, language),
        "url": stream or public_url or None,
        "transparent": True,  # a race on TV does not make the fan busy
        "status": "CANCELLED"
        if session.cancelled
        else ("TENTATIVE" if session.tentative else "CONFIRMED"),
    }
    reminders = () if session.cancelled else tuple(_alarm_spec(ref, m, language) for m in alarms)
    sequence = str(state.sequence if state else 0)

    def make() -> Any:
        alarm_list = [ics.DisplayAlarm(trigger=t, display_text=x) for t, x in reminders]
        event = _FeedEvent(**fields, alarms=alarm_list)
        event.extra.append(ContentLine("SEQUENCE", value=sequence))
        return event

    return _TEXTS.get(("session", *fields.values(), reminders, sequence), make)


def _alarm_spec(ref: SessionRef, minutes: int, language: str) -> tuple[timedelta, str]:
    left = countdown(timedelta(minutes=minutes), language)
    text = texts(language).render.starts_in.format(name=summary(ref, language), left=left)
    return timedelta(minutes=-minutes), text


class _TextCache:
    """Serialized components by everything they say, the least recently used dropped past
    ``size``; thread-safe, so a feed may be built off the event loop."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._texts: OrderedDict[tuple[Any, ...], tuple[Any, str]] = OrderedDict()
        self._lock = threading.Lock()
        self.built = 0

    def get(self, key: tuple[Any, ...], make: Callable[[], Any]) -> tuple[Any, str]:
        with self._lock:
            hit = self._texts.get(key)
            if hit is not None:
                self._texts.move_to_end(key)
                return hit
        component = make()
        value = ((component.begin.datetime, component.uid), fold(component.serialize()))
        with self._lock:
            self.built += 1
            self._texts[key] = value
            while len(self._texts) > self.size:
                self._texts.popitem(last=False)
        return value


#: Every session in a few languages and alarm choices: 500 sessions x 2 x a few.
_TEXTS = _TextCache(20_000)


class _SeenCache:
    """A component's text by the very objects it was made from plus the plain values it
    reads off its weekend and series: the catalog is immutable, and an unchanged session
    is the same object in the next catalog, so an unchanged component costs a lookup, not
    even working its fields out. The objects are kept with the text (``pins``), so an
    ``id`` in a key is never taken for another object's."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._seen: OrderedDict[tuple[Any, ...], tuple[tuple[Any, ...], tuple[Any, str]]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...], pins: tuple[Any, ...]) -> tuple[Any, str] | None:
        with self._lock:
            hit = self._seen.get(key)
        if hit is None or len(hit[0]) != len(pins):
            return None
        was, text = hit
        return text if all(a is b for a, b in zip(was, pins, strict=True)) else None

    def put(self, key: tuple[Any, ...], pins: tuple[Any, ...], text: tuple[Any, str]) -> None:
        with self._lock:
            self._seen[key] = (pins, text)
            while len(self._seen) > self.size:
                self._seen.popitem(last=False)


def _about(series: Series, event: Event) -> tuple[Any, ...]:
    """What a component reads off its series and weekend besides the sessions (a delay
    elsewhere makes new Series and Event objects with the same values)."""
    return (series.id, series.name, event.id, event.name, event.round, event.circuit)


_SEEN = _SeenCache(20_000)


def fold(text: str) -> str:
    """CRLF after every line and lines folded at 75 octets, never inside a UTF-8 character."""
    return "".join(_fold_line(line) + "\r\n" for line in text.split("\r\n"))


def _fold_line(line: str) -> str:
    data = line.encode("utf-8")
    if len(data) <= LINE_OCTETS:
        return line
    chunks: list[bytes] = []
    start, limit = 0, LINE_OCTETS
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character
            end -= 1
        chunks.append(data[start:end])
        start, limit = end, LINE_OCTETS - 1  # the leading space counts
    chunks.append(data[start:])
    return b"\r\n ".join(chunks).decode("utf-8")


# ics-py 0.7 writes VEVENTs before METHOD, VALARMs among the event's properties (with a
# FutureWarning) and events in set order. RFC 5545 wants properties before components, and
# ETags want a stable order, so these put components last, events in time order.


class _CalendarSerializer(CalendarSerializer):  # type: ignore[misc]
    @staticmethod
    def serialize_event(calendar: Any, container: Any) -> None:
        """Events go last, see serialize_zz_events."""

    @staticmethod
    def serialize_zz_events(calendar: Any, container: Any) -> None:
        """Events are cached apart and spliced in by ``build_calendar``."""


class _EventSerializer(EventSerializer):  # type: ignore[misc]
    @staticmethod
    def serialize_alarm(event: Any, container: Any) -> None:
        """Alarms go last, see serialize_zz_alarms."""

    @staticmethod
    def serialize_zz_alarms(event: Any, container: Any) -> None:
        for alarm in event.alarms:
            container.append(alarm.serialize())


class _FeedCalendar(ics.Calendar):  # type: ignore[misc]
    class Meta:
        name = "VCALENDAR"
        parser = CalendarParser
        serializer = _CalendarSerializer


class _FeedEvent(ics.Event):  # type: ignore[misc]
    class Meta:
        name = "VEVENT"
        parser = EventParser
        serializer = _EventSerializer
