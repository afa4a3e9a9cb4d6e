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
    published: str  # {chats}
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

    # -- the fan's weekend (#14): corrections, late subscribers, announcements, live
    #: How many chats a broadcast reaches: "1 chatt", "12 chattar" ({count}).
    one_chat: str
    many_chats: str  # {count}
    #: A published correction's follow-up to each chat that got the result: one driver,
    #: or several in one session. {who}, {new}, {session}, {was}; {changes}.
    correction: str
    corrections: str  # {session}, {changes}
    correction_item: str  # {who}, {new}, {was}
    correction_was: str  # {old}: "inte 18:e"
    correction_added: str  # a driver the published result did not have
    correction_removed: str  # a driver's result taken away (in place of {new})
    #: The staff draft of a correction: old → new per driver, the follow-up, the count.
    correction_arrow: str  # {who}, {old}, {new}
    correction_follow_up: str  # {chats}
    publish_to: str  # {chats}
    #: The welcome's pointer to the weekend's timetable. {schedule}
    welcome_schedule: str
    #: /announce sv: … en: … — the draft's two parts, and a part left empty.
    preview_announce_both: str
    announce_in_sv: str
    announce_in_en: str
    announce_both_usage: str
    announce_part_empty: str  # {prefix}
    #: A session that starts with live timing only (no stream to watch). {name}
    starting_now: str
