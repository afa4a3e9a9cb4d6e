"""Posts as Discord messages: escaped markdown, embeds, link and Publish/Cancel buttons."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import discord

from bot.core.audience import Target
from bot.core.markup import (
    Bold,
    Countdown,
    Href,
    Instant,
    Line,
    Post,
    Span,
    Spoiler,
    ZoneNote,
    format_instant,
)
from bot.core.pings import pinged_roles
from bot.core.timeutil import SWEDISH_TIME
from bot.platforms.discord.texts import text

CONFIRM_PREFIX = "rb:ok:"
ABORT_PREFIX = "rb:no:"
DESCRIPTION_MAX = 4096
CONTENT_MAX = 2000
TITLE_MAX = 256


def render_span(span: Span, tz: ZoneInfo, language: str) -> str:
    """One span as Discord markdown; user text is always escaped. Times: a ``local``
    instant is ``<t:…:t>`` (each reader's own clock), any other the text in ``tz`` (the
    home zone, named once beside it), a countdown a live ``<t:…:R>``, so no reader,
    not even one in the home zone, sees one moment twice."""
    if isinstance(span, Instant):
        if span.local and span.style == "time":
            return f"<t:{int(span.at.timestamp())}:t>"
        return discord.utils.escape_markdown(format_instant(span, tz, language))
    if isinstance(span, Countdown):
        return f" · <t:{int(span.at.timestamp())}:R>"
    if isinstance(span, ZoneNote):
        return discord.utils.escape_markdown(text(language, "your_time"))
    if isinstance(span, Bold):
        return f"**{discord.utils.escape_markdown(span.text)}**"
    if isinstance(span, Href):
        label = discord.utils.escape_markdown(span.text).replace("]", "\\]")
        url = span.url.replace(")", "%29").replace(" ", "%20")
        return f"[{label}]({url})"
    if isinstance(span, Spoiler):
        hidden = f"||{discord.utils.escape_markdown(span.text)}||"
        return f"**{hidden}**" if span.bold else hidden
    return discord.utils.escape_markdown(span.text)


def render_lines(lines: tuple[Line, ...], tz: ZoneInfo, language: str) -> str:
    return "\n".join("".join(render_span(s, tz, language) for s in ln) for ln in lines)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_embed(post: Post, tz: ZoneInfo = SWEDISH_TIME) -> discord.Embed:
    embed = discord.Embed(
        title=clip(post.title, TITLE_MAX) or None,
        description=clip(render_lines(post.lines, tz, post.language), DESCRIPTION_MAX) or None,
        colour=post.color,
    )
    if post.footer:
        embed.set_footer(text=clip(post.footer, 2048))
    image = post.extra.get("discord_image")
    if image:  # a press release's photo (its credit is in the text)
        embed.set_image(url=image)
    return embed


def render_plain(post: Post, tz: ZoneInfo = SWEDISH_TIME) -> str:
    """The embed's content as a plain message, for a channel that refuses embeds."""
    parts = [f"**{discord.utils.escape_markdown(post.title)}**" if post.title else ""]
    parts.append(render_lines(post.lines, tz, post.language))
    if post.footer:
        parts.append(f"*{discord.utils.escape_markdown(post.footer)}*")
    return "\n".join(p for p in parts if p)


def message_args(target: Target, post: Post, plain: bool = False) -> dict[str, Any]:
    """The embed (or, where embeds are refused, the same as text), plus a ping of the
    roles that asked for this post (``bot.core.pings``) and of nobody else."""
    roles = [int(r) for r in pinged_roles(target.roles, post)]
    ping = " ".join(f"<@&{r}>" for r in roles) or None
    body: dict[str, Any] = {"content": ping, "embed": render_embed(post, target.tz)}
    if plain:
        text_body = render_plain(post, target.tz)
        body = {"content": clip(f"{ping}\n{text_body}" if ping else text_body, CONTENT_MAX)}
    return {
        **body,
        "allowed_mentions": discord.AllowedMentions(
            everyone=False,
            users=False,
            replied_user=False,
            roles=[discord.Object(r) for r in roles] or False,
        ),
    }


def link_view(post: Post) -> discord.ui.View | None:
    """Link buttons (at most 25, Discord's limit); None when the post has none."""
    if not post.buttons:
        return None
    view = discord.ui.View(timeout=None)
    for button in post.buttons[:25]:
        view.add_item(
            discord.ui.Button(
                style=discord.ButtonStyle.link, label=clip(button.label, 80), url=button.url
            )
        )
    return view


def confirm_view(token: str, language: str, post: Post) -> discord.ui.View:
    view = link_view(post) or discord.ui.View(timeout=None)
    view.add_item(
        discord.ui.Button(
            style=discord.ButtonStyle.success,
            label=text(language, "publish"),
            custom_id=f"{CONFIRM_PREFIX}{token}",
        )
    )
    view.add_item(
        discord.ui.Button(
            style=discord.ButtonStyle.secondary,
            label=text(language, "cancel"),
            custom_id=f"{ABORT_PREFIX}{token}",
        )
    )
    return view
