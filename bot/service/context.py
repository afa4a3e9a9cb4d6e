"""What every command handler may use: the engine, the subscriptions, drafts, the menus.

One instance per App, handed to each handler; the helpers here are the rules several
command groups share (only admins change a group's subscription, drafts expire, how a
platform names a command).
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.audience import Target
from bot.core.errors import UserError, brief
from bot.core.markup import Post
from bot.core.texts import CATALOGUES, team_names, texts
from bot.core.timeutil import zone
from bot.scheduler import Engine
from bot.service.roster import Roster
from bot.service.subscriptions import Subscriptions
from bot.service.types import Caller, Menu, Publisher, Reply
from bot.store.health import is_outage

log = logging.getLogger(__name__)

CONFIRM_TTL = timedelta(minutes=15)


class Context:
    """The service's state and shared rules, for the handlers of every command group."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.store = engine.store
        self.clock = engine.clock
        self.subscriptions = Subscriptions(engine)
        self.public_url = "http://127.0.0.1:8080"
        #: Signs personal calendar feed tokens (``bot.core.feeds``); set by ``configure``.
        self.feed_secret = b""
        #: ``[bot] language`` and ``timezone``: for readers whose own are not known.
        self.default_language = "sv"
        self.default_timezone = engine.home.key
        #: Per platform, the commands it offers where that is not every command (/help).
        self.menus: dict[str, Menu] = {}
        self._lookups_failing = False  # subscriptions unreadable: logged once, not per answer
        #: Draft action -> what Publish carries out (filled by the registered groups).
        self.publishers: dict[str, Publisher] = {}
        #: Staff added in chat (``/staff add``), beside the config's; see bot.service.roster.
        self.roster = Roster()

    @property
    def home(self) -> ZoneInfo:
        """``[bot] timezone``: the zone the releases speak, and new readers' zone."""
        return zone(self.default_timezone)

    async def reader(self, caller: Caller) -> Target | None:
        """The caller's subscription, for its language and zone only (see ``settings_of``)."""
        return await self.settings_of(caller.platform, caller.chat_id)

    async def settings_of(self, platform: str, chat_id: str) -> Target | None:
        """A chat's subscription; None when there is none or the database is away (one log
        line when it goes, one when it is back): race times from memory are still worth an
        answer. Any other failure is a bug and is raised."""
        try:
            found = await self.subscriptions.get(platform, chat_id)
        except Exception as exc:
            if not is_outage(exc):
                raise
            if not self._lookups_failing:
                log.warning("cannot read subscriptions (%s); answering with defaults", brief(exc))
            self._lookups_failing = True
            return None
        if self._lookups_failing:
            self._lookups_failing = False
            log.warning("subscriptions can be read again")
        return found

    def team(self, language: str) -> str:
        """Whom the bot follows, from the schedule files' drivers ("Andreas och Jessica
        Bäckman"), so a new team needs new schedules, not new code."""
        drivers = (d for series in self.engine.catalog.series for d in series.drivers)
        return team_names(drivers, language)

    def language_for(self, locale: str) -> str:
        """The language for a reader whose client says ``locale`` ("en-GB", "sv", "")."""
        for code in CATALOGUES:
            if locale.lower().startswith(code):
                return code
        return self.default_language

    def shown(self, caller: Caller, name: str, language: str | None = None) -> str:
        """How to write command ``name`` on the caller's platform (for texts that cite it)."""
        menu = self.menus.get(caller.platform)
        language = language or caller.language
        return menu.shown(name, language) if menu is not None else f"/{name}"

    def require_admin(self, caller: Caller) -> None:
        if caller.chat_kind != "private" and not caller.is_chat_admin:
            raise UserError(texts(caller.language).admins_only)

    async def draft(
        self, caller: Caller, action: str, payload: dict[str, Any], preview: Post
    ) -> Reply:
        """Keep a broadcast for its author to publish (or not) within ``CONFIRM_TTL``."""
        token = secrets.token_urlsafe(9)
        await self.store.put_pending(
            token, caller.platform, caller.user_id, action, payload, self.clock.now(), CONFIRM_TTL
        )
        return Reply(preview, private=True, confirm=token)
