"""English texts of the chat commands."""

from __future__ import annotations

from bot.core.texts.catalogue import Texts

EN = Texts(
    code="en",
    and_word="and",
    fan_help={
        "start": "subscribe to reminders",
        "stop": "stop all posts",
        "subscribe": "pick series or sessions",
        "unsubscribe": "remove a series or session kind",
        "settings": "language, reminder times, zone",
        "next": "next session with countdown",
        "schedule": "this weekend's timetable",
        "calendar": "calendar file and subscribe link",
        "results": "latest results",
        "standings": "latest standings",
        "help": "this help",
    },
    staff_help={
        "delay": "SESSION MINUTES – move a session",
        "cancel": "SESSION – cancel a session",
        "announce": "TEXT – message everyone",
        "result": (
            "SESSION DRIVER PLACE … – e.g. /result race2 andreas dnf jessica 17; a correction "
            "changes only the drivers it names, /result race2 jessica - removes Jessica's result"
        ),
        "standings": "+ pasted tables – publish",
        "publish": "publish the last draft",
    },
    welcome=(
        "Welcome! You will now get reminders before every session, “LIVE NOW” with links and "
        "results from {team}. Send /stop to stop, /settings for language and reminder times, "
        "/help for all commands."
    ),
    stopped="You will get no more posts. Send {start} to begin again.",
    not_subscribed="This chat is not subscribed. Send {start}.",
    subscribed="Subscription saved: {what}.",
    unsubscribed="Done: {what} removed.",
    admins_only="Only the group's admins can change the subscription here.",
    unknown_choice="Unknown choice: {word!r}",
    choice_hint="Series: {series}; sessions: race, qualifying, practice",
    unreadable="Cannot read {text!r}: {error}",
    check_quotes="Check the quotes",
    start_link="The link chose for you: {what}. /subscribe adds more, /settings changes it.",
    start_link_unknown=(
        "The link was for {word!r}, which I do not know, so you get everything. "
        "Choose with /subscribe, series: {series}."
    ),
    bot_description=(
        "Timetables, reminders before every session, LIVE NOW with links, results and "
        "championship standings from {team}. Press Start to subscribe; /settings picks the "
        "language, sessions and reminder times."
    ),
    bot_short_description="Reminders, live links and results from {team}.",
    settings="Settings",
    saved="Saved.",
    language="Language",
    leads="Reminders (minutes before)",
    kinds="Sessions",
    tz="Time zone",
    series="Series",
    all="all",
    settings_usage=(
        "/settings language sv|en · /settings leads 60 15 · /settings kinds race qualifying · "
        "/settings tz Europe/Stockholm"
    ),
    minutes_not_numbers="Minutes must be numbers: {values}",
    unknown_kind="Unknown session kind {value!r}",
    cannot_change="Cannot change {key!r} like that.",
    leads_range="Up to five reminder times between 1 and 10080 minutes.",
    no_next="No upcoming sessions in the schedule right now.",
    no_weekend_match="No weekend matches {query!r}.",
    try_one_of="Try one of: {choices}",
    unknown_series="Unknown series {query!r}.",
    calendar_title="Calendar",
    calendar_lead="Subscribe in your calendar",
    help_title="Commands",
    no_results="No results yet.",
    no_standings="No standings yet.",
    staff_only="That command is not available to you.",
    preview_delay="{name} moves {minutes:+d} min to {new} (Swedish time). Publish?",
    preview_cancel="{name} will be cancelled. Publish?",
    delay_cancelled="{name} is cancelled and cannot be moved. If it runs after all, "
    "change it in the schedule file.",
    preview_announce="The message below goes to every subscriber. Publish?",
    publish_question="Publish?",
    standings_question="Tables right? Publish?",
    result_unchanged="Same as the published result: Publish sends the posts out again.",
    published="Published to {count} recipients.",
    aborted="Cancelled, nothing was sent.",
    nothing_pending="Nothing to publish (it may have expired after 15 minutes).",
    delay_usage="/delay SESSION MINUTES, e.g. /delay race1 10 (negative moves it earlier)",
    delay_which="Which session, and how many minutes?",
    delay_not_minutes="{value!r} is not a number of minutes.",
    delay_range="The delay must be between -1440 and 1440 minutes, not 0.",
    cancel_which="Which session?",
    cancel_usage="/cancel SESSION, e.g. /cancel race2",
    announce_empty="The announcement is empty.",
    announce_usage="/announce TEXT",
    announce_too_long="The announcement is too long (max 3000 characters).",
    announce_shorten="Shorten it",
    no_started_weekend="No weekend has started yet, so there is nothing to enter results for.",
    no_started_weekend_hint="Results can be entered once the weekend's first day has begun.",
    weekend_gone="That weekend is no longer in the schedule.",
    unknown_session="Unknown session: {query!r}",
    ambiguous_session="{query!r} matches several sessions",
    choose_one="Choose one of: {choices}",
    no_weekend="No upcoming weekend to find {query!r} in.",
    full_key="Write the full key, e.g. tcr-europe-2020/r6/race1",
    unknown="Unknown command /{name}.",
    bad_option="{value!r} cannot be used here. Pick one of the suggestions.",
    failed="Something went wrong and nothing was changed. Please try again later.",
    sent_privately="I sent the answer to you privately.",
    dm_first="Message me privately first ({bot}) so I can send the answer there.",
    # -- #17 platform conventions: Telegram forum topics
    topic="Topic",
    topic_general="General",
    topic_number="topic {thread}",
    topic_outside=(
        "Write /settings topic inside the topic the posts should go to, "
        "or /settings topic general for General."
    ),
    # -- #17 platform conventions: /calendar's buttons and the chat's own feed
    calendar_personal=(
        "The link is your own: it has this chat's sessions, language and reminders. "
        "Other calendar apps subscribe to the address above."
    ),
    calendar_apple="Apple Calendar (iPhone, Mac)",
    calendar_google="Google Calendar",
    calendar_outlook="Outlook.com",
    calendar_name="{team} – racing",
)
