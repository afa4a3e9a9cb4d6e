"""The shape of a language's texts: one field per sentence the service says.

Every language module (``sv``, ``en``) fills in all of it, so mypy refuses a sentence
that one language lacks and a caller that names a sentence nobody wrote. Templates
use ``str.format`` fields, named in each field's comment where there are any.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Texts:
    """What the chat commands say in one language."""

    code: str
    #: "och" / "and", to list names ("Andreas och Jessica Bäckman").
    and_word: str
    #: Help line per fan command, and per staff command.
    fan_help: Mapping[str, str]
    staff_help: Mapping[str, str]

    # -- subscriptions: {team}, {start}, {what}
    welcome: str
    stopped: str
    not_subscribed: str
    subscribed: str
    unsubscribed: str
    admins_only: str
    unknown_choice: str  # {word}
    choice_hint: str  # {series}
    unreadable: str  # {text}, {error}
    check_quotes: str
    #: A t.me/BOT?start=PAYLOAD link: what it subscribed to, or that its word is unknown.
    start_link: str  # {what}
    start_link_unknown: str  # {word}, {series}

    # -- the bot's profile on Telegram: {team}; at most 512 and 120 characters
    bot_description: str
    bot_short_description: str

    # -- settings
    settings: str
    saved: str
    language: str
    leads: str
    kinds: str
    tz: str
    series: str
    all: str
    settings_usage: str
    minutes_not_numbers: str  # {values}
    unknown_kind: str  # {value}
    cannot_change: str  # {key}
    leads_range: str

    # -- questions
    no_next: str
    no_weekend_match: str  # {query}
    try_one_of: str  # {choices}
    unknown_series: str  # {query}
    calendar_title: str
    calendar_lead: str
    help_title: str
    no_results: str
    no_standings: str

    # -- staff: drafts and publishing
    staff_only: str
    preview_delay: str  # {name}, {minutes}, {new}
    preview_cancel: str  # {name}
    delay_cancelled: str  # {name}
    preview_announce: str
    publish_question: str
    standings_question: str
    result_unchanged: str
    published: str  # {count}
    aborted: str
    nothing_pending: str
    delay_usage: str
    delay_which: str
    delay_not_minutes: str  # {value}
    delay_range: str
    cancel_which: str
    cancel_usage: str
    announce_empty: str
    announce_usage: str
    announce_too_long: str
    announce_shorten: str
    no_started_weekend: str
    no_started_weekend_hint: str
    weekend_gone: str

    # -- sessions: {query}, {choices}
    unknown_session: str
    ambiguous_session: str
    choose_one: str
    no_weekend: str
    full_key: str

    # -- the boundary and the platforms
    unknown: str  # {name}
    bad_option: str  # {value}
    failed: str
    sent_privately: str
    dm_first: str  # {bot}

    # -- #17 platform conventions: Telegram forum topics (/settings topic)
    topic: str
    topic_general: str
    topic_number: str  # {thread}
    topic_outside: str

    # -- #17 platform conventions: /calendar's buttons and the chat's own feed
    calendar_personal: str
    calendar_apple: str
    calendar_google: str
    calendar_outlook: str
    calendar_name: str  # {team}: the feed's name in Outlook.com
