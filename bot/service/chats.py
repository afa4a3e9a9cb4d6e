"""Fan commands that change what a chat hears: /start, /stop, /subscribe, /unsubscribe.

Each parses its text once and calls the subscriptions service, which saves the change
and rebuilds the timers.
"""

from __future__ import annotations

import shlex
from typing import Any

from bot.core.audience import Target
from bot.core.choices import choices_words, kinds_words, series_words
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
    lines = [welcome_text(cmds, caller, language)]
    if series or kinds:
        what = describe(cmds, target.series, target.kinds, language)
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


def welcome_text(cmds: Context, caller: Caller, language: str) -> str:
    """The welcome, and where to find the weekend's timetable (#14)."""
    welcome = texts(language).welcome.format(team=cmds.team(language))
    return f"{welcome}\n{timetable_hint(cmds, caller, language)}"


def timetable_hint(cmds: Context, caller: Caller, language: str) -> str:
    """ "Helgens tidsschema: /schedule." in the command's name on the caller's platform."""
    schedule = cmds.shown(caller, "schedule", language)
    return texts(language).welcome_schedule.format(schedule=schedule)


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


def _everything(args: str, language: str) -> bool:
    """Whether ``args`` is "alla" / "all": back to every series and every session."""
    words = {w for c in (texts(language), texts("en"), texts("sv")) for w in c.everything_words}
    return fold(args) in words


async def _subscribe(cmds: Context, caller: Caller, args: str) -> Reply:
    """`/subscribe race kval` adds to what the chat follows; `alla` is everything again;
    plain `/subscribe` (re)starts and says which choices it keeps."""
    cmds.require_admin(caller)
    current = await cmds.subscriptions.get(caller.platform, caller.chat_id)
    language = current.language if current else caller.language
    everything = _everything(args, language)
    series, kinds = (set(), set()) if everything else _parse_filters(cmds, args, language)
    fields: dict[str, Any] = {"chat_kind": caller.chat_kind, "guild_id": caller.guild_id}
    if everything:
        fields.update(series=None, kinds=None)
    fields |= _filter_fields(current, series, kinds)
    if current is None:
        fields["language"] = language
        fields["timezone"] = cmds.default_timezone
    target = await cmds.subscriptions.subscribe(caller.platform, caller.chat_id, **fields)
    chosen = texts(target.language)
    what = describe(cmds, target.series, target.kinds, target.language)
    if everything:
        return text_reply(chosen.subscribed_all, target.language)
    if not args.strip() and current is not None and (current.series or current.kinds):
        command = cmds.shown(caller, "subscribe", target.language)
        shown_all = f"{command} {chosen.everything_words[0]}"
        template = chosen.subscription_kept if current.active else chosen.subscription_resumed
        kept = template.format(what=what, all=shown_all)
        return text_reply(kept, target.language)
    return text_reply(chosen.subscribed.format(what=what), target.language)


async def _unsubscribe(cmds: Context, caller: Caller, args: str) -> Reply:
    """`/unsubscribe practice` narrows what the chat follows; bare, it explains (and
    points to /stop) rather than stopping everything."""
    cmds.require_admin(caller)
    current = await cmds.subscriptions.active(caller.platform, caller.chat_id)
    if current is None:
        return not_subscribed(cmds, caller)
    language = current.language
    chosen = texts(language)
    stop = cmds.shown(caller, "stop", language)
    if not args.strip() and stop == cmds.shown(caller, "unsubscribe", language):
        return await _stop(cmds, caller, args)  # Discord: /unsubscribe is its /stop
    if not args.strip():
        example = f"{cmds.shown(caller, 'unsubscribe', language)} {chosen.kind_words['practice']}"
        return text_reply(chosen.unsubscribe_what.format(example=example, stop=stop), language)
    series, kinds = _parse_filters(cmds, args, language)
    all_series = {s.id for s in cmds.engine.catalog.series}
    fields: dict[str, Any] = {}
    if series:
        fields["series"] = tuple(sorted(set(current.series or all_series) - series))
    if kinds:
        fields["kinds"] = tuple(sorted(set(current.kinds or SessionKind) - kinds))
    if any(not left for left in fields.values()):
        return text_reply(chosen.nothing_left.format(stop=stop), language)
    target = await cmds.subscriptions.change(caller.platform, caller.chat_id, **fields)
    left = target or current
    removed = ", ".join(
        w
        for w in (
            series_words(series, cmds.engine.catalog.series, language) if series else "",
            kinds_words(kinds, language) if kinds else "",
        )
        if w
    )
    what = describe(cmds, left.series, left.kinds, language)
    return text_reply(chosen.unsubscribed_left.format(removed=removed, what=what), language)


def describe(
    cmds: Context,
    series: tuple[str, ...] | None,
    kinds: tuple[SessionKind, ...] | None,
    language: str,
) -> str:
    """What a subscription follows, in words: "serier: alla; pass: race, kval"."""
    return choices_words(series, kinds, cmds.engine.catalog.series, language)


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
