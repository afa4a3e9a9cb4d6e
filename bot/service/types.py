"""The service's vocabulary with the adapters: who asks (Caller), what to show (Reply).

Adapters build a ``Caller`` from their update and render the ``Reply`` they get back;
command groups are plain values the app registers explicitly (no import side effects).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.core.audience import Target
from bot.core.complete import Choice
from bot.core.markup import Post, line
from bot.core.texts import help_entries

if TYPE_CHECKING:
    from bot.service.context import Context


@dataclass(frozen=True, slots=True)
class Caller:
    """Who wrote the command, where, and what they may do."""

    platform: str
    chat_id: str
    user_id: str
    user_name: str | None = None
    chat_kind: str = "private"
    language: str = "sv"
    is_chat_admin: bool = True
    is_staff: bool = False
    guild_id: str | None = None
    #: The Telegram forum topic the command was written in (None: General, or no forum).
    thread_id: str | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    """What the adapter should show.

    ``private``: only the asker may see it (a staff draft, an error). ``confirm``: a draft
    token for Publish/Cancel buttons. ``settings``: the subscription a settings answer
    shows, for a platform that offers buttons to change it.
    """

    post: Post
    private: bool = False
    confirm: str | None = None
    attachment: tuple[str, bytes, str] | None = None
    settings: Target | None = None


def text_reply(text: str, language: str, *, private: bool = False, title: str = "") -> Reply:
    return Reply(
        Post(title=title, lines=tuple(line(p) for p in text.split("\n")), language=language),
        private,
    )


Handler = Callable[["Context", Caller, str], Awaitable[Reply]]
Completer = Callable[["Context", Caller, str], list[Choice]]
Publisher = Callable[["Context", Caller, dict[str, Any]], Awaitable[int]]


@dataclass(frozen=True, slots=True)
class Command:
    """One chat command under all its names; ``staff`` ones answer staff only."""

    names: tuple[str, ...]
    run: Handler
    staff: bool = False


@dataclass(frozen=True, slots=True)
class CommandGroup:
    """Commands that belong together, their suggestions and what their drafts publish."""

    commands: tuple[Command, ...]
    #: (command, option) -> suggestions while that option is typed.
    completers: Mapping[tuple[str, str], Completer] = field(default_factory=dict)
    #: draft action -> what Publish carries out; returns the number of recipients.
    publishers: Mapping[str, Publisher] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Menu:
    """The commands a platform offers, under the names its users see, for /help.

    ``names`` gives, per language, a command's name where it is not the command's own;
    ``help`` replaces, per language, a command's help line where the platform does more
    or less than the shared text says.
    """

    commands: frozenset[str]
    names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    help: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: Shared commands this platform offers under another command (Discord: no /start).
    instead: Mapping[str, str] = field(default_factory=dict)
    #: Staff help lines this platform offers under a command of their own (Discord: the
    #: standings paste is not an option fans see on /standings).
    staff_instead: Mapping[str, str] = field(default_factory=dict)
    #: Commands only this platform has, listed for staff with their ``help`` line.
    staff_extra: tuple[str, ...] = ()
    #: Per language, a last line of the staff help (how to let the staff role see them).
    staff_note: Mapping[str, str] = field(default_factory=dict)

    def _name(self, name: str, language: str) -> str:
        return self.names.get(language, {}).get(name, name)

    def shown(self, name: str, language: str) -> str:
        """``/name`` as this platform's users know the command that does ``name``."""
        return f"/{self._name(self.instead.get(name, name), language)}"

    def entries(self, language: str, staff: bool) -> list[tuple[str, str]]:
        own = self.help.get(language, {})
        fans = help_entries(language)
        listed = fans + (help_entries(language, True)[len(fans) :] if staff else [])
        shown = [
            (self.staff_instead.get(name, name) if i >= len(fans) else name, text)
            for i, (name, text) in enumerate(listed)
        ]
        shown += [(name, own[name]) for name in self.staff_extra if staff and name in own]
        return [
            (self._name(name, language), own.get(name, text))
            for name, text in shown
            if name in self.commands
        ]
