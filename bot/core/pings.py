"""Which of a Discord server's roles a post pings: each role stands for one interest.

A server names one role per interest at /setup: the alert role (races and qualifying),
one for races only and one for every session. Fans take the role they want with
/subscribe. A session post pings the roles whose interest covers that session's kind;
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


def wants(interest: str, post: Post) -> bool:
    """Whether a role for ``interest`` is pinged by ``post``."""
    if not post.ping:
        return False
    if post.kind is None:
        return True  # from the team, to everyone who asked for pings
    kinds = KINDS.get(interest, KINDS[DEFAULT])
    return kinds is None or post.kind in kinds


def pinged_roles(roles: Iterable[tuple[str, str]], post: Post) -> list[str]:
    """The role ids among (interest, role id) pairs that ``post`` pings, each once."""
    chosen: list[str] = []
    for interest, role_id in roles:
        if role_id not in chosen and wants(interest, post):
            chosen.append(role_id)
    return chosen
