"""Which of a Discord server's roles a post pings: each role stands for one interest.

A server names one role per interest at /setup: the alert role (races and qualifying),
one for races only and one for every session, and optionally one per series (its races
and qualifying only, e.g. TCR Europe fans apart from WTCR fans). Fans take the roles they
want with /subscribe. A session post pings the roles whose interest covers that session's
kind (and, for a series role, its series);
a team announcement pings every role; posts that only update (results, corrections,
standings) have ``ping`` off and ping nobody.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.markup import Post

#: The interests a role can stand for, in the order /setup and /subscribe offer them.
DEFAULT = "default"
RACES = "races"
EVERY = "every"
INTERESTS = (DEFAULT, RACES, EVERY)
#: The session kinds each interest is pinged for (None: every kind).
KINDS: dict[str, frozenset[str] | None] = {
    DEFAULT: frozenset({"race", "qualifying"}),
    RACES: frozenset({"race"}),
    EVERY: None,
}


#: A series role's interest is this prefix and the series id ("series:tcr-europe-2020").
SERIES = "series:"


def series_interest(series_id: str) -> str:
    return SERIES + series_id


def wants(interest: str, post: Post) -> bool:
    """Whether a role for ``interest`` is pinged by ``post``."""
    if not post.ping:
        return False
    if post.kind is None:
        return True  # from the team, to everyone who asked for pings
    if interest.startswith(SERIES):
        if post.series != interest.removeprefix(SERIES):
            return False
        interest = DEFAULT  # a series role: that series' races and qualifying
    kinds = KINDS.get(interest, KINDS[DEFAULT])
    return kinds is None or post.kind in kinds


def pinged_roles(roles: Iterable[tuple[str, str]], post: Post) -> list[str]:
    """The role ids among (interest, role id) pairs that ``post`` pings, each once."""
    chosen: list[str] = []
    for interest, role_id in roles:
        if role_id not in chosen and wants(interest, post):
            chosen.append(role_id)
    return chosen


def with_series_role(
    roles: Iterable[tuple[str, str]], series_id: str | None, role_id: str | None
) -> tuple[tuple[str, str], ...]:
    """The series roles among ``roles`` as a new /setup leaves them: those named before
    stay, ``series_id``'s becomes ``role_id`` (or goes, when /setup names no role)."""
    kept = {i: r for i, r in roles if i.startswith(SERIES)}
    if series_id is not None:
        kept.pop(series_interest(series_id), None)
        if role_id is not None:
            kept[series_interest(series_id)] = role_id
    return tuple(kept.items())
