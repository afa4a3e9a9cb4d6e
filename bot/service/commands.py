"""The service's front door: chat commands by name, typed operations, one error boundary.

Adapters only turn their updates into a ``Caller`` plus arguments and show the
``Reply``. Text platforms call ``handle`` with the command's text; typed input (Discord's
options, Telegram's buttons) calls the typed methods. Every call passes the same
boundary: staff commands answer staff only, bad input (UserError) becomes its helpful
answer, and anything unexpected is logged with its traceback while the user gets one
sentence in their language.

The app registers the command groups explicitly (``register``); nothing here fills a
table at import.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot import reporting
from bot.core.audience import Target
from bot.core.complete import Choice
from bot.core.errors import UserError, brief
from bot.core.model import SessionRef
from bot.core.texts import help_entries, set_default_language, texts
from bot.core.timeutil import zone
from bot.scheduler import Engine
from bot.service import chats, release, results, settings, staff
from bot.service.context import Context
from bot.service.fan_settings import fan_setting
from bot.service.server_events import ServerEvents
from bot.service.settings import SettingsChange
from bot.service.types import Caller, CommandGroup, Completer, Handler, Menu, Reply, text_reply
from bot.store.health import is_outage
from bot.store.pastes import Image

log = logging.getLogger(__name__)

#: What changes a chat's subscription: in a group only its administrators may (see
#: ``Context.require_admin``), so the members' command menu leaves these out.
CHAT_ADMIN_COMMANDS = frozenset({"start", "stop", "subscribe", "unsubscribe", "settings"})
#: ``/name@bot args``: the command ends at the first white space of any kind, so a staff
#: member's paste may start on the next line ("/standings\nWTCR Trophy – Overall …").
_COMMAND_TEXT = re.compile(r"/([^\s@]+)(?:@(\S*))?(?:\s+(.*))?", re.DOTALL)


@dataclasses.dataclass(frozen=True, slots=True)
class CommandText:
    """A typed command split once for every text platform: name, addressee, arguments."""

    name: str
    addressee: str
    args: str


def split_command(text: str) -> CommandText | None:
    """``/name[@bot] args`` from a message's text; None when it is not a command."""
    found = _COMMAND_TEXT.fullmatch(text.strip())
    if found is None:
        return None
    name, addressee, args = found.groups()
    return CommandText(name.lower(), addressee or "", (args or "").strip())


@dataclasses.dataclass(frozen=True, slots=True)
class DmSubscription:
    """What a DM opt-in did: the answer, the DM's subscription, whether it is new."""

    reply: Reply
    target: Target | None
    new: bool


