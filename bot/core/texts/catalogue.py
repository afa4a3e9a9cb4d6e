"""The shape of a language's texts: one field per sentence the service says.

Every language module (``sv``, ``en``) fills in all of it, so mypy refuses a sentence
that one language lacks and a caller that names a sentence nobody wrote. Templates
use ``str.format`` fields, named in each field's comment where there are any.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.core.texts.catalogue_authoring import AuthoringPhrases as AuthoringPhrases


@dataclass(frozen=True, slots=True)
class RenderTexts:
    """What notification posts, the calendar feed and the web page say (``bot.core.render``)."""

    round: str  # {n}
    round_of: str  # {n}, {total}
    timetable: str
    #: "(alla tider i svensk tid)" under a timetable: {zone}, a ``zone_names`` word or a key.
    all_times: str
    #: How the language names a zone by its IANA key ("svensk tid"); others: ``city_time``.
    zone_names: Mapping[str, str]
    city_time: str  # {city}
    streams: str
    timing: str
    track: str
    photo: str  # {credit}: the release photo's credit line
    length: str  # {km}
    turns: str  # {n}
    weekend: str
    starts_in: str  # {name}, {left}
    start: str
    watch: str
    live_now: str  # {name}
    follow: str
    moved: str  # {name}
    new_time: str
    old_time: str
    cancelled: str  # {name}
    cancelled_text: str  # {name}
    #: The cancel post's line: what does not happen and when it was due (a time follows).
    cancelled_due: str
    restored: str  # {name}
    from_team: str
    minutes: str  # {n}
    tentative: str
    times_to_come: str
    time_to_come: str
    day_time_to_come: str
    other_sessions: str
    #: Footer mark of a post edited after it went out.
    updated: str
    #: The console's own chat, as its header names it.
    console_chat: str
    #: The all-series calendar feed's name.
    all_races: str
    #: How numbers are written: "5,419 km" / "5.419 km".
    decimal_mark: str


@dataclass(frozen=True, slots=True)
class ResultWording:
    """What result and standings posts say in one language."""

    #: "(2nd in WTCR Trophy)" / "(2:a i WTCR Trophy)".
    in_class: str
    #: "15th place" / "15:e plats": {place}.
    place: str
    #: A session with no result line yet.
    no_result: str
    #: Prefix of a result a correction removed (staff drafts).
    removed: str
    #: Status words keyed by ``ResultStatus`` value ("DNF", "DNS", "DSQ", "NC").
    statuses: Mapping[str, str]
    #: Possessive of a first name: names ending in one of ``bare_after`` take
    #: ``possessive_bare``, others ``possessive``; both with {name}.
    bare_after: str
    possessive_bare: str
    possessive: str
    #: "Andreas’ results:" / "Andreas resultat:" heading word.
    results_heading: str
    #: Weekend summary title "Results – Estoril" and footer "…, round 3".
    results_title: str
    round_word: str
    #: Title of a standings post.
    standings_title: str
    #: A table's heading after its category: {top} rows shown.
    overall_top: str
    #: Numbers as the releases write them in ``overall_top`` (others as digits).
    top_words: Mapping[int, str]
    #: The series line's "(After 3 of 8 race weekends)": {after}, {of}.
    after_rounds: str


@dataclass(frozen=True, slots=True)
class ResultPhrases:
    """How the results commands refuse input and hint at the fix (``bot.core.results``)."""

    # -- resolving sessions and drivers
    no_sessions: str
    add_sessions: str
    unknown_session: str  # {query}
    choose_session: str  # {choices}
    ambiguous_session: str  # {query}, {listed}
    write_session_id: str
    ambiguous_driver: str  # {query}, {listed}
    write_first_name: str
    unknown_driver: str  # {query}
    choose_driver: str  # {choices}
    no_drivers: str

    # -- reading the command
    usage: str
    unmatched_quote: str  # {word}
    close_note: str
    place_outside: str  # {place}, {what}, {size}
    in_class: str  # {who}, {key}
    unexpected_note: str  # {note}
    note_after_place: str
    no_driver: str  # {text}
    driver_before_place: str
    not_understood: str  # {text}
    no_place: str  # {who}
    not_a_place: str  # {who}, {text}
    two_class_places: str  # {who}, {key}
    not_a_class_place: str  # {text}, {key}, {who}
    after_removal: str  # {text}, {who}
    nothing_after_removal: str  # {who}
    listed_twice: str  # {who}
    both_have: str  # {other}, {who}, {place}
    place: str  # {where}
    class_place: str  # {where}, {key}
    nothing_to_record: str
    no_results: str  # {session}
    the_session: str
    not_started: str  # {label}, {start}, {zone}
    weekend_not_started: str  # {label}, {day}
    record_later: str

    # -- correcting what is recorded
    nothing_to_remove: str  # {who}, {session}
    remove_only_recorded: str
    no_class_place_to_remove: str  # {who}, {key}, {session}
    already_has: str  # {who}, {problem}, {session}
    correct_both: str  # {session_id}, {example}
    clash_example: str  # {holder}, {newcomer}, {where}
    class_clash_example: str  # {holder}, {key}, {newcomer}, {where}

    # -- reading results and standings as the releases print them (#15)
    on_line: str  # {line}, {message}, {text}
    lines_hint: str
    whose_result: str
    name_above: str
    which_session: str
    session_above: str
    unknown_label: str  # {label}
    did_you_mean: str  # {choices}
    under_unknown: str  # {heading}
    not_an_outcome: str  # {text}
    outcome_shapes: str
    status_clash: str  # {first}, {second}, {text}
    not_a_class_text: str  # {text}
    class_shape: str
    place_impossible: str  # {place}, {top}
    already_on_line: str  # {earlier}, {session}, {who}
    place_on_line: str  # {earlier}, {other}, {place}, {session}
    one_at_a_time: str
    beyond_grid: str  # {grid}, {what}: the grid the bot guesses (no grid in the file)
    beyond_entries: str  # {grid}, {what}, {series}: the grid the schedule file gives
    place_of: str  # {place}, {who}
    class_place_of: str  # {key}, {place}, {who}
    not_a_row: str
    row_hint: str
    table_hint: str
    position_taken: str  # {line}, {pos}
    tie_hint: str
    thousands: str  # {points}
    thousands_hint: str
    no_rows: str
    row_before_title: str
    dash_before_rows: str
    second_dash: str
    no_table: str
    heading_above: str
    link_text: str
    under_empty_title: str
    rows_refused: str
    standings_refused: str
    standings_left_out: str
    partly_read: str
    no_title: str
    class_behind: str
    class_unread: str


@dataclass(frozen=True, slots=True)
class TelegramTexts:
    """Button faces only the Telegram adapter shows (``bot.platforms.telegram``)."""

    publish: str
    cancel: str
    #: What a draft's message becomes once a longer post no longer needs it.
    filler: str
    #: This language's own button in /settings, shown to every reader ("🇸🇪 Svenska").
    language_button: str
    #: The /settings session-kind presets, by their ``+``-joined kinds.
    kind_presets: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class DiscordTexts:
    """What only the Discord adapter says: roles, DMs, /setup, permissions, admin notices.

    Command names in braces ({subscribe}, {setup}, ...) are filled with the names the
    reader's client lists (``command_names``); other fields are named in comments.
    """

    #: The slash commands' names in this language's client, where not the English ones.
    command_names: Mapping[str, str]
    #: Discord's own names of the permissions the bot asks for, as its settings show them.
    permission_names: Mapping[str, str]
    #: The languages /setup offers, named in this language.
    language_names: Mapping[str, str]
    publish: str
    cancel: str
    #: The timetable's zone note on Discord, whose times are each reader's own (`<t:…:t>`).
    your_time: str
    role_added: str  # {role}
    role_removed: str  # {role}
    #: The old interest's role, taken when a fan picks another ``pings``.
    role_replaced: str  # {role}
    role_forbidden: str  # {role}
    role_failed: str
    dm_welcome: str  # {team}
    dm_on: str
    dm_off: str
    dm_closed: str
    dm_missing: str
    nothing_here: str
    not_subscribed: str
    setup_saved: str  # {channel}, {role}, {post_language}
    setup_moved: str  # {old}
    setup_refused: str  # {channel}, {missing}
    setup_role_unassignable: str  # {role}
    setup_role_silent: str  # {role}
    setup_no_events: str
    no_settings_here: str
    no_channel: str
    no_permission: str  # {channel}, {guild}, {missing}
    #: Embed Links taken away: posts go on as plain text (#17). {channel}, {guild}
    no_embed_links: str
    channel_deleted: str  # {channel}, {guild}
    role_deleted: str  # {role}, {guild}
    #: The last line of the staff /help: how an admin lets the staff role see the commands.
    staff_note: str
    #: The places option's hint on the staff result command; typed as shown it is valid.
    result_hint: str


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
class ReleaseTexts:
    """What the press-release flow (/release, /done, a sent .txt/.docx) says."""

    collecting: str
    collected: str  # {lines}
    empty: str
    nothing_found: str
    file_type: str  # {name}
    file_unreadable: str  # {name}, {error}
    too_large: str  # {limit}
    title: str
    create: str  # {series}, {event}, {first}, {last}
    update: str  # {series}, {event}, {first}, {last}
    no_times: str
    facts: str  # {facts}
    results: str  # {series}, {event}
    standings: str  # {title}, {rows}
    unused_title: str
    line: str  # {lines}, {text}, {why}
    lines_word: str  # {first}, {last}
    line_word: str  # {first}
    why: Mapping[str, str]
    checks: Mapping[str, str]
    credit: str  # {credit}
    photo_kept: str
    photo_too_large: str  # {limit}: the largest photo kept ("10 MB")
    photo_not_image: str
    photo_not_kept: str  # the database was away while keeping it
    photo_draft: str  # {credit}
    photo_results_draft: str  # {credit}
    dropped: str  # /cancel during a paste
    rule: str
    done: str  # {weekends}, {results}, {standings}, {count}


@dataclass(frozen=True, slots=True)
class Texts:
    """What the chat commands say in one language."""

    code: str
    #: Babel locale for dates, country names and ordinals ("sv_SE", "en_GB").
    locale: str
    #: Ordinal endings by CLDR plural form ("one", "other", ...): "21:a", "21st".
    ordinal_suffixes: Mapping[str, str]
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
    preview_delay: str  # {name}, {minutes} (how many, never signed), {new}, {zone}
    preview_earlier: str  # the same, moved earlier
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

    # -- who is staff: /whoami, /staff; {platform}, {user_id}, {who}, {ids}
    whoami: str
    whoami_staff: str
    staff_usage: str
    staff_not_id: str
    staff_added: str
    staff_already: str
    staff_removed: str
    staff_not_added: str
    staff_list: str
    staff_none: str
    # -- areas
    render: RenderTexts
    results: ResultWording
    phrases: ResultPhrases
    authoring: AuthoringPhrases
    telegram: TelegramTexts
    discord: DiscordTexts
    release: ReleaseTexts
    # -- the fan's weekend (#14): spoilers, quiet hours, the daily digest ---------------
    #: /settings summary labels, and the words for a setting that is on or off.
    spoilers: str
    quiet: str
    digest: str
    on: str
    off: str
    #: An on/off setting given something else: {key}, {value}.
    on_or_off: str
    #: A quiet window that cannot be read: {value}.
    quiet_unreadable: str
    #: The settings these add, as one usage line (shown after a refusal and in /help).
    fan_settings_usage: str
    #: The daily digest's first line: "Idag: FP1 10:50 · FP2 13:10 · Kval 15:00".
    digest_today: str
    digest_practice: str
    digest_qualifying: str
    digest_race: str
    #: Telegram's /settings toggle buttons (✓ when on; a tap switches): quiet is {window}.
    spoilers_button: str
    quiet_button: str
    digest_button: str
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
