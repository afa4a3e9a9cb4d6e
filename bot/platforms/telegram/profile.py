"""What Telegram shows of the bot before anyone writes: command menus and descriptions.

Menus per scope, each in Swedish (the default, and ``sv``) and English: private chats get
every fan command; group members the ones they may use; group administrators every fan
command (Telegram prefers the administrators' scope over the group one); staff, in their own
chat, the staff commands too. The description (shown in an empty chat, at most 512
characters) and the short description (the profile and shared links, at most 120) come from
the text catalogue, with the team's name.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeChat,
    BotCommandScopeDefault,
)
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.core.texts import texts
from bot.service.commands import Commands

log = logging.getLogger(__name__)

#: (language_code sent to Telegram, catalogue language); None is everyone else's default.
LANGUAGES = ((None, "sv"), ("sv", "sv"), ("en", "en"))


def menu(language: str, *, staff: bool = False, chat_admin: bool = True) -> list[BotCommand]:
    entries = Commands.help_entries(language, staff, chat_admin=chat_admin)
    return [BotCommand(name, line) for name, line in entries]


async def publish(bot: Bot, staff: Iterable[int], team: Callable[[str], str]) -> None:
    """Set every menu and both descriptions (idempotent: each start sets them again)."""
    scopes: tuple[tuple[BotCommandScope, bool], ...] = (
        (BotCommandScopeDefault(), True),
        (BotCommandScopeAllGroupChats(), False),
        (BotCommandScopeAllChatAdministrators(), True),
    )
    for code, language in LANGUAGES:
        for scope, admin in scopes:
            await bot.set_my_commands(
                menu(language, chat_admin=admin), scope=scope, language_code=code
            )
        chosen = texts(language)
        name = team(language)
        await bot.set_my_description(
            chosen.bot_description.format(team=name)[:512], language_code=code
        )
        await bot.set_my_short_description(
            chosen.bot_short_description.format(team=name)[:120], language_code=code
        )
    for user_id in staff:  # a staff member who never wrote to the bot has no chat yet
        with contextlib.suppress(TelegramError):
            await staff_menu(bot, user_id, True)


async def staff_menu(bot: Bot, user_id: int, staff: bool) -> None:
    """One person's own menu, in their private chat: the staff commands too, or (no longer
    staff) back to everyone's. A chat the bot does not have yet (they never wrote to it)
    gets the menu at the next start after they do."""
    scope = BotCommandScopeChat(user_id)
    try:
        if staff:
            await bot.set_my_commands(menu("sv", staff=True), scope=scope)
        else:
            await bot.delete_my_commands(scope=scope)
    except (BadRequest, Forbidden) as exc:
        log.info("telegram: no command menu for %s (%s)", user_id, exc)
