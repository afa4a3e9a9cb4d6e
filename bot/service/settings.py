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

from bot.core.complete import Choice, zone_choices
from bot.core.errors import UserError
from bot.core.markup import Bold, Line, Post, line
from bot.core.model import SessionKind
from bot.core.results.resolve import fold, kind_of
from bot.core.texts import say
from bot.core.timeutil import LANGUAGES, LocalTimeError, zone
from bot.service.chats import not_subscribed_text, split
from bot.service.context import Context
from bot.service.types import Caller, Command, CommandGroup, Reply

USAGE = (
    "/settings language sv|en · /settings leads 60 15 · "
    "/settings kinds race qualifying · /settings tz Europe/Stockholm"
)
MAX_LEADS = 5
MAX_LEAD_MINUTES = 10080


@dataclass(frozen=True, slots=True)
class SettingsChange:
    """What to change; None leaves a setting as it is."""

    language: str | None = None
    leads: tuple[int, ...] | None = None
    kinds: tuple[SessionKind, ...] | None = None
    timezone: str | None = None

    def __bool__(self) -> bool:
        return any(v is not None for v in dataclasses.astuple(self))

    def merged(self, other: SettingsChange) -> SettingsChange:
        """This change with ``other``'s settings on top."""
        given = {k: v for k, v in dataclasses.asdict(other).items() if v is not None}
        return dataclasses.replace(self, **given)


def parse_leads(text: str) -> tuple[int, ...]:
    """Reminder minutes from "60 15" or "60,15"; refused unless they are all numbers."""
    words = [w for w in re.split(r"[\s,+]+", text.strip()) if w]
    try:
        return tuple(int(v) for v in words)
    except ValueError as exc:
        raise UserError(f"Minutes must be numbers: {' '.join(words)}", USAGE) from exc


def parse_setting(key: str, values: list[str]) -> SettingsChange:
    """One ``key value…`` part of a /settings text."""
    if key in ("language", "sprak", "lang") and len(values) == 1:
        return SettingsChange(language=values[0])
    if key in ("leads", "paminnelser", "reminders") and values:
        return SettingsChange(leads=parse_leads(" ".join(values)))
    if key in ("kinds", "pass", "sessions") and values:
        kinds = []
        for value in values:
            kind = kind_of(value)
            if kind is None:
                raise UserError(f"Unknown session kind {value!r}", USAGE)
            kinds.append(kind)
        return SettingsChange(kinds=tuple(kinds))
    if key in ("tz", "timezone", "tidszon") and len(values) == 1:
        return SettingsChange(timezone=values[0])
    raise UserError(f"Cannot change {key!r} like that.", USAGE)


def _fields(change: SettingsChange) -> dict[str, Any]:
    """The subscription fields ``change`` sets, each checked."""
    fields: dict[str, Any] = {}
    if change.language is not None:
        if change.language not in LANGUAGES:
            raise UserError("Cannot change 'language' like that.", USAGE)
        fields["language"] = change.language
    if change.leads is not None:
        leads = sorted(set(change.leads), reverse=True)
        if not leads or any(m < 1 or m > MAX_LEAD_MINUTES for m in leads) or len(leads) > 5:
            raise UserError("Up to five reminder times between 1 and 10080 minutes.", USAGE)
        fields["leads"] = tuple(leads)
    if change.kinds is not None:
        fields["kinds"] = tuple(sorted(set(change.kinds)))
    if change.timezone is not None:
        try:
            zone(change.timezone)
        except LocalTimeError as exc:
            raise UserError(str(exc), exc.hint) from exc
        fields["timezone"] = change.timezone
    return fields


async def change_settings(cmds: Context, caller: Caller, change: SettingsChange) -> Reply:
    """Apply ``change`` (if any) to the caller's chat and show its settings."""
    current = await cmds.subscriptions.get(caller.platform, caller.chat_id)
    if current is None:
        raise UserError(not_subscribed_text(cmds, caller))
    if change:
        cmds.require_admin(caller)
        fields = _fields(change)
        current = await cmds.subscriptions.change(caller.platform, caller.chat_id, **fields)
        current = current or await cmds.subscriptions.get(caller.platform, caller.chat_id)
        assert current is not None
    lang = current.language
    lines: list[Line] = [
        line(Bold(f"{say(lang, 'language')}: "), lang),
        line(
            Bold(f"{say(lang, 'leads')}: "),
            ", ".join(str(m) for m in current.lead_minutes(cmds.engine.settings.leads)),
        ),
        line(
            Bold(f"{say(lang, 'kinds')}: "),
            ", ".join(k.value for k in current.kinds) if current.kinds else say(lang, "all"),
        ),
        line(
            Bold(f"{say(lang, 'series')}: "),
            ", ".join(current.series) if current.series else say(lang, "all"),
        ),
        line(Bold(f"{say(lang, 'tz')}: "), current.timezone),
    ]
    title = ("✅ " + say(lang, "saved") + " " if change else "") + "⚙️ " + say(lang, "settings")
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
        words = split(part)
        if words:
            change = change.merged(parse_setting(fold(words[0]), words[1:]))
    return await change_settings(cmds, caller, change)


def _complete_zone(cmds: Context, caller: Caller, typed: str) -> list[Choice]:
    return zone_choices(typed)


def group() -> CommandGroup:
    """/settings and its zone suggestions, for the app to register."""
    return CommandGroup(
        commands=(Command(("settings",), _settings),),
        completers={("settings", "tz"): _complete_zone},
    )
