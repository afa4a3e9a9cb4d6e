"""English refusals and hints of the timetable, calendar and zone readers
(``Texts.authoring``), apart so the language module stays small."""

from __future__ import annotations

import bot.core.texts.catalogue as c

EN_AUTHORING = c.AuthoringPhrases(
    hint_label="hint",
    in_chat={
        "year_hint": (
            "write the year of the weekend or season in the release, e.g. '6–8 November 2026'"
        ),
        "swedish_or_local_hint": (
            "add '(alla tidsangivelser avser svensk tid)' or '(local time)' under the heading"
        ),
        "zones_disagree_hint": "remove or correct the wrong statement in the release",
        "no_zone_hint": "add '(alla tidsangivelser avser svensk tid)' under the heading",
        "place_zones_hint": (
            "state one zone in the release, e.g. '(alla tidsangivelser avser svensk tid)'"
        ),
        "local_unknown_hint": "name the track's place in the release, e.g. 'Plats: Inje, Sydkorea'",
        "zone_unknown_hint": (
            "add '(alla tidsangivelser avser svensk tid)' under the heading, or name the track's"
            " place ('Plats: Macau')"
        ),
        "offset_mismatch_hint": (
            "check whether the release means summer or winter time and fix the note"
        ),
        "dst_gap_hint": "the clocks jump forward that night; check the time",
        "other_year": (
            "did you mean '{heading}'? If the heading is right, the year is not {year}: write the"
            " year in the release ({other} is a {weekday} in {fits})"
        ),
        "pass_year": "write the year {year} in the release",
        "track_timezone_hint": (
            "name the track's place in the release, e.g. 'Plats: Inje, Sydkorea'"
        ),
    },
    quoted="'{text}': {reason}",
    refusal="{reason}. {hint}",
    both="{first}; {second}",
    line_no="line {line}",
    tz_option="--tz",
    track_zone="the track's zone ({zone})",
    swedish_time="Swedish time",
    year_outside="--year {year} is outside 2000–2100",
    year_hint="give the year of the weekend or season, e.g. --year 2024",
    no_timetable="no timetable found",
    no_timetable_hint=(
        "expected a heading such as 'Tidsschema för helgens tävling' or 'Timetable', day headings"
        " such as 'Fredag 6 november:' and lines such as '10:50 Fri träning 1'; if the release "
        "has no timetable, write the schedule file by hand"
    ),
    heading_no_sessions="line {line} looks like a heading but no sessions follow; {hint}",
    several_timetables="the release has {count} timetables (lines {lines})",
    several_hint="import them with parse_release",
    place_problem="'Plats: {place}' (line {line}): {problem}",
    several_zones="{code} has several time zones ({listed}, …)",
    before_day="before any day heading",
    before_day_hint="add a heading such as 'Fredag 6 november:' above it",
    dst_gap="({day}): {time} does not exist in {zone} (the clocks jump forward over it)",
    dst_gap_hint="the clocks jump forward that night; check the time (and the zone, --tz)",
    dst_fold="({day}): {time} occurs twice in {zone} (the clocks go back): {offsets}",
    dst_fold_hint=(
        "the clocks go back that night; check the time, and if it is right write the session in "
        "the schedule file by hand with fold = 0 (summer time) or fold = 1"
    ),
    or_word="{first} or {second}",
    in_zone="({claim}): {problem}",
    alt_no_zone="gives a second time that names no zone",
    alt_no_zone_hint="write e.g. '(03:00 svensk tid)'",
    alt_disagrees=(
        "says {wall} and ({alt}); under {where} ('{claim}') {wall} is {mine} UTC, not {theirs} UTC"
    ),
    alt_disagrees_hint="correct one of the two times, or the zone statement",
    would_be="'{text}' would be {mine} UTC or {theirs} UTC",
    swedish_or_local=(
        "the timetable does not say whether its times are Swedish time or {where}, and they "
        "differ: {at}"
    ),
    swedish_or_local_hint=(
        "add '(alla tidsangivelser avser svensk tid)' or '(lokal tid)' under the heading, or pass"
        " --tz"
    ),
    two_zones="'{claim}' names two zones that disagree: {at}",
    two_zones_hint="correct the note; write one zone, e.g. 'AEDT (UTC+11)'",
    zones_disagree=(
        "the zone statements disagree: {used} ('{used_text}') and {other} ('{other_text}'): {at}"
    ),
    zones_disagree_hint="remove or correct the wrong statement, or check --tz",
    overlap="starts before '{other}' (line {line}) ends at {end}",
    overlap_assumed=(
        "starts before '{other}' (line {line}) ends at {end} (no duration given: assumed)"
    ),
    overlap_hint=(
        "check the times; give the earlier session its duration, e.g. '(20 min)' or "
        "'10:50–11:10', if it is shorter"
    ),
    no_zone="the timetable does not say which time zone its times are in",
    no_zone_hint="add '(alla tidsangivelser avser svensk tid)' under the heading, or pass --tz",
    bad_duration="cannot read the duration '{text}'",
    bad_duration_hint="write the duration as '(60 min)' or '(2 x 20 min)'",
    end_time="(the end time): {problem}",
    check_time="check the time",
    range_vs_duration="gives {minutes} min by its times but says {duration}",
    range_vs_duration_hint="correct the range or the duration",
    place_zones="'{claim}' names {place}, but {problem}",
    place_zones_hint="pass the zone with --tz, e.g. --tz Australia/Sydney",
    local_unknown="'{claim}' gives local time and the release does not say which zone",
    local_unknown_in=(
        "'{claim}' gives local time in {place} and the release does not say which zone"
    ),
    local_unknown_hint=(
        "name the track's place ('Plats: Inje, Sydkorea'), give --series/--event of a known "
        "weekend, or pass the zone with --tz, e.g. --tz Asia/Macau"
    ),
    zone_unknown="cannot tell which time zone '{claim}' means",
    zone_unknown_hint="pass the zone the times are written in with --tz, e.g. --tz Asia/Macau",
    offset_mismatch=(
        "'{claim}' says UTC{offset}, but on {day} {zone} keeps {actual} (UTC{actual_offset})"
    ),
    offset_mismatch_hint=(
        "check whether the release means summer or winter time and correct the note, or pass the "
        "zone with --tz"
    ),
    not_a_time="{value} is not a time of day",
    not_a_time_hint="write times as HH:MM or HH.MM, e.g. 10:50 or kl. 10.50",
    ends_before_start="the session ends ({end}) before it starts ({start})",
    ends_before_start_hint=(
        "check the range, e.g. 10:50–11:35; a session past midnight needs its own day"
    ),
    no_name="no session name next to the time",
    no_name_hint="write e.g. '10:50 Fri träning 1'",
    second_time="a second time the reader cannot place",
    second_time_hint=(
        "write one session per line, and a second time with its zone, e.g. '10:00 Fri träning 1 "
        "(03:00 svensk tid)'"
    ),
    day_without_date="a day heading without a date",
    day_without_date_hint="write the date with it, e.g. 'Lördag 14 maj' or 'Lördag 30/9'",
    not_understood="not a line the timetable reader understands",
    not_understood_hint=(
        "expected a session such as '10:50 Fri träning 1' or 'Fri träning 1: 10.50–11.35', a day "
        "heading such as 'Lördag 14 maj' or 'Saturday 30th September', or a note on the zone such"
        " as '(alla tider är svensk tid)'"
    ),
    under_refused_day="under a day heading that was not understood (line {line})",
    under_refused_day_hint="correct the day heading on line {line}; this session is read with it",
    continues=("not a line the timetable reader understands, and the timetable continues after it"),
    continues_hint=(
        "make it a session ('12:30 Prisutdelning'), move it below the timetable, or leave a blank"
        " line and a heading before what follows"
    ),
    no_sessions="no sessions under this day",
    no_sessions_hint=(
        "write its sessions under it, e.g. '14:30 Fri träning 1', or remove the heading"
    ),
    next_is_day="the next line ({line}) is another day; {hint}",
    next_not_session="line {line} ('{text}') is not a session the reader understands; {hint}",
    outside="this day and its sessions are outside the timetable",
    outside_ended=(
        "this day and its sessions are outside the timetable (the timetable above ends at "
        "line {line})"
    ),
    outside_hint=(
        "keep the whole timetable together under its heading: remove the blank line and note "
        "between the days, or move the note below the timetable"
    ),
    no_such_date="there is no {day} {month} in {year}",
    iso_date="not a date the reader can read",
    iso_date_hint="write the day as '2026-10-03' or 'Saturday 3 October', on its own line",
    check_date="check the date",
    wrong_weekday="{date} is a {weekday}",
    did_you_mean="did you mean '{heading}'?",
    other_year=(
        "did you mean '{heading}'? If the heading is right, the year is not {year}: pass --year "
        "({other} is a {weekday} in {fits})"
    ),
    day_or_month="could be {first} (day/month) or {second} (month/day)",
    month_as_word="write the month as a word: '{first}' or '{second}'",
    us_order="{date} is a {weekday}; read as month/day, {other} is a {other_weekday}",
    month_as_word_one="write the month as a word, e.g. '{example}'",
    no_calendar="no season calendar found",
    no_calendar_hint=(
        "expected a heading such as 'WTCR Kalender 2021:' followed by lines such as '3-5 Juni - "
        "Nürburgring Nordschleife, Tyskland'"
    ),
    calendar_year="the {found} calendar, not {year}",
    pass_year="pass --year {year}",
    calendar_tba="not a calendar line the reader understands",
    calendar_tba_hint=(
        "a weekend needs its dates, e.g. '16-18 oktober - Inje Speedium, Sydkorea'; leave a "
        "weekend without dates out until they are known, and put notes below the calendar"
    ),
    calendar_line_hint=(
        "expected e.g. '3-5 Juni - Nürburgring Nordschleife, Tyskland' or '31 Juli - 1 Augusti - "
        "Adria, Italien'"
    ),
    calendar_empty="the calendar heading has no weekends under it",
    calendar_empty_hint="expected lines such as '3-5 Juni - Nürburgring Nordschleife, Tyskland'",
    not_a_month="'{word}' is not a month",
    not_a_month_hint="write the month in words, e.g. juni",
    ends_before_starts="the weekend ends before it starts",
    check_dates="check the dates",
    long_weekend="a weekend of {days} days",
    no_country="no country after the circuit",
    no_country_hint="write e.g. 'Adria, Italien'",
    track_timezone_hint="write the schedule file's track_timezone by hand",
    no_zone_for="no time zone known for {country}",
)
