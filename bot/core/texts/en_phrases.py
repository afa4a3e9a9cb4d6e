"""English refusals and hints of the results commands (``Texts.phrases``), apart so the
language module stays small."""

from __future__ import annotations

import bot.core.texts.catalogue as c

EN_PHRASES = c.ResultPhrases(
    no_sessions="this weekend has no sessions",
    add_sessions="add the sessions to the schedule first",
    unknown_session="unknown session “{query}”",
    choose_session="choose one of: {choices}",
    ambiguous_session="“{query}” matches several sessions: {listed}",
    write_session_id="write the session id, e.g. race1",
    ambiguous_driver="“{query}” matches several drivers: {listed}",
    write_first_name="write the first name or the id",
    unknown_driver="unknown driver “{query}”",
    choose_driver="choose one of: {choices}",
    no_drivers="none in this series",
    usage=(
        "usage: SESSION DRIVER PLACE [DRIVER PLACE ...], e.g. “race2 andreas dnf jessica 17”; "
        "a place is 17, 17th, 17:e, P17, dnf, dns, dsq or nc; class places may follow a place "
        "(“15 trophy 2 junior 3” or “trophy:2”), then an optional note in quotes "
        '("puncture"); a correction changes only the drivers, class places and notes it '
        'names: “jessica -” removes Jessica\'s result, “trophy -” a class place, “""” a note'
    ),
    unmatched_quote="unmatched quote in “{word}”",
    close_note='close the note: "like this"',
    place_outside="place {place} for {what} is outside 1–{size}",
    in_class="{who} in {key}",
    unexpected_note="unexpected note “{note}”",
    note_after_place="a note goes after a driver's place",
    no_driver="“{text}” has no driver",
    driver_before_place="write a driver before each place",
    not_understood="did not understand “{text}”",
    no_place="no place given for {who}",
    not_a_place="no place given for {who}: “{text}” is not a place",
    two_class_places="{who} has two places in {key}",
    not_a_class_place="“{text}” is not a place in {key} for {who}",
    after_removal="“{text}” after “-” for {who}",
    nothing_after_removal="“-” removes {who}'s whole result; write nothing after it",
    listed_twice="{who} is listed twice",
    both_have="{other} and {who} both have {place}",
    place="place {where}",
    class_place="place {where} in {key}",
    nothing_to_record="nothing to record",
    no_results="no results given for {session}",
    the_session="The session",
    not_started="{label} has not started yet (it starts {start} {zone})",
    weekend_not_started="{label} has not started yet (the weekend starts {day})",
    record_later="record the result once the session has been run",
    nothing_to_remove="{who} has no result in {session} to remove.",
    remove_only_recorded="Write “-” as the place only for a driver who already has a result.",
    no_class_place_to_remove="{who} has no place in {key} in {session} to remove.",
    already_has="{who} already has {problem} in {session}.",
    correct_both="Correct both in one command, e.g. /result {session_id} {example}",
    clash_example="{holder} PLACE {newcomer} {where}",
    class_clash_example="{holder} PLACE {key} PLACE {newcomer} PLACE {key} {where}",
    on_line="line {line} “{text}”: {message}",
    lines_hint=(
        "write it as the release does: “Andreas’ results:” then one line per session, “Race "
        "2: Retired (DNF)”, “Qualifying: 17th place”, “Race 1: 15th place (2nd in WTCR "
        "Trophy)”; or “Race 2:” then “Andreas: 17th”"
    ),
    whose_result="whose result? no driver is named",
    name_above=(
        "write “Andreas’ results:” on the line above, or the name first: “Andreas Race 2: 17th”"
    ),
    which_session="which session? no session is named",
    session_above="write the session first: “Race 2: 17th”, or “Race 2:” on the line above",
    unknown_label="“{label}” is neither a session nor a driver",
    did_you_mean="did you mean {choices}?",
    under_unknown="is under the heading on line {heading}, which could not be read",
    not_an_outcome="“{text}” is not a place or a status",
    outcome_shapes=(
        "a place is written 17, 17th, 17th place or P17; a status Retired (DNF), Did not "
        "start (DNS), Disqualified (DSQ) or Not classified (NC); class places in brackets: "
        "(2nd in WTCR Trophy)"
    ),
    status_clash="“{text}” says both {first} and {second}",
    not_a_class_text="“{text}” is not a class place",
    class_shape="write class places like this: (2nd in WTCR Trophy, 3rd in Junior)",
    place_impossible="place {place} is not a possible place (1–{top})",
    already_on_line="{who} already has a result in {session} on line {earlier}",
    place_on_line="{other} already has {place} in {session} on line {earlier}",
    one_at_a_time="give each driver's place once per session",
    beyond_grid=(
        "⚠️ Check: {what} – more than the {grid} cars a grid usually has (the schedule file "
        "gives no grid for the series). If it is right, publish anyway."
    ),
    beyond_entries=(
        "⚠️ Check: {what} – {series} has {grid} cars on the grid. If it is right, publish anyway."
    ),
    place_of="place {place} for {who}",
    class_place_of="place {place} in {key} for {who}",
    not_a_row="not a standings row",
    row_hint=(
        "write rows as the release prints them: “1: Mike Halder (GER), 242 p.”, a shared "
        "place “20: …” twice (or “T-20”, “=20”), half points “190.5 p.”; for a team, “1: "
        "Cyan Racing Lynk & Co, 141 p.”"
    ),
    table_hint=(
        "paste the tables as the release prints them: a title line, the series line “FIA "
        "WTCR 2021 (After 3 of 8 race weekends)”, rows “1: Mike Halder (GER), 242 p.”, “–”, "
        "then our rows"
    ),
    position_taken="position {pos} is already on line {line}",
    tie_hint="a shared place has the same points on both rows; otherwise correct the position",
    thousands="the points “{points}” may have a thousands separator or a number in the name",
    thousands_hint="write the points without a separator, after a comma: “1: Cyan Racing, 1141 p.”",
    no_rows="a table with no rows",
    row_before_title="a row before any table title",
    dash_before_rows="a dash line before any row",
    second_dash="a second dash line in one table",
    no_table="no standings table found",
    heading_above="a heading above the tables: the post has its own title",
    link_text="link text without its link: left out",
    under_empty_title="the series line of a table with no rows",
    rows_refused="the title of a table whose rows could not be read",
    standings_refused="Not included (fix and resend):",
    standings_left_out="Read but not in the post:",
    class_unread=(
        "not read: {unread} (no result for the driver in that session, or the results "
        "block says otherwise; give it in the block: “Race 1: 15th place (3rd in WTCR Trophy)”)"
    ),
    class_behind="place {place} in {key} is behind the overall place {position}",
    no_title=(
        "a standings table without its title and series line above: which championship? "
        "(write e.g. “Drivers” and “FIA WTCR 2021 (After 3 of 8 race weekends)” over it)"
    ),
    partly_read=(
        "partly read: {read}; not read: {unread} (give it as a class place in the results "
        "block: “Race 1: 15th place (3rd in WTCR Trophy)”)"
    ),
)
