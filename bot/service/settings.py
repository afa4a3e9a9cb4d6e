"""/settings: a chat's language, reminder times, session kinds and zone, all typed.

Text (``/settings leads 30 10; tz Asia/Seoul``) is parsed once into a ``SettingsChange``;
buttons and Discord's options build one directly. Every part is checked before any is
saved, so a change happens all at once or not at all.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from bot.core.choices import kinds_words, language_name, series_words, zone_place
from bot.core.complete import Choice, zone_choices
from bot.core.errors import UserError
from bot.core.markup import Bold, Line, Post, line
from bot.core.model import SessionKind
from bot.core.results.resolve import fold, kind_of
from bot.core.texts import LANGUAGES, texts
from bot.core.timeutil import LocalTimeError, zone
from bot.service.chats import not_subscribed_text, split
from bot.service.context import Context
from bot.service.fan_settings import fan_fields, fan_lines, fan_setting
from bot.service.types import Caller, Command, CommandGroup, Reply

MAX_LEADS = 5
#: ``/settings topic`` without a value: the topic the command was written in.
HERE = "here"
#: Words for a forum's General topic.
GENERAL_WORDS = ("general", "allmant", "allman", "none", "ingen")
MAX_LEAD_MINUTES = 10080


@dataclass(frozen=True, slots=True)
class SettingsChange:
    """What to change; None leaves a setting as it is."""

    language: str | None = None
    leads: tuple[int, ...] | None = None
    kinds: tuple[SessionKind, ...] | None = None
    timezone: str | None = None
    # -- the fan's weekend (#14); ``quiet`` (0, 0) switches quiet hours off
    spoilers: bool | None = None
    quiet: tuple[int, int] | None = None
    digest: bool | None = None
    #: A Telegram forum's topic for the posts: its id, ``""`` for General, or ``HERE``
    #: (the topic the command was written in, resolved with the caller).
    topic: str | None = None

    def __bool__(self) -> bool:
        return any(v is not None for v in dataclasses.astuple(self))

    def merged(self, other: SettingsChange) -> SettingsChange:
        """This change with ``other``'s settings on top."""
        given = {k: v for k, v in dataclasses.asdict(other).items() if v is not None}
        return dataclasses.replace(self, **given)


def parse_leads(text: str, language: str) -> tuple[int, ...]:
    """Reminder minutes from "60 15" or "60,15"; refused unless they are all numbers."""
    words = [w for w in re.split(r"[\s,+]+", text.strip()) if w]
    try:
        return tuple(int(v) for v in words)
    except ValueError as exc:
        chosen = texts(language)
        problem = chosen.minutes_not_numbers.format(values=" ".join(words))
        raise UserError(problem, chosen.settings_usage) from exc


def parse_setting(key: str, values: list[str], language: str) -> SettingsChange:
    """One ``key value…`` part of a /settings text."""
    chosen = texts(language)
    if key in ("language", "sprak", "lang") and len(values) == 1:
        return SettingsChange(language=values[0])
    if key in ("leads", "paminnelser", "reminders") and values:
        return SettingsChange(leads=parse_leads(" ".join(values), language))
    if key in ("kinds", "pass", "sessions") and values:
        kinds = []
        for value in values:
            kind = kind_of(value)
            if kind is None:
                raise UserError(chosen.unknown_kind.format(value=value), chosen.settings_usage)
            kinds.append(kind)
        return SettingsChange(kinds=tuple(kinds))
    if key in ("tz", "timezone", "tidszon") and len(values) == 1:
        return SettingsChange(timezone=values[0])
    if key in ("topic", "amne", "trad", "thread") and len(values) <= 1:
        general = bool(values) and fold(values[0]) in GENERAL_WORDS
        return SettingsChange(topic="" if general else HERE)
    fan = fan_setting(key, values, language)
    if fan is not None:
        return SettingsChange(**fan)
    usage = f"{chosen.settings_usage} · {chosen.fan_settings_usage}"
    raise UserError(chosen.cannot_change.format(key=key), usage)