class Commands:
    """The command table and the typed operations; one instance serves every platform."""

    def __init__(self, engine: Engine) -> None:
        self.context = Context(engine)
        self.engine = engine
        self.subscriptions = self.context.subscriptions
        self.server_events = ServerEvents(engine)
        self.handlers: dict[str, Handler] = {}
        self._staff: set[str] = set()
        self._completers: dict[tuple[str, str], Completer] = {}

    # -- wiring -------------------------------------------------------------------------

    def register(self, group: CommandGroup) -> None:
        """Offer a group's commands, suggestions and publishers (called by the app)."""
        for command in group.commands:
            for name in command.names:
                if name in self.handlers:
                    raise ValueError(f"command /{name} is registered twice")
                self.handlers[name] = command.run
                if command.staff:
                    self._staff.add(name)
        self._completers.update(group.completers)
        self.context.publishers.update(group.publishers)

    @property
    def menus(self) -> dict[str, Menu]:
        """Per platform, the commands it offers where that is not every command (/help)."""
        return self.context.menus

    @property
    def public_url(self) -> str:
        return self.context.public_url

    @public_url.setter
    def public_url(self, url: str) -> None:
        self.context.public_url = url

    @staticmethod
    def help_entries(
        language: str, staff: bool = False, *, chat_admin: bool = True
    ) -> list[tuple[str, str]]:
        """(command, help line); without ``chat_admin``, only what a group member may use."""
        entries = help_entries(language, staff)
        if chat_admin:
            return entries
        return [(name, line) for name, line in entries if name not in CHAT_ADMIN_COMMANDS]

    def on_change(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after the effective schedule changed (Discord's events follow)."""
        self.engine.on_change(listener)

    def upcoming(self, now: datetime) -> list[SessionRef]:
        """Sessions not yet over and not cancelled, earliest first."""
        return self.engine.upcoming(now)

    def has_series(self, series_id: str) -> bool:
        """Whether the catalogue has this series (a server may name a role for it)."""
        return self.engine.catalog.get(series_id) is not None

    @property
    def default_leads(self) -> tuple[int, ...]:
        """The reminder minutes of a chat that chose none (for the settings keyboard's ✓)."""
        return tuple(self.engine.settings.leads)

    async def chat_settings(self, platform: str, chat_id: str) -> Target | None:
        """The chat's subscription, to pick an answer's language and zone; None when there
        is none or the store fails (logged): an answer must not fail for want of it."""
        try:
            return await self.context.settings_of(platform, chat_id)
        except Exception:
            log.exception("reading the subscription of %s chat %s failed", platform, chat_id)
            return None

    def team(self, language: str) -> str:
        """Whom the bot follows, as the texts name them (from the schedule files)."""
        return self.context.team(language)

    def configure(
        self, *, language: str, timezone: str, public_url: str, feed_secret: bytes = b""
    ) -> None:
        """``[bot] language`` and ``timezone`` for readers whose own are not known yet,
        the public address the calendar links point at, and the personal feeds' secret."""
        set_default_language(language)
        self.context.default_language = language
        self.context.default_timezone = timezone
        self.context.public_url = public_url
        self.context.feed_secret = feed_secret

    @property
    def home(self) -> ZoneInfo:
        """``[bot] timezone``: the zone the releases speak ("svensk tid")."""
        return self.context.home

    @property
    def default_language(self) -> str:
        """``[bot] language``: for readers and places whose own language is not known."""
        return self.context.default_language

    def language_for(self, locale: str) -> str:
        """The answer language for a reader whose client reports ``locale``."""
        return self.context.language_for(locale)

    async def reader_zone(self, platform: str, chat_id: str) -> ZoneInfo:
        """The zone to show an answer's times in: the chat's own, else ``[bot] timezone``."""
        current = await self.chat_settings(platform, chat_id)
        return current.tz if current else zone(self.context.default_timezone)

    def is_staff(self, platform: str, user_id: str) -> bool:
        """Whether ``/staff add`` made this user staff (the adapters check the config)."""
        return self.context.roster.has(platform, user_id)

    async def load_staff(self) -> None:
        """Read the staff added in chat (once, at start; /staff keeps it current)."""
        await self.context.roster.load(self.context.store)

    def added_staff(self, platform: str) -> list[str]:
        """The user ids ``/staff add`` made staff on ``platform``."""
        return self.context.roster.of(platform)

    def on_staff_change(self, listener: Callable[[str, str, bool], None]) -> None:
        """Call ``listener(platform, user_id, is_staff)`` when /staff adds or removes one."""
        self.context.roster.listen(listener)

    def timetable_hint(self, caller: Caller, language: str) -> str:
        """ "Helgens tidsschema: /schema." for a welcome a platform words itself (#14)."""
        return chats.timetable_hint(self.context, caller, language)

    def knows(self, name: str) -> bool:
        """Whether ``name`` is one of our commands (in a group: else another bot's)."""
        return name.lower() in self.handlers

    def shown(self, caller: Caller, name: str, language: str | None = None) -> str:
        """How to write command ``name`` on the caller's platform (for texts that cite it)."""
        return self.context.shown(caller, name, language)

    # -- the boundary -------------------------------------------------------------------

    async def run(
        self, caller: Caller, name: str, operation: Callable[[], Awaitable[Reply]]
    ) -> Reply:
        """Run one operation of command ``name``; every failure becomes an answer."""
        if name not in self.handlers:  # a typed operation of a group the app left out
            return text_reply(
                texts(caller.language).unknown.format(name=name), caller.language, private=True
            )
        if name in self._staff and not caller.is_staff:
            return text_reply(texts(caller.language).staff_only, caller.language, private=True)
        try:
            return await operation()
        except UserError as exc:
            return text_reply(str(exc), caller.language, private=True)
        except Exception as exc:
            if is_outage(exc):  # the database is away: one line, the health log says more
                log.warning(
                    "/%s in %s chat %s failed: %s",
                    name,
                    caller.platform,
                    caller.chat_id,
                    brief(exc),
                )
            else:
                log.exception("/%s failed for %s chat %s", name, caller.platform, caller.chat_id)
                reporting.report(exc, "command", command=name, platform=caller.platform)
            return text_reply(texts(caller.language).failed, caller.language, private=True)

    async def handle(self, caller: Caller, name: str, args: str = "") -> Reply:
        """Run one command from its text; every failure becomes a polite answer."""
        name = name.lower().lstrip("/").split("@", 1)[0]
        handler = self.handlers.get(name)
        if handler is None:
            return text_reply(
                texts(caller.language).unknown.format(name=name) + "\n/help", caller.language
            )
        return await self.run(caller, name, lambda: handler(self.context, caller, args.strip()))

    def complete(self, caller: Caller, name: str, option: str, typed: str) -> list[Choice]:
        """Suggestions for an option being typed; none where there are none or not allowed."""
        func = self._completers.get((name, option))
        if func is None or (name in self._staff and not caller.is_staff):
            return []
        try:
            return func(self.context, caller, typed)
        except UserError:
            return []
        except Exception:
            log.exception("suggestions for /%s %s failed", name, option)
            return []

    # -- typed operations ---------------------------------------------------------------

    async def confirm(self, caller: Caller, token: str) -> Reply:
        """The Publish button of a draft: carried out once, by its author."""
        return await self.run(caller, "publish", lambda: staff.confirm(self.context, caller, token))

    async def abort(self, caller: Caller, token: str) -> Reply:
        """The Cancel button of a draft."""
        return await self.run(caller, "abort", lambda: staff.abort(self.context, caller, token))

    async def delay(self, caller: Caller, session: str, minutes: int) -> Reply:
        return await self.run(
            caller, "delay", lambda: staff.delay(self.context, caller, session, minutes)
        )

    async def cancel(self, caller: Caller, session: str) -> Reply:
        return await self.run(caller, "cancel", lambda: staff.cancel(self.context, caller, session))

    async def result(self, caller: Caller, session: str, places: str) -> Reply:
        return await self.run(
            caller, "result", lambda: results.result(self.context, caller, session, places)
        )

    async def release_file(self, caller: Caller, name: str, data: bytes) -> Reply:
        """A press release sent as a file (.txt or .docx): its draft."""
        return await self.run(
            caller, "release", lambda: release.release_file(self.context, caller, name, data)
        )

    async def release_photo(
        self, caller: Caller, data: bytes, content_type: str | None, size: int | None = None
    ) -> Reply:
        """A photo staff sent to go with their release's weekend preview or results post:
        its bytes as downloaded (``size``: as declared, so a photo too large for
        ``release.MAX_PHOTO`` is refused before it is downloaded)."""
        return await self.run(
            caller,
            "release",
            lambda: release.release_photo(self.context, caller, data, content_type, size),
        )

    async def release_image(self, image_id: str) -> Image | None:
        """A kept release photo's bytes, for an adapter to upload with a post."""
        return await self.context.store.pastes.image(image_id)

    async def telegram_file(self, image_id: str) -> str | None:
        """Telegram's file id of a release photo's first upload (None: upload it)."""
        return await self.context.store.pastes.telegram_file(image_id)

    async def uploaded_to_telegram(self, image_id: str, file_id: str | None) -> None:
        """Keep Telegram's file id of the upload for the next chats (None: forget it)."""
        await self.context.store.pastes.set_telegram_file(image_id, file_id)

    async def release_message(self, caller: Caller, text: str) -> Reply | None:
        """A plain message: part of a release being pasted (after /release), else None."""
        if not caller.is_staff or not await release.collecting(self.context, caller):
            return None
        return await self.run(
            caller, "release", lambda: release.collect(self.context, caller, text)
        )

    async def change_settings(self, caller: Caller, change: SettingsChange) -> Reply:
        """Change (and show) the caller's chat settings; ``settings`` on the reply is set
        only when the chat has a subscription."""
        return await self.run(
            caller, "settings", lambda: settings.change_settings(self.context, caller, change)
        )

    async def settings_options(
        self,
        caller: Caller,
        *,
        language: str | None = None,
        reminders: str | None = None,
        timezone: str | None = None,
        spoilers: bool | None = None,
        quiet: str | None = None,
        digest: bool | None = None,
    ) -> Reply:
        """Settings from form options; ``reminders`` is the typed text "60 15", ``quiet``
        the typed "22-07" or "off"."""

        async def change() -> Reply:
            leads = settings.parse_leads(reminders, caller.language) if reminders else None
            window = fan_setting("quiet", [quiet], caller.language) if quiet else None
            wanted = SettingsChange(
                language=language,
                leads=leads,
                timezone=timezone,
                spoilers=spoilers,
                quiet=window["quiet"] if window else None,
                digest=digest,
            )
            return await settings.change_settings(self.context, caller, wanted)

        return await self.run(caller, "settings", change)

    async def subscribe_dm(
        self, caller: Caller, dm_chat_id: str, user_name: str, choices: str
    ) -> DmSubscription:
        """Subscribe a fan's DM with the bot (Discord's "via: DM") from a server."""
        dm = dataclasses.replace(
            caller, chat_id=dm_chat_id, chat_kind="private", is_chat_admin=True, guild_id=None
        )
        before = await self.subscriptions.active(caller.platform, dm_chat_id)
        reply = await self.handle(dm, "subscribe", choices)
        after = await self.subscriptions.active(caller.platform, dm_chat_id)
        if after is None:
            return DmSubscription(reply, None, False)
        named = await self.subscriptions.change(caller.platform, dm_chat_id, title=f"@{user_name}")
        return DmSubscription(reply, named or after, before is None)
