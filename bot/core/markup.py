"""Platform-neutral posts: a tiny document model every renderer writes and every platform reads.

The core never produces HTML or Markdown. A post is lines of spans (plain text, bold,
links, instants); each platform adapter turns spans into its own markup and does the
escaping, so user text can never inject markup on any platform. Instants stay instants
until the last moment so every reader sees them in their own display zone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from bot.core.timeutil import SWEDISH_TIME, short_day

TimeStyle = Literal["time", "day_time", "day"]


@dataclass(frozen=True, slots=True)
class Plain:
    text: str


@dataclass(frozen=True, slots=True)
class Bold:
    text: str


@dataclass(frozen=True, slots=True)
class Href:
    text: str
    url: str


@dataclass(frozen=True, slots=True)
class Instant:
    """A moment shown in the reader's zone. ``local``: a platform that can show each
    reader their own device's time (Discord's ``<t:…:t>``) does so; the text around it
    then says so with a ``ZoneNote``, never the home zone's time as well."""

    at: datetime
    style: TimeStyle = "day_time"
    local: bool = False


@dataclass(frozen=True, slots=True)
class Countdown:
    """Time left until ``at``: a live countdown where the platform has one (Discord's
    ``<t:…:R>``, after " · "), else ``text`` as written (its own separator; may be empty)."""

    at: datetime
    text: str = ""


@dataclass(frozen=True, slots=True)
class ZoneNote:
    """'(alla tider i svensk tid)' over a timetable: ``text`` where times are shown in a
    named zone; a platform that shows ``local`` instants in each reader's zone says that."""

    text: str


@dataclass(frozen=True, slots=True)
class Spoiler:
    """A place or status in a result: hidden (tap to show) for chats that avoid spoilers,
    plain for the others (``reveal``); bold when ``bold``."""

    text: str
    bold: bool = False


Span = Plain | Bold | Href | Instant | Spoiler | Countdown | ZoneNote
Line = tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class Post:
    """One message as the core means it; ``ping`` allows the alert-role mention."""

    title: str
    lines: tuple[Line, ...] = ()
    buttons: tuple[Button, ...] = ()
    color: int | None = None
    ping: bool = False
    #: The session kind a session post is about (None: not about one session); which
    #: of a server's roles ``ping`` reaches depends on it (``bot.core.pings``).
    kind: str | None = None
    #: The series a session post is about: a server's role for that series is pinged.
    series: str | None = None
    language: str = "sv"
    footer: str | None = None
    #: Pin it where the bot may (the weekend preview), unpinning the one before.
    pin: bool = False
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    #: Send without a notification sound (a chat's quiet hours); decided at send time,
    #: never stored with the post.
    silent: bool = False

    def to_json(self) -> str:
        return json.dumps(_encode(self), ensure_ascii=False, sort_keys=True)

    @staticmethod
    def from_json(text: str) -> Post:
        return _decode_post(json.loads(text))


def line(*parts: Span | str) -> Line:
    """Build a line; bare strings are plain text."""
    return tuple(Plain(p) if isinstance(p, str) else p for p in parts)


def reveal(post: Post) -> Post:
    """The post with every spoiler shown as ordinary text (or bold) for chats that want it."""
    if not any(isinstance(span, Spoiler) for ln in post.lines for span in ln):
        return post
    lines = tuple(
        tuple(
            (Bold(s.text) if s.bold else Plain(s.text)) if isinstance(s, Spoiler) else s for s in ln
        )
        for ln in post.lines
    )
    return replace(post, lines=lines)


def format_instant(span: Instant, tz: ZoneInfo, language: str) -> str:
    moment = span.at.astimezone(tz)
    if span.style == "time":
        return moment.strftime("%H:%M")
    if span.style == "day":
        return short_day(moment.date(), language)
    return f"{short_day(moment.date(), language)} {moment:%H:%M}"


def plain_text(post: Post, tz: ZoneInfo = SWEDISH_TIME) -> str:
    """The post as plain text (console, previews, tests, notification fallbacks)."""
    out = [post.title] if post.title else []
    for ln in post.lines:
        out.append("".join(_plain_span(span, tz, post.language) for span in ln))
    for button in post.buttons:
        out.append(f"[{button.label}] {button.url}")
    if post.footer:
        out.append(post.footer)
    return "\n".join(out)


def _plain_span(span: Span, tz: ZoneInfo, language: str) -> str:
    if isinstance(span, Instant):
        return format_instant(span, tz, language)
    if isinstance(span, Href):
        return f"{span.text} ({span.url})"
    if isinstance(span, Spoiler):
        return f"||{span.text}||"
    return span.text


def _encode(post: Post) -> dict[str, Any]:
    return {
        "title": post.title,
        "lines": [[_encode_span(s) for s in ln] for ln in post.lines],
        "buttons": [[b.label, b.url] for b in post.buttons],
        "color": post.color,
        "ping": post.ping,
        "kind": post.kind,
        "series": post.series,
        "language": post.language,
        "footer": post.footer,
        "pin": post.pin,
        "extra": post.extra,
    }


def _encode_span(span: Span) -> list[Any]:
    if isinstance(span, Plain):
        return ["t", span.text]
    if isinstance(span, Bold):
        return ["b", span.text]
    if isinstance(span, Href):
        return ["a", span.text, span.url]
    if isinstance(span, Spoiler):
        return ["s", span.text, span.bold]
    if isinstance(span, Countdown):
        return ["c", span.at.isoformat(), span.text]
    if isinstance(span, ZoneNote):
        return ["z", span.text]
    # Index 3 held a flag no longer used (rows queued before it went decode unchanged).
    return ["i", span.at.isoformat(), span.style, False, span.local]


def _decode_span(data: list[Any]) -> Span:
    tag = data[0]
    if tag == "t":
        return Plain(data[1])
    if tag == "b":
        return Bold(data[1])
    if tag == "a":
        return Href(data[1], data[2])
    if tag == "s":
        return Spoiler(data[1], bool(data[2]))
    if tag == "c":
        return Countdown(datetime.fromisoformat(data[1]), data[2])
    if tag == "z":
        return ZoneNote(data[1])
    local = bool(data[4]) if len(data) > 4 else False
    return Instant(datetime.fromisoformat(data[1]), data[2], local)


def _decode_post(data: dict[str, Any]) -> Post:
    return Post(
        title=data["title"],
        lines=tuple(tuple(_decode_span(s) for s in ln) for ln in data["lines"]),
        buttons=tuple(Button(label, url) for label, url in data["buttons"]),
        color=data["color"],
        ping=data["ping"],
        kind=data.get("kind"),
        series=data.get("series"),
        language=data["language"],
        footer=data["footer"],
        pin=bool(data.get("pin", False)),
        extra=data.get("extra") or {},
    )
