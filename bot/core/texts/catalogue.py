"""The shape of a language's texts: one field per sentence the service says.

Every language module (``sv``, ``en``) fills in all of it, so mypy refuses a sentence
that one language lacks and a caller that names a sentence nobody wrote. Templates
use ``str.format`` fields, named in each field's comment where there are any.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PageTexts:
    """What the fan page (``/``) says in one language (#14)."""

    #: A link to the page in the other language ("In English").
    other_language: str
    cancelled: str
    swedish_time: str
    your_time: str
    your_zone: str
    session: str
    watch: str
    no_races: str
    season_over: str
    season_over_lead: str
    past_weekends: str
    subscribe: str
    subscribe_lead: str
    add_to_calendar: str
    add_to_google: str
    follow_telegram: str
    join_discord: str
    subscribe_link: str
    one_series: str
    calendar_address: str
    options: str  # {lang}, {alarm}, {kinds}: the address options, as code
    footer: str


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

    # -- fan settings that say what they do (#14: presets, /subscribe alla, words not ids)
    #: Session kinds as a fan says them ("race", "kval"), by SessionKind value.
    kind_words: Mapping[str, str]
    #: The words that mean "everything" to /subscribe ("alla", "all").
    everything_words: tuple[str, ...]
    subscribed_all: str
    subscription_kept: str  # {what}, {all}
    subscription_resumed: str  # {what}, {all}
    unsubscribe_what: str  # {example}, {stop}
    unsubscribed_left: str  # {removed}, {what}
    nothing_left: str  # {stop}
    which_series: str  # {query}
    schedule_example: str  # {example}, {choices}

    # -- the fan page (#14)
    page: PageTexts
