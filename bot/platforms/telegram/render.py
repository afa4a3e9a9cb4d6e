"""Posts as Telegram HTML: every piece of text escaped, split at line boundaries.

A driver called "Jessica <3 & Andreas" can never break or inject markup, and a long post
becomes several messages that each fit Telegram's 4096 characters.
"""

from __future__ import annotations

import html
from zoneinfo import ZoneInfo

from bot.core.markup import Bold, Href, Instant, Line, Plain, Post, Span, Spoiler, format_instant
from bot.core.timeutil import SWEDISH_TIME

MAX_TEXT = 4096
# Telegram counts UTF-16 code units after entity parsing; keep a little room for safety.
SPLIT_AT = 4000


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _span_html(span: Span, tz: ZoneInfo, language: str) -> str:
    if isinstance(span, Instant):
        return html.escape(format_instant(span, tz, language))
    if isinstance(span, Bold):
        return f"<b>{html.escape(span.text)}</b>" if span.text.strip() else html.escape(span.text)
    if isinstance(span, Href):
        return f'<a href="{html.escape(span.url, quote=True)}">{html.escape(span.text)}</a>'
    if isinstance(span, Spoiler):
        hidden = f"<tg-spoiler>{html.escape(span.text)}</tg-spoiler>"
        return f"<b>{hidden}</b>" if span.bold else hidden
    return html.escape(span.text)


def _span_visible(span: Span, tz: ZoneInfo, language: str) -> str:
    if isinstance(span, Instant):
        return format_instant(span, tz, language)
    return span.text


def _line_parts(spans: Line, tz: ZoneInfo, language: str) -> list[tuple[str, int]]:
    """One line as (html, visible length); an over-long line becomes plain chunks."""
    markup = "".join(_span_html(s, tz, language) for s in spans)
    visible = "".join(_span_visible(s, tz, language) for s in spans)
    if utf16_len(visible) <= SPLIT_AT:
        return [(markup, utf16_len(visible))]
    chunks = [visible[i : i + SPLIT_AT // 2] for i in range(0, len(visible), SPLIT_AT // 2)]
    return [(html.escape(chunk), utf16_len(chunk)) for chunk in chunks]


def render_html(post: Post, tz: ZoneInfo = SWEDISH_TIME) -> list[str]:
    """The post as Telegram HTML messages, split at line boundaries to fit 4096 characters."""
    rows: list[tuple[str, int]] = []
    if post.title:
        rows.extend(
            (f"<b>{h}</b>" if n else h, n)
            for h, n in _line_parts((Plain(post.title),), tz, post.language)
        )
    for spans in post.lines:
        rows.extend(_line_parts(spans, tz, post.language))
    if post.footer:
        rows.extend(
            (f"<i>{h}</i>" if n else h, n)
            for h, n in _line_parts((Plain(post.footer),), tz, post.language)
        )
    messages: list[str] = []
    current: list[str] = []
    size = 0
    for markup, length in rows:
        extra = length + (1 if current else 0)
        if current and size + extra > SPLIT_AT:
            messages.append("\n".join(current))
            current, size = [], 0
            extra = length
        current.append(markup)
        size += extra
    if current:
        messages.append("\n".join(current))
    messages = [m for m in messages if html.unescape(m).strip()]
    return messages or ["·"]
