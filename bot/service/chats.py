"""Fan commands that change what a chat hears: /start, /stop, /subscribe, /unsubscribe.

Each parses its text once and calls the subscriptions service, which saves the change
and rebuilds the timers.
"""

from __future__ import annotations

import shlex
from typing import Any

from bot.core.audience import Target
from bot.core.errors import UserError
from bot.core.model import SessionKind
from bot.core.results.resolve import fold, kind_of
from bot.core.texts import texts
from bot.service.context import Context
from bot.service.types import Caller, Command, CommandGroup, Reply, text_reply


async def _start(cmds: Context, caller: Caller, args: str) -> Reply:
    """/start, or /start PAYLOAD from a t.me/BOT?start=wtcr_race (or ?startgroup=) link."""
    cmds.require_admin(caller)
    existing = await cmds.subscriptions.get(caller.platform, caller.chat_id)
    language = existing.language if existing else caller.language
    series, kinds, unknown = _link_words(cmds, args)
    target = await cmds.subscriptions.subscribe(
        caller.platform,
        caller.chat_id,
        chat_kind=caller.chat_kind,
        language=language,
        guild_id=caller.guild_id,
        thread_id=caller.thread_id,  # a forum's topic /start was written in, else General
        **({} if existing else {"timezone": cmds.default_timezone}),
        **_filter_fields(existing, series, kinds),
    )
    chosen = texts(language)
    lines = [chosen.welcome.format(team=cmds.team(language))]
    if series or kinds:
        what = describe(target.series, target.kinds, language)
        lines += [chosen.start_link.format(what=what)]
        lines += [chosen.unknown_choice.format(word=word) for word in unknown]
    elif unknown:
        known = ", ".join(sorted(s.id for s in cmds.engine.catalog.series))
        lines.append(chosen.start_link_unknown.format(word=" ".join(unknown), series=known))
    return text_reply("\n".join(lines), language)


def _link_words(cmds: Context, payload: str) -> tuple[set[str], set[SessionKind], list[str]]:
    """A deep link's payload (only letters, digits, _ and -) or typed words: series (a full
    id or its name before the season, "wtcr"), session kinds, and the words not known."""
    series_ids = {s.id for s in cmds.engine.catalog.series}
    series: set[str] = set()
    kinds: set[SessionKind] = set()
    unknown: list[str] = []
    for word in payload.replace("_", " ").split():
        folded = fold(word)
        kind = kind_of(word)
        named = {i for i in series_ids if i == folded or i.startswith(f"{folded}-")}
        if kind is not None:
            kinds.add(kind)
        elif named:
            series |= named
        else:
            unknown.append(word)
    return series, kinds, unknown


def _filter_fields(
    current: Target | None, series: set[str], kinds: set[SessionKind]
) -> dict[str, Any]:
    """The series and kinds a subscription has after adding these to what it had."""
    fields: dict[str, Any] = {}
    if series:
        fields["series"] = (
            tuple(sorted(set(current.series or ()) | series))
            if current and current.series
            else tuple(sorted(series))
        )
    if kinds:
        old = set(current.kinds or ()) if current and current.kinds else set()
        fields["kinds"] = tuple(sorted(old | kinds))
    return fields


async def _stop(cmds: Context, caller: Caller, args: str) -> Reply:
    cmds.require_admin(caller)
    target = await cmds.subscriptions.stop(caller.platform, caller.chat_id, "stopped by user")
    if target is None:
        return not_subscribed(cmds, caller)
    start = cmds.shown(caller, "start", target.language)
    return text_reply(texts(target.language).stopped.format(start=start), target.language)


def not_subscribed_text(cmds: Context, caller: Caller) -> str:
    return texts(caller.language).not_subscribed.format(start=cmds.shown(caller, "start"))


def not_subscribed(cmds: Context, caller: Caller) -> Reply:
    return text_reply(not_subscribed_text(cmds, caller), caller.language)


def _parse_filters(cmds: Context, args: str, language: str) -> tuple[set[str], set[SessionKind]]:
    series_ids = {s.id for s in cmds.engine.catalog.series}
    chosen_series: set[str] = set()
    kinds: set[SessionKind] = set()
    for word in split(args, language):
        folded = fold(word)
        kind = kind_of(word)
        if kind is not None:
            kinds.add(kind)
        elif folded in series_ids:
            chosen_series.add(folded)
        else:
            chosen = texts(language)
            raise UserError(
                chosen.unknown_choice.format(word=word),
                chosen.choice_hint.format(series=", ".join(sorted(series_ids))),
            )
    return chosen_series, kinds


def split(args: str, language: str) -> list[str]:
    """Words as a shell splits them, so "a quoted name" stays one word."""
    try:
        return shlex.split(args)
    except ValueError as exc:
        chosen = texts(language)
        raise UserError(
            chosen.unreadable.format(text=args, error=exc), chosen.check_quotes
        ) from exc


async def _subscribe(cmds: Context, caller: Caller, args: str) -> Reply:
    cmds.require_admin(caller)
    language = caller.language
    series, kinds = _parse_filters(cmds, args, language)
    current = await cmds.subscriptions.get(caller.platform, caller.chat_id)
    fields: dict[str, Any] = {"chat_kind": caller.chat_kind, "guild_id": caller.guild_id}
    fields |= _filter_fields(current, series, kinds)
    if current is None:
        fields["language"] = language
        fields["timezone"] = cmds.default_timezone
    target = await cmds.subscriptions.subscribe(caller.platform, caller.chat_id, **fields)
    return text_reply(
        texts(target.language).subscribed.format(
            what=describe(target.series, target.kinds, target.language)
        ),
        target.language,
    )


async def _unsubscribe(cmds: Context, caller: Caller, args: str) -> Reply:
    cmds.require_admin(caller)
    current = await cmds.subscriptions.active(caller.platform, caller.chat_id)
    if current is None:
        return not_subscribed(cmds, caller)
    if not args:
        return await _stop(cmds, caller, args)
    series, kinds = _parse_filters(cmds, args, current.language)
    all_series = {s.id for s in cmds.engine.catalog.series}
    fields: dict[str, Any] = {}
    if series:
        fields["series"] = tuple(sorted(set(current.series or all_series) - series))
    if kinds:
        fields["kinds"] = tuple(sorted(set(current.kinds or SessionKind) - kinds))
    await cmds.subscriptions.change(caller.platform, caller.chat_id, **fields)
    return text_reply(
        texts(current.language).unsubscribed.format(what=" ".join(split(args, current.language))),
        current.language,
    )


def describe(
    series: tuple[str, ...] | None, kinds: tuple[SessionKind, ...] | None, language: str
) -> str:
    all_word = texts(language).all
    series_text = ", ".join(series) if series else all_word
    kinds_text = ", ".join(k.value for k in kinds) if kinds else all_word
    return (
        f"{texts(language).series.lower()}: {series_text}; "
        f"{texts(language).kinds.lower()}: {kinds_text}"
    )


def group() -> CommandGroup:
    """The subscription commands, for the app to register."""
    return CommandGroup(
        commands=(
            Command(("start",), _start),
            Command(("stop",), _stop),
            Command(("subscribe",), _subscribe),
            Command(("unsubscribe",), _unsubscribe),
        )
    )
