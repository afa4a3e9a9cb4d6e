"""Who listens: subscribed chats and what each of them wants to hear about."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.core.model import SessionKind
from bot.core.pings import DEFAULT as DEFAULT_INTEREST
from bot.core.timeutil import zone

DEFAULT_LEADS = (60, 15)


@dataclass(frozen=True, slots=True)
class Target:
    """A subscription as the core sees it; ``chat_id`` is the platform's id as text."""

    id: int
    platform: str
    chat_id: str
    chat_kind: str = "private"
    language: str = "sv"
    timezone: str = "Europe/Stockholm"
    series: tuple[str, ...] | None = None
    kinds: tuple[SessionKind, ...] | None = None
    leads: tuple[int, ...] | None = None
    role_id: str | None = None
    guild_id: str | None = None
    title: str | None = None
    active: bool = True
    #: A Discord reminder channel's name and who set it up (``/setup``).
    channel_name: str | None = None
    admin_id: str | None = None
    #: The fan's weekend (#14): places hidden in result posts; a quiet window as minutes
    #: of the day in ``timezone`` (start, end; may wrap midnight); a daily digest instead
    #: of separate practice reminders.
    spoilers: bool = False
    quiet: tuple[int, int] | None = None
    digest: bool = False
    #: A Telegram forum's topic the posts go to (``message_thread_id``; None: General).
    thread_id: str | None = None
    #: The weekend preview the bot pinned last, to unpin when the next one is pinned.
    pinned_id: str | None = None
    #: A Discord channel's roles beyond ``role_id`` (races and qualifying): (interest,
    #: role id) pairs, see ``bot.core.pings``.
    ping_roles: tuple[tuple[str, str], ...] = ()

    @property
    def roles(self) -> tuple[tuple[str, str], ...]:
        """Every (interest, role id) this channel may ping, the alert role first."""
        default = ((DEFAULT_INTEREST, self.role_id),) if self.role_id else ()
        return default + self.ping_roles

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.timezone)

    def wants_series(self, series_id: str) -> bool:
        return self.series is None or series_id in self.series

    def wants_kind(self, kind: SessionKind | None) -> bool:
        return kind is None or self.kinds is None or kind in self.kinds

    def lead_minutes(self, default: tuple[int, ...] = DEFAULT_LEADS) -> tuple[int, ...]:
        return self.leads if self.leads is not None else default


# -- the fan's weekend (#14): who gets which result post -----------------------------------
#
# A session's result goes to the chats that follow that kind of session. The weekend
# summary lists every session's result, so it goes only to chats that follow every kind
# the weekend has (a races-only chat never sees practice places through it); it is folded
# into the weekend's last result for them, so it is never a post of its own. Standings are
# about race points: they go, once and on their own, to the chats that follow races.


def wants_result(target: Target, kind: SessionKind) -> bool:
    return target.wants_kind(kind)


def wants_summary(target: Target, weekend_kinds: Iterable[SessionKind]) -> bool:
    return target.kinds is None or set(weekend_kinds) <= set(target.kinds)


def wants_standings(target: Target) -> bool:
    return target.wants_kind(SessionKind.RACE)
