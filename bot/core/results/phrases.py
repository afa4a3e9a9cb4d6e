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