def _fields(change: SettingsChange, language: str) -> dict[str, Any]:
    """The subscription fields ``change`` sets, each checked."""
    chosen = texts(language)
    fields: dict[str, Any] = {}
    if change.language is not None:
        if change.language not in LANGUAGES:
            problem = chosen.cannot_change.format(key="language")
            raise UserError(problem, chosen.settings_usage)
        fields["language"] = change.language
    if change.leads is not None:
        leads = sorted(set(change.leads), reverse=True)
        wrong = any(m < 1 or m > MAX_LEAD_MINUTES for m in leads)
        if not leads or wrong or len(leads) > MAX_LEADS:
            raise UserError(chosen.leads_range, chosen.settings_usage)
        fields["leads"] = tuple(leads)
    if change.kinds is not None:
        every = set(change.kinds) == set(SessionKind)  # all of them: follow new kinds too
        fields["kinds"] = None if every else tuple(sorted(set(change.kinds)))
    if change.timezone is not None:
        try:
            zone(change.timezone)
        except LocalTimeError as exc:
            raise UserError(str(exc), exc.hint) from exc
        fields["timezone"] = change.timezone
    return fields | fan_fields(change.spoilers, change.quiet, change.digest)


def _topic_field(change: SettingsChange, caller: Caller, language: str) -> dict[str, Any]:
    """``thread_id`` for a topic change: the caller's own topic for ``HERE``."""
    if change.topic is None:
        return {}
    if change.topic != HERE:
        return {"thread_id": change.topic or None}
    if caller.thread_id is None:
        raise UserError(texts(language).topic_outside, texts(language).settings_usage)
    return {"thread_id": caller.thread_id}


async def change_settings(cmds: Context, caller: Caller, change: SettingsChange) -> Reply:
    """Apply ``change`` (if any) to the caller's chat and show its settings."""
    current = await cmds.subscriptions.get(caller.platform, caller.chat_id)
    if current is None:
        raise UserError(not_subscribed_text(cmds, caller))
    if change:
        cmds.require_admin(caller)
        fields = _fields(change, current.language) | _topic_field(change, caller, current.language)
        current = await cmds.subscriptions.change(caller.platform, caller.chat_id, **fields)
        current = current or await cmds.subscriptions.get(caller.platform, caller.chat_id)
        assert current is not None
    lang = current.language
    chosen = texts(lang)
    known = cmds.engine.catalog.series
    lines: list[Line] = [
        line(Bold(f"{chosen.language}: "), language_name(lang, lang)),
        line(
            Bold(f"{chosen.leads}: "),
            ", ".join(str(m) for m in current.lead_minutes(cmds.engine.settings.leads)),
        ),
        line(Bold(f"{chosen.kinds}: "), kinds_words(current.kinds, lang)),
        line(Bold(f"{chosen.series}: "), series_words(current.series, known, lang)),
        line(Bold(f"{chosen.tz}: "), zone_place(current.timezone, lang)),
        *fan_lines(current, lang),
    ]
    if current.thread_id is not None or caller.thread_id is not None:  # a forum
        where = texts(lang).topic_number.format(thread=current.thread_id)
        lines.append(
            line(
                Bold(f"{texts(lang).topic}: "),
                where if current.thread_id else texts(lang).topic_general,
            )
        )
    title = ("✅ " + texts(lang).saved + " " if change else "") + "⚙️ " + texts(lang).settings
    return Reply(Post(title=title, lines=tuple(lines), language=lang), settings=current)


async def _settings(cmds: Context, caller: Caller, args: str) -> Reply:
    """`/settings` shows; `/settings language en`, `leads 30 10`, `tz Asia/Seoul` change.

    Several at once are separated by ``;`` and are all checked before any is saved.
    """
    if await cmds.subscriptions.get(caller.platform, caller.chat_id) is None:
        raise UserError(not_subscribed_text(cmds, caller))
    parts = [part for part in args.split(";") if part.strip()]
    if parts:
        cmds.require_admin(caller)
    change = SettingsChange()
    for part in parts:
        words = split(part, caller.language)
        if words:
            change = change.merged(parse_setting(fold(words[0]), words[1:], caller.language))
    return await change_settings(cmds, caller, change)


def _complete_zone(cmds: Context, caller: Caller, typed: str) -> list[Choice]:
    return zone_choices(typed)


def group() -> CommandGroup:
    """/settings and its zone suggestions, for the app to register."""
    return CommandGroup(
        commands=(Command(("settings",), _settings),),
        completers={("settings", "tz"): _complete_zone},
    )
