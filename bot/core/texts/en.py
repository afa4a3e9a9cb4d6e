"""English texts of the chat commands."""

from __future__ import annotations

import bot.core.texts.catalogue as c
from bot.core.texts.en_authoring import EN_AUTHORING
from bot.core.texts.en_phrases import EN_PHRASES

EN = c.Texts(
    code="en",
    locale="en_GB",
    ordinal_suffixes={"one": "st", "two": "nd", "few": "rd", "other": "th"},
    and_word="and",
    fan_help={
        "start": "subscribe to reminders",
        "stop": "stop all posts",
        "subscribe": "pick series or sessions",
        "unsubscribe": "remove a series or session kind",
        "settings": "language, reminder times, zone, spoilers, quiet hours, daily digest",
        "next": "next session with countdown",
        "schedule": "this weekend's timetable",
        "calendar": "calendar file and subscribe link",
        "results": "latest results",
        "standings": "latest standings",
        "help": "this help",
        "whoami": "your user id (to be made staff)",
    },
    staff_help={
        "delay": "SESSION MINUTES – move a session",
        "cancel": "SESSION – cancel a session",
        "announce": "TEXT – message everyone",
        "result": (
            "SESSION DRIVER PLACE … – e.g. /result race2 andreas dnf jessica 17, or paste the "
            "release's lines (“Andreas’ results:” …); a correction changes only the drivers it "
            "names, /result race2 jessica - removes Jessica's result"
        ),
        "standings": "+ pasted tables – publish",
        "release": "paste or send a press release (.txt/.docx), /done when complete",
        "publish": "publish the last draft",
        "staff": "add|remove|list ID – who may use the staff commands",
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
    preview_delay="{name} is put back {minutes} minutes, to {new} ({zone}). Publish?",
    preview_earlier="{name} is brought forward {minutes} minutes, to {new} ({zone}). Publish?",
    preview_cancel="{name} will be cancelled. Publish?",
    delay_cancelled="{name} is cancelled and cannot be moved. If it runs after all, "
    "change it in the schedule file.",
    preview_announce="The message below goes to every subscriber. Publish?",
    publish_question="Publish?",
    standings_question="Tables right? Publish?",
    result_unchanged="Same as the published result: Publish sends the posts out again.",
    published="Published to {chats}.",
    aborted="Cancelled, nothing was sent.",
    nothing_pending="Nothing to publish (it may have expired after 15 minutes).",
    delay_usage="/delay SESSION MINUTES, e.g. /delay race1 10 (negative moves it earlier)",
    delay_which="Which session, and how many minutes?",
    delay_not_minutes="{value!r} is not a number of minutes.",
    delay_range="The delay must be between -1440 and 1440 minutes, not 0.",
    cancel_which="Which session?",
    cancel_usage="/cancel SESSION, e.g. /cancel race2",
    announce_empty="The announcement is empty.",
    announce_usage="/announce TEXT, or in both languages: /announce sv: TEXT en: TEXT",
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
    whoami=(
        "Your {platform} user id: {user_id}\nStaff can give you staff access with /staff add "
        "{user_id}"
    ),
    whoami_staff="Your {platform} user id: {user_id} – you are staff.",
    staff_usage=(
        "/staff add ID, /staff remove ID, /staff list – the ID is what /whoami tells the person"
        " (on Discord an @mention works too; on Telegram you can answer one of their messages "
        "with /staff add)"
    ),
    staff_not_id="“{who}” is not a user id.",
    staff_added="{who} is now staff on {platform}; it works at once.",
    staff_already="{who} is already staff on {platform}.",
    staff_removed="{who} is no longer staff on {platform}.",
    staff_not_added=(
        "{who} is not among the staff added in chat on {platform}; staff listed in the config "
        "are changed there."
    ),
    staff_list="Staff added in chat on {platform}: {ids}. Staff in the config are not listed.",
    staff_none="No staff added in chat on {platform} yet. Staff in the config are not listed.",
    render=c.RenderTexts(
        round="round {n}",
        round_of="round {n} of {total}",
        timetable="Timetable",
        all_times="(all times {zone})",
        zone_names={"Europe/Stockholm": "Swedish time"},
        city_time="{city} time",
        streams="Livestream",
        timing="Live timing",
        track="About the track",
        photo="Photo: {credit}",
        length="Length: {km} km",
        turns="Corners: {n}",
        weekend="This weekend",
        starts_in="{name} starts in {left}",
        start="Start",
        watch="Watch live",
        live_now="LIVE NOW: {name}",
        follow="Follow",
        moved="Schedule change: {name} moved",
        new_time="New time",
        old_time="was",
        cancelled="Cancelled: {name}",
        cancelled_text="{name} has been cancelled.",
        cancelled_due="The session will not run. It was due to start ",
        restored="{name} is back on the schedule",
        from_team="From the team",
        minutes="{n} minutes",
        tentative="time TBC",
        times_to_come="times to come",
        time_to_come="time TBC",
        day_time_to_come="day and time TBC",
        other_sessions="Other sessions",
        updated="✏️ Updated",
        console_chat="console",
        all_races="all races",
        decimal_mark=".",
    ),
    results=c.ResultWording(
        in_class="in",
        place="{place} place",
        no_result="no result",
        removed="Removed: ",
        statuses={
            "DNF": "Retired (DNF)",
            "DNS": "Did not start (DNS)",
            "DSQ": "Disqualified (DSQ)",
            "NC": "Not classified (NC)",
        },
        bare_after="s",
        possessive_bare="{name}’",
        possessive="{name}’s",
        results_heading="results",
        results_title="Results",
        round_word="round",
        standings_title="Championship standings",
        overall_top="Overall (Top {top})",
        top_words={},
        after_rounds="After {after} of {of} race weekends",
    ),
    phrases=EN_PHRASES,
    authoring=EN_AUTHORING,
    telegram=c.TelegramTexts(
        publish="✅ Publish",
        cancel="✖️ Cancel",
        filler="⋯",
        language_button="🇬🇧 English",
        kind_presets={
            "race": "Races",
            "race+qualifying": "Races+quali",
            "race+qualifying+practice+other": "All sessions",
        },
    ),
    discord=c.DiscordTexts(
        command_names={
            "result": "report-result",
            "post_standings": "post-standings",
            "server_settings": "server-settings",
        },
        permission_names={
            "view_channel": "View Channel",
            "send_messages": "Send Messages",
            "embed_links": "Embed Links",
            "attach_files": "Attach Files",
        },
        language_names={"sv": "Swedish", "en": "English"},
        publish="Publish",
        cancel="Cancel",
        your_time="(times in your own time zone)",
        role_added=(
            "Done! You now have the {role} role and get pinged before sessions. {unsubscribe} "
            "removes it."
        ),
        role_removed="The {role} role is removed, you will not be pinged any more.",
        role_replaced="{role} is removed: your new choice replaces it.",
        role_forbidden=(
            "I may not hand out the {role} role. Ask an admin to give me the Manage Roles "
            "permission and put my role above {role}."
        ),
        role_failed="Could not change the role right now, please try again in a while.",
        dm_welcome=(
            "Hi! Here you will get reminders before every session, “LIVE NOW” with links and "
            "results from {team}. {settings} changes language and reminder times, {unsubscribe} "
            "stops the messages."
        ),
        dm_on="Done! Reminders will come as direct messages.",
        dm_off="Direct messages are off.",
        dm_closed=(
            "I cannot send you direct messages. Allow direct messages from server members (the "
            "server's privacy settings) and try again."
        ),
        dm_missing=(
            "You get no reminders as direct messages. {subscribe} with via: Direct message turns "
            "them on."
        ),
        nothing_here=(
            "This server has no reminder role yet. Ask an admin to run {setup}, or use "
            "{subscribe} with via: Direct message to get the reminders as direct messages."
        ),
        not_subscribed="You are not subscribed here.",
        setup_saved="Saved: reminders go to {channel}{role}, in {post_language}.",
        setup_moved="They no longer go to {old}.",
        setup_refused=(
            "I cannot use {channel}: I am missing {missing}. Give my role that in the channel's "
            "permissions and run {setup} again."
        ),
        setup_role_unassignable=(
            "Warning: I cannot hand out {role} when fans use {subscribe}. Give me Manage Roles "
            "and put my role above {role}."
        ),
        setup_role_silent=(
            "Warning: {role} cannot be pinged. Make the role mentionable (Allow anyone to "
            "@mention this role)."
        ),
        setup_no_events=(
            "Tip: give me Manage Events and I will add the weekend's sessions as server events."
        ),
        no_settings_here=(
            "Settings apply to your direct-message subscription: turn it on with {subscribe} and "
            "via: Direct message."
        ),
        no_channel="This server has no reminder channel yet: run {setup} first.",
        no_permission=(
            "I cannot post in {channel} in {guild} – give me the {missing} permission and run "
            "{setup} again."
        ),
        no_embed_links=(
            "I may not embed links in {channel} in {guild}, so posts there go out as plain text. "
            "Give my role the Embed Links permission in the channel and they look as usual again."
        ),
        channel_deleted=(
            "The channel {channel} in {guild} was deleted, so reminders there are off. Run "
            "{setup} to choose a new channel."
        ),
        role_deleted=(
            "The role {role} in {guild} was deleted: reminders now go out without a ping. Run "
            "{setup} to choose a new role."
        ),
        staff_note=(
            "Fans do not see the staff commands. Give the staff role access under "
            "Server Settings → Integrations → racebot."
        ),
        result_hint="e.g. andreas 15 trophy 2 jessica dnf",
    ),
    release=c.ReleaseTexts(
        collecting=(
            "Paste the press release, in one or more messages, and send /done when it is all "
            "there (what you paste is kept for 24 hours, across a restart too; /cancel drops "
            "it). You can also send it as a .txt or .docx file."
        ),
        collected="Got {lines} lines. Send more, or /done for a draft of all of it.",
        empty="No press release to read: send /release and paste the text.",
        nothing_found="Found no timetable, calendar, results or standings in the press release.",
        file_type="{name}: send the press release as .txt or .docx.",
        file_unreadable="Could not read {name}: {error}",
        too_large="The file is too large (at most {limit}).",
        title="Press release – draft",
        create="Creates the weekend {series} {event} ({first}–{last}), in Swedish time:",
        update="Updates the weekend {series} {event} ({first}–{last}), in Swedish time:",
        no_times="  times to come",
        facts="  The track: {facts}",
        results="Records results, {series} {event}:",
        standings="Posts the standings {title} ({rows} rows)",
        unused_title="Not used:",
        line="{lines}: {text} – {why}",
        lines_word="lines {first}–{last}",
        line_word="line {first}",
        why={
            "prose": "running text",
            "not_understood": "not understood",
            "left_out": "the standings reader kept it out",
            "credit": "photo credit (goes with the photo)",
            "link": "a link the schedule has no place for",
            "fact": "a track fact the schedule has no field for",
            "known": "the weekend is in the schedule already and is left as it is",
            "next_round": "the next round (checked against the schedule)",
        },
        checks={
            "past": "⚠️ The timetable's dates ({day}) are past.",
            "not_run": "⚠️ Results for {session}, which has not been run yet.",
            "standings_later": (
                "⚠️ The standings are after round {after}, but this is round {round}."
            ),
            "next_differs": "⚠️ Next round: the schedule has {name} as round {round}.",
        },
        credit="Photo: {credit}",
        photo_kept=(
            "The photo goes with the weekend preview (or the results post) when you publish "
            "the press release "
            "(send it with /release, or press Publish on its draft)."
        ),
        photo_too_large=(
            "The photo is too large (at most {limit}): send a smaller one, this one is not kept."
        ),
        photo_not_image="That is not an image (JPEG, PNG, GIF or WebP): it is not kept.",
        photo_not_kept=(
            "The photo could not be kept just now (the database does not answer), and none "
            "of it was: send it again in a while."
        ),
        photo_draft="📷 The photo you sent goes with the preview, credited “Photo: {credit}”.",
        photo_results_draft=(
            "📷 The photo you sent goes with the results post, credited “Photo: {credit}”."
        ),
        dropped="The press release you were pasting is dropped.",
        rule=(
            "Weekends from releases replace "
            "the schedule file's weekend of the same series and round."
        ),
        done=(
            "Published: {weekends} weekends, {results} sessions with results, {standings} tables; "
            "sent to {count} recipients."
        ),
    ),
    # -- the fan's weekend (#14): spoilers, quiet hours, the daily digest ---------------
    spoilers="Hide places (spoilers)",
    quiet="Quiet hours",
    digest="Daily digest instead of practice reminders",
    on="on",
    off="off",
    on_or_off="Write on or off after {key}, not {value!r}.",
    quiet_unreadable=(
        "Cannot read {value!r} as quiet hours. Write two times of day in the chat's zone, "
        "e.g. 22-07, or off."
    ),
    fan_settings_usage=(
        "/settings spoilers on|off · /settings quiet 22-07|off · /settings digest on|off"
    ),
    digest_today="Today",
    digest_practice="FP",
    digest_qualifying="Quali",
    digest_race="Race",
    spoilers_button="🙈 Hide places",
    quiet_button="🌙 Quiet {window}",
    digest_button="📅 Daily digest",
    # -- the fan's weekend (#14): corrections, late subscribers, announcements, live
    one_chat="1 chat",
    many_chats="{count} chats",
    correction="Correction: {who} {new} in {session} ({was})",
    corrections="Correction in {session}: {changes}",
    correction_item="{who} {new} ({was})",
    correction_was="not {old}",
    correction_added="added",
    correction_removed="without a result",
    correction_arrow="{who}: {old} → {new}",
    correction_follow_up="The correction also goes to the {chats} that got the result:",
    publish_to="Goes to {chats}. Publish?",
    welcome_schedule="This weekend's timetable: {schedule}.",
    preview_announce_both="Each chat gets the message in its own language. Publish?",
    announce_in_sv="In Swedish:",
    announce_in_en="In English:",
    announce_both_usage="/announce sv: TEXT en: TEXT",
    announce_part_empty="The text after {prefix} is empty.",
    starting_now="{name} is starting now",
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
    page=c.PageTexts(
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
