"""Every refusal of the results commands, in Swedish and English, in one place.

Staff get their errors in their own language; keeping both wordings side by side keeps
them saying the same thing. Fields are filled with ``str.format``.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.model import Text


@dataclass(frozen=True, slots=True)
class Phrase:
    """One refusal (or hint) as a Swedish and an English template."""

    sv: str
    en: str

    def say(self, language: str, **fields: object) -> str:
        return Text(self.sv, self.en).get(language).format(**fields)


# Resolving sessions and drivers.
NO_SESSIONS = Phrase("den här helgen har inga pass", "this weekend has no sessions")
ADD_SESSIONS = Phrase("lägg först till passen i schemat", "add the sessions to the schedule first")
UNKNOWN_SESSION = Phrase("okänt pass “{query}”", "unknown session “{query}”")
CHOOSE_SESSION = Phrase("välj ett av: {choices}", "choose one of: {choices}")
AMBIGUOUS_SESSION = Phrase(
    "“{query}” passar flera pass: {listed}", "“{query}” matches several sessions: {listed}"
)
WRITE_SESSION_ID = Phrase("skriv passets id, t.ex. race1", "write the session id, e.g. race1")
AMBIGUOUS_DRIVER = Phrase(
    "“{query}” passar flera förare: {listed}", "“{query}” matches several drivers: {listed}"
)
WRITE_FIRST_NAME = Phrase("skriv förnamnet eller id:t", "write the first name or the id")
UNKNOWN_DRIVER = Phrase("okänd förare “{query}”", "unknown driver “{query}”")
CHOOSE_DRIVER = Phrase("välj en av: {choices}", "choose one of: {choices}")
NO_DRIVERS = Phrase("inga i den här serien", "none in this series")

# Reading the command.
USAGE = Phrase(
    "så här: PASS FÖRARE PLATS [FÖRARE PLATS ...], t.ex. `race2 andreas dnf jessica 17`; "
    "en plats är 17, 17:e, P17, dnf, dns, dsq eller nc; klassplatser kan följa en plats "
    "(`15 trophy 2 junior 3` eller `trophy:2`), sedan en valfri anteckning inom citattecken "
    '("punktering"); en rättelse ändrar bara de förare, klassplatser och anteckningar den '
    'nämner: `jessica -` tar bort Jessicas resultat, `trophy -` en klassplats, `""` en '
    "anteckning",
    "usage: SESSION DRIVER PLACE [DRIVER PLACE ...], e.g. `race2 andreas dnf jessica 17`; "
    "a place is 17, 17th, 17:e, P17, dnf, dns, dsq or nc; class places may follow a place "
    '(`15 trophy 2 junior 3` or `trophy:2`), then an optional note in quotes ("puncture"); '
    "a correction changes only the drivers, class places and notes it names: "
    '`jessica -` removes Jessica\'s result, `trophy -` a class place, `""` a note',
)
UNMATCHED_QUOTE = Phrase("ostängt citattecken i “{word}”", "unmatched quote in “{word}”")
CLOSE_NOTE = Phrase('stäng anteckningen: "så här"', 'close the note: "like this"')
PLACE_OUTSIDE = Phrase(
    "plats {place} för {what} är utanför 1–{size}", "place {place} for {what} is outside 1–{size}"
)
IN_CLASS = Phrase("{who} i {key}", "{who} in {key}")
UNEXPECTED_NOTE = Phrase("oväntad anteckning “{note}”", "unexpected note “{note}”")
NOTE_AFTER_PLACE = Phrase(
    "en anteckning skrivs efter förarens plats", "a note goes after a driver's place"
)
NO_DRIVER = Phrase("“{text}” saknar förare", "“{text}” has no driver")
DRIVER_BEFORE_PLACE = Phrase("skriv en förare före varje plats", "write a driver before each place")
NOT_UNDERSTOOD = Phrase("förstod inte “{text}”", "did not understand “{text}”")
NO_PLACE = Phrase("ingen plats angiven för {who}", "no place given for {who}")
NOT_A_PLACE = Phrase(
    "ingen plats angiven för {who}: “{text}” är ingen plats",
    "no place given for {who}: “{text}” is not a place",
)
TWO_CLASS_PLACES = Phrase("{who} har två platser i {key}", "{who} has two places in {key}")
NOT_A_CLASS_PLACE = Phrase(
    "“{text}” är ingen plats i {key} för {who}", "“{text}” is not a place in {key} for {who}"
)
AFTER_REMOVAL = Phrase("“{text}” efter “-” för {who}", "“{text}” after “-” for {who}")
NOTHING_AFTER_REMOVAL = Phrase(
    "“-” tar bort hela resultatet för {who}; skriv inget efter det",
    "“-” removes {who}'s whole result; write nothing after it",
)
LISTED_TWICE = Phrase("{who} står med två gånger", "{who} is listed twice")
BOTH_HAVE = Phrase("{other} och {who} har båda {place}", "{other} and {who} both have {place}")
PLACE = Phrase("plats {where}", "place {where}")
CLASS_PLACE = Phrase("plats {where} i {key}", "place {where} in {key}")
NOTHING_TO_RECORD = Phrase("inget att registrera", "nothing to record")
NO_RESULTS = Phrase("inga resultat angivna för {session}", "no results given for {session}")
THE_SESSION = Phrase("Passet", "The session")
NOT_STARTED = Phrase(
    "{label} har inte börjat än (det börjar {start} svensk tid)",
    "{label} has not started yet (it starts {start} Swedish time)",
)
WEEKEND_NOT_STARTED = Phrase(
    "{label} har inte börjat än (helgen börjar {day})",
    "{label} has not started yet (the weekend starts {day})",
)
RECORD_LATER = Phrase(
    "registrera resultatet när passet har körts",
    "record the result once the session has been run",
)

# Correcting what is recorded.
NOTHING_TO_REMOVE = Phrase(
    "{who} har inget resultat i {session} att ta bort.",
    "{who} has no result in {session} to remove.",
)
REMOVE_ONLY_RECORDED = Phrase(
    "Skriv `-` som plats bara för en förare som redan har ett resultat.",
    "Write `-` as the place only for a driver who already has a result.",
)
NO_CLASS_PLACE_TO_REMOVE = Phrase(
    "{who} har ingen plats i {key} i {session} att ta bort.",
    "{who} has no place in {key} in {session} to remove.",
)
ALREADY_HAS = Phrase(
    "{who} har redan {problem} i {session}.", "{who} already has {problem} in {session}."
)
CORRECT_BOTH = Phrase(
    "Rätta båda i samma kommando, t.ex. /result {session_id} {example}",
    "Correct both in one command, e.g. /result {session_id} {example}",
)
CLASH_EXAMPLE = Phrase("{holder} PLATS {newcomer} {where}", "{holder} PLACE {newcomer} {where}")
CLASS_CLASH_EXAMPLE = Phrase(
    "{holder} PLATS {key} PLATS {newcomer} PLATS {key} {where}",
    "{holder} PLACE {key} PLACE {newcomer} PLACE {key} {where}",
)
