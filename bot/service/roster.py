"""Who is staff: /whoami tells anyone their user id, /staff adds or removes staff.

Staff come from the config (the adapters know those) and from chat (``/staff add``),
kept in the database and audit-logged, and mirrored in memory (``Roster``) so a change
counts from the next command on, with no restart. The platform is the caller's: staff
on Telegram add Telegram users.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.core.errors import UserError, brief
from bot.core.texts import texts
from bot.service.types import Caller, Command, CommandGroup, Reply, text_reply
from bot.store.health import is_outage

if TYPE_CHECKING:  # the context holds the roster
    from bot.service.context import Context
    from bot.store.store import Store

log = logging.getLogger(__name__)

#: A user id as typed, or a Discord mention "<@123>" / "<@!123>".
_USER = re.compile(r"<@!?(\d{1,20})>|(\d{1,20})")
_ADD = frozenset({"add", "+", "lägg till", "ny", "new"})
_REMOVE = frozenset({"remove", "rm", "delete", "del", "-", "ta bort", "bort"})
_LIST = frozenset({"", "list", "lista", "ls"})


class Roster:
    """The staff added in chat, per platform, as the database holds them."""

    def __init__(self) -> None:
        self._ids: set[tuple[str, str]] = set()
        #: Called with (platform, user, is now staff) on each change, for the platform's
        #: per-person command menu (Telegram).
        self._listeners: list[Callable[[str, str, bool], None]] = []

    def listen(self, listener: Callable[[str, str, bool], None]) -> None:
        if listener not in self._listeners:  # an adapter started again listens once
            self._listeners.append(listener)

    def _changed(self, platform: str, user_id: str, staff: bool) -> None:
        for listener in self._listeners:
            listener(platform, user_id, staff)

    def has(self, platform: str, user_id: str) -> bool:
        return (platform, user_id) in self._ids

    def of(self, platform: str) -> list[str]:
        return sorted(user for where, user in self._ids if where == platform)

    async def load(self, store: Store) -> None:
        """Read the table once at start; with the database away, config staff still work."""
        try:
            members = await store.staff.all()
        except Exception as exc:
            if not is_outage(exc):
                raise
            log.warning("cannot read staff added in chat (%s); config staff only", brief(exc))
            return
        self._ids = {(m.platform, m.user_id) for m in members}

    def add(self, platform: str, user_id: str) -> None:
        if (platform, user_id) not in self._ids:
            self._ids.add((platform, user_id))
            self._changed(platform, user_id, True)

    def discard(self, platform: str, user_id: str) -> None:
        if (platform, user_id) in self._ids:
            self._ids.discard((platform, user_id))
            self._changed(platform, user_id, False)


async def _whoami(cmds: Context, caller: Caller, args: str) -> Reply:
    chosen = texts(caller.language)
    template = chosen.whoami_staff if caller.is_staff else chosen.whoami
    answer = template.format(platform=caller.platform.capitalize(), user_id=caller.user_id)
    return text_reply(answer, caller.language)


def _verb(words: list[str]) -> tuple[str, list[str]]:
    """("add" | "remove" | "list" | "", the words after): "ta bort 123" is two words."""
    for count in (2, 1, 0):
        said = " ".join(words[:count]).lower()
        for verb, spellings in (("add", _ADD), ("remove", _REMOVE), ("list", _LIST)):
            if said in spellings and (count or not words):
                return verb, words[count:]
    return "", words


def _user_id(words: list[str], language: str) -> str:
    chosen = texts(language)
    typed = " ".join(words)
    match = _USER.fullmatch(typed)
    if match is None:
        raise UserError(chosen.staff_not_id.format(who=typed), chosen.staff_usage)
    return match[1] or match[2]


async def _staff(cmds: Context, caller: Caller, args: str) -> Reply:
    chosen = texts(caller.language)
    verb, rest = _verb(args.split())
    platform = caller.platform.capitalize()
    if verb == "list":
        ids = cmds.roster.of(caller.platform)
        text = chosen.staff_list.format(platform=platform, ids=", ".join(ids))
        return text_reply(
            text if ids else chosen.staff_none.format(platform=platform), caller.language
        )
    if not verb or not rest:
        raise UserError(chosen.staff_usage)
    who = _user_id(rest, caller.language)
    now = cmds.clock.now()
    if verb == "add":
        done = await cmds.store.staff.add(caller.platform, who, caller.user_id, now)
        cmds.roster.add(caller.platform, who)
        answer = chosen.staff_added if done else chosen.staff_already
    else:
        done = await cmds.store.staff.remove(caller.platform, who)
        cmds.roster.discard(caller.platform, who)
        answer = chosen.staff_removed if done else chosen.staff_not_added
    if done:
        detail = {"platform": caller.platform, "user_id": who}
        await cmds.store.audit(
            caller.platform, caller.user_id, caller.user_name, f"staff_{verb}", detail, now
        )
    return text_reply(answer.format(who=who, platform=platform), caller.language, private=True)


def group() -> CommandGroup:
    """/whoami for everyone; /staff for staff."""
    return CommandGroup(
        commands=(
            Command(("whoami",), _whoami),
            Command(("staff", "personal"), _staff, staff=True),
        )
    )
