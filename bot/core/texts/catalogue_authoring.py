"""The shape of the readers' refusals in one language (``Texts.authoring``), apart so the
catalogue stays small; ``bot.core.texts.catalogue`` re-exports it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AuthoringPhrases:
    """How the timetable, calendar and zone readers refuse a line and hint at the fix
    (``bot.authoring.phrases``): a reason, then a hint written as the fix's sentence."""

    hint_label: str
    #: Hints as a staff member in chat can follow: the same field's sentence without the
    #: CLI's options (--tz, --year) or schedule files, which only the operator has.
    in_chat: dict[str, str]
    #: A refused line quoted before its reason (the CLI, logs).
    quoted: str  # {reason}, {text}
    refusal: str  # {hint}, {reason}
    both: str  # {first}, {second}
    line_no: str  # {line}
    tz_option: str
    track_zone: str  # {zone}
    swedish_time: str
    year_outside: str  # {year}
    year_hint: str
    no_timetable: str
    no_timetable_hint: str
    heading_no_sessions: str  # {hint}, {line}
    several_timetables: str  # {count}, {lines}
    several_hint: str
    place_problem: str  # {line}, {place}, {problem}
    several_zones: str  # {code}, {listed}
    before_day: str
    before_day_hint: str
    dst_gap: str  # {day}, {time}, {zone}
    dst_gap_hint: str
    dst_fold: str  # {day}, {offsets}, {time}, {zone}
    dst_fold_hint: str
    or_word: str  # {first}, {second}
    in_zone: str  # {claim}, {problem}
    alt_no_zone: str
    alt_no_zone_hint: str
    alt_disagrees: str  # {alt}, {claim}, {mine}, {theirs}, {wall}, {where}
    alt_disagrees_hint: str
    would_be: str  # {mine}, {text}, {theirs}
    swedish_or_local: str  # {at}, {where}
    swedish_or_local_hint: str
    two_zones: str  # {at}, {claim}
    two_zones_hint: str
    zones_disagree: str  # {at}, {other}, {other_text}, {used}, {used_text}
    zones_disagree_hint: str
    overlap: str  # {end}, {line}, {other}
    overlap_assumed: str  # {end}, {line}, {other}
    overlap_hint: str
    no_zone: str
    no_zone_hint: str
    bad_duration: str  # {text}
    bad_duration_hint: str
    end_time: str  # {problem}
    check_time: str
    range_vs_duration: str  # {duration}, {minutes}
    range_vs_duration_hint: str
    place_zones: str  # {claim}, {place}, {problem}
    place_zones_hint: str
    local_unknown: str  # {claim}
    local_unknown_in: str  # {claim}, {place}
    local_unknown_hint: str
    zone_unknown: str  # {claim}
    zone_unknown_hint: str
    offset_mismatch: str  # {actual}, {actual_offset}, {claim}, {day}, {offset}, {zone}
    offset_mismatch_hint: str
    not_a_time: str  # {value}
    not_a_time_hint: str
    ends_before_start: str  # {end}, {start}
    ends_before_start_hint: str
    no_name: str
    no_name_hint: str
    second_time: str
    second_time_hint: str
    day_without_date: str
    day_without_date_hint: str
    not_understood: str
    not_understood_hint: str
    under_refused_day: str  # {line}
    under_refused_day_hint: str  # {line}
    continues: str
    continues_hint: str
    no_sessions: str
    no_sessions_hint: str
    next_is_day: str  # {hint}, {line}
    next_not_session: str  # {hint}, {line}, {text}
    outside: str
    outside_ended: str  # {line}
    outside_hint: str
    no_such_date: str  # {day}, {month}, {year}
    iso_date: str
    iso_date_hint: str
    check_date: str
    wrong_weekday: str  # {date}, {weekday}
    did_you_mean: str  # {heading}
    other_year: str  # {fits}, {heading}, {other}, {weekday}, {year}
    day_or_month: str  # {first}, {second}
    month_as_word: str  # {first}, {second}
    us_order: str  # {date}, {other}, {other_weekday}, {weekday}
    month_as_word_one: str  # {example}
    no_calendar: str
    no_calendar_hint: str
    calendar_year: str  # {found}, {year}
    pass_year: str  # {year}
    calendar_tba: str
    calendar_tba_hint: str
    calendar_line_hint: str
    calendar_empty: str
    calendar_empty_hint: str
    not_a_month: str  # {word}
    not_a_month_hint: str
    ends_before_starts: str
    check_dates: str
    long_weekend: str  # {days}
    no_country: str
    no_country_hint: str
    track_timezone_hint: str
    no_zone_for: str  # {country}
