"""Filling in the Discord adapter's own words (``Texts.discord`` in ``bot.core.texts``).

Command names in these texts are the ones the reader's client shows: Swedish clients
list the commands under their Swedish names (``SWEDISH_NAMES``).
"""

from __future__ import annotations

from typing import Any, Literal

from bot.core.texts import EN, SV, texts

#: Swedish (sv-SE) names of the slash commands; English names are the defaults.
SWEDISH_NAMES = SV.discord.command_names
#: The sentences of ``DiscordTexts`` (a test checks they are all of them): a typo is a
#: mypy error.
Key = Literal[
    "publish",
    "cancel",
    "your_time",
    "role_added",
    "role_removed",
    "role_replaced",
    "role_forbidden",
    "role_failed",
    "dm_welcome",
    "dm_on",
    "dm_off",
    "dm_closed",
    "dm_missing",
    "nothing_here",
    "not_subscribed",
    "setup_saved",
    "setup_moved",
    "setup_refused",
    "setup_role_unassignable",
    "setup_role_silent",
    "setup_no_events",
    "no_settings_here",
    "no_channel",
    "no_permission",
    "no_embed_links",
    "channel_deleted",
    "role_deleted",
    "staff_note",
    "result_hint",
]


#: The synced slash commands' ids by (English) name, filled in when the adapter starts.
COMMAND_IDS: dict[str, int] = {}


def slash(name: str, language: str) -> str:
    """The command as a clickable mention (``</name:id>``: every client shows it under its
    own name); ``/name`` as the reader's client lists it before the commands are synced."""
    english = EN.discord.command_names.get(name, name)
    if english in COMMAND_IDS:
        return f"</{english}:{COMMAND_IDS[english]}>"
    return f"/{texts(language).discord.command_names.get(name, name)}"


def text(language: str, key: Key, **values: Any) -> str:
    """One of ``DiscordTexts``, with the command names filled in for the reader's client."""
    names = {name: slash(name, language) for name in SWEDISH_NAMES}
    return str(getattr(texts(language).discord, key)).format(**{**names, **values})
