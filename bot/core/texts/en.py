"""English texts of the chat commands."""

from __future__ import annotations

from bot.core.texts.catalogue import PageTexts, Texts

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
    # -- fan settings that say what they do (#14: presets, /subscribe alla, words not ids)
    kind_words={
        "race": "races",
        "qualifying": "qualifying",
        "practice": "practice",
        "other": "other",
    },
    everything_words=("all", "everything", "alla"),
    subscribed_all="Done: you get everything again – all series and all sessions.",
    subscription_kept=(
        "You are already subscribed and keep your choices: {what}. Type {all} to get "
        "everything again."
    ),
    subscription_resumed=(
        "Welcome back! Posts are on again, with your earlier choices: {what}. Type {all} to "
        "get everything."
    ),
    unsubscribe_what="What should go? Type e.g. {example}. To stop all posts, type {stop}.",
    unsubscribed_left="Done: {removed} removed. Still on: {what}.",
    nothing_left="That would leave nothing. Type {stop} if you want to stop all posts.",
    which_series="{query!r} is in several series. Which one do you mean?",
    schedule_example="Type e.g. {example}. Choose one of: {choices}",
    # -- the fan page (#14)
    page=PageTexts(
        other_language="På svenska",
        cancelled="Cancelled",
        swedish_time="Swedish time",
        your_time="Your time",
        your_zone="your zone",
        session="Session",
        watch="Watch live",
        no_races="No races yet.",
        season_over="The season is over",
        season_over_lead="Next season's times will be here as soon as they are out.",
        past_weekends="Past race weekends",
        subscribe="Subscribe",
        subscribe_lead=(
            "Every session goes into your calendar and moves by itself when times change."
        ),
        add_to_calendar="Add to your calendar (iPhone, Mac, Outlook)",
        add_to_google="Add to Google Calendar",
        follow_telegram="Follow on Telegram",
        join_discord="Join on Discord",
        subscribe_link="subscribe",
        one_series="Just one series",
        calendar_address="Calendar address",
        options=(
            "Options in the address: {lang} (English), {alarm} (reminders, minutes before the "
            "start), {kinds} (some sessions only)."
        ),
        footer="all times Swedish time, “Your time” shows your own time zone.",
    ),
)
