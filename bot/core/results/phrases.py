"""Every refusal of the results commands, by name; the wording lives in the catalogue.

Each constant names one field of ``ResultPhrases`` (``bot.core.texts``), so a phrase one
language lacks is a mypy error there. Fields are filled with ``str.format``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.core.texts import texts
from bot.core.texts.catalogue import ResultPhrases


@dataclass(frozen=True, slots=True)
class Phrase:
    """One refusal (or hint): which field of the reader's ``ResultPhrases`` it is."""

    pick: Callable[[ResultPhrases], str]

    def say(self, language: str, **fields: object) -> str:
        return self.pick(texts(language).phrases).format(**fields)


# Resolving sessions and drivers.
NO_SESSIONS = Phrase(lambda p: p.no_sessions)
ADD_SESSIONS = Phrase(lambda p: p.add_sessions)
UNKNOWN_SESSION = Phrase(lambda p: p.unknown_session)
CHOOSE_SESSION = Phrase(lambda p: p.choose_session)
AMBIGUOUS_SESSION = Phrase(lambda p: p.ambiguous_session)
WRITE_SESSION_ID = Phrase(lambda p: p.write_session_id)
AMBIGUOUS_DRIVER = Phrase(lambda p: p.ambiguous_driver)
WRITE_FIRST_NAME = Phrase(lambda p: p.write_first_name)
UNKNOWN_DRIVER = Phrase(lambda p: p.unknown_driver)
CHOOSE_DRIVER = Phrase(lambda p: p.choose_driver)
NO_DRIVERS = Phrase(lambda p: p.no_drivers)

# Reading the command.
USAGE = Phrase(lambda p: p.usage)
UNMATCHED_QUOTE = Phrase(lambda p: p.unmatched_quote)
CLOSE_NOTE = Phrase(lambda p: p.close_note)
PLACE_OUTSIDE = Phrase(lambda p: p.place_outside)
IN_CLASS = Phrase(lambda p: p.in_class)
UNEXPECTED_NOTE = Phrase(lambda p: p.unexpected_note)
NOTE_AFTER_PLACE = Phrase(lambda p: p.note_after_place)
NO_DRIVER = Phrase(lambda p: p.no_driver)
DRIVER_BEFORE_PLACE = Phrase(lambda p: p.driver_before_place)
NOT_UNDERSTOOD = Phrase(lambda p: p.not_understood)
NO_PLACE = Phrase(lambda p: p.no_place)
NOT_A_PLACE = Phrase(lambda p: p.not_a_place)
TWO_CLASS_PLACES = Phrase(lambda p: p.two_class_places)
NOT_A_CLASS_PLACE = Phrase(lambda p: p.not_a_class_place)
AFTER_REMOVAL = Phrase(lambda p: p.after_removal)
NOTHING_AFTER_REMOVAL = Phrase(lambda p: p.nothing_after_removal)
LISTED_TWICE = Phrase(lambda p: p.listed_twice)
BOTH_HAVE = Phrase(lambda p: p.both_have)
PLACE = Phrase(lambda p: p.place)
CLASS_PLACE = Phrase(lambda p: p.class_place)
NOTHING_TO_RECORD = Phrase(lambda p: p.nothing_to_record)
NO_RESULTS = Phrase(lambda p: p.no_results)
THE_SESSION = Phrase(lambda p: p.the_session)
NOT_STARTED = Phrase(lambda p: p.not_started)
WEEKEND_NOT_STARTED = Phrase(lambda p: p.weekend_not_started)
RECORD_LATER = Phrase(lambda p: p.record_later)

# Correcting what is recorded.
NOTHING_TO_REMOVE = Phrase(lambda p: p.nothing_to_remove)
REMOVE_ONLY_RECORDED = Phrase(lambda p: p.remove_only_recorded)
NO_CLASS_PLACE_TO_REMOVE = Phrase(lambda p: p.no_class_place_to_remove)
ALREADY_HAS = Phrase(lambda p: p.already_has)
CORRECT_BOTH = Phrase(lambda p: p.correct_both)
CLASH_EXAMPLE = Phrase(lambda p: p.clash_example)
CLASS_CLASH_EXAMPLE = Phrase(lambda p: p.class_clash_example)

# Reading results and standings as the releases print them, line by line.
ON_LINE = Phrase(lambda p: p.on_line)
LINES_HINT = Phrase(lambda p: p.lines_hint)
WHOSE_RESULT = Phrase(lambda p: p.whose_result)
NAME_ABOVE = Phrase(lambda p: p.name_above)
WHICH_SESSION = Phrase(lambda p: p.which_session)
SESSION_ABOVE = Phrase(lambda p: p.session_above)
UNKNOWN_LABEL = Phrase(lambda p: p.unknown_label)
DID_YOU_MEAN = Phrase(lambda p: p.did_you_mean)
UNDER_UNKNOWN = Phrase(lambda p: p.under_unknown)
NOT_AN_OUTCOME = Phrase(lambda p: p.not_an_outcome)
OUTCOME_SHAPES = Phrase(lambda p: p.outcome_shapes)
STATUS_CLASH = Phrase(lambda p: p.status_clash)
CLASS_BEHIND = Phrase(lambda p: p.class_behind)
NOT_A_CLASS_TEXT = Phrase(lambda p: p.not_a_class_text)
CLASS_SHAPE = Phrase(lambda p: p.class_shape)
PLACE_IMPOSSIBLE = Phrase(lambda p: p.place_impossible)
ALREADY_ON_LINE = Phrase(lambda p: p.already_on_line)
PLACE_ON_LINE = Phrase(lambda p: p.place_on_line)
ONE_AT_A_TIME = Phrase(lambda p: p.one_at_a_time)
BEYOND_GRID = Phrase(lambda p: p.beyond_grid)
BEYOND_ENTRIES = Phrase(lambda p: p.beyond_entries)
PLACE_OF = Phrase(lambda p: p.place_of)
CLASS_PLACE_OF = Phrase(lambda p: p.class_place_of)
NOT_A_ROW = Phrase(lambda p: p.not_a_row)
ROW_HINT = Phrase(lambda p: p.row_hint)
TABLE_HINT = Phrase(lambda p: p.table_hint)
POSITION_TAKEN = Phrase(lambda p: p.position_taken)
TIE_HINT = Phrase(lambda p: p.tie_hint)
THOUSANDS = Phrase(lambda p: p.thousands)
THOUSANDS_HINT = Phrase(lambda p: p.thousands_hint)
NO_ROWS = Phrase(lambda p: p.no_rows)
ROW_BEFORE_TITLE = Phrase(lambda p: p.row_before_title)
DASH_BEFORE_ROWS = Phrase(lambda p: p.dash_before_rows)
SECOND_DASH = Phrase(lambda p: p.second_dash)
NO_TABLE = Phrase(lambda p: p.no_table)
HEADING_ABOVE = Phrase(lambda p: p.heading_above)
LINK_TEXT = Phrase(lambda p: p.link_text)
UNDER_EMPTY_TITLE = Phrase(lambda p: p.under_empty_title)
NO_TITLE = Phrase(lambda p: p.no_title)
PARTLY_READ = Phrase(lambda p: p.partly_read)
CLASS_UNREAD = Phrase(lambda p: p.class_unread)
ROWS_REFUSED = Phrase(lambda p: p.rows_refused)
STANDINGS_REFUSED = Phrase(lambda p: p.standings_refused)
STANDINGS_LEFT_OUT = Phrase(lambda p: p.standings_left_out)
