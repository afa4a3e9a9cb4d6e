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

# Reading results as the releases print them, line by line.
ON_LINE = Phrase("rad {line} “{text}”: {message}", "line {line} “{text}”: {message}")
LINES_HINT = Phrase(
    "skriv som pressmeddelandet: “Andreas resultat:” och sedan en rad per pass, "
    "“Race 2: Bröt (DNF)”, “Kval: 3:e plats”, “Race 1: 15:e plats (2:a i WTCR Trophy)”; "
    "eller “Race 2:” och sedan “Andreas: 17:e”",
    "write it as the release does: “Andreas’ results:” then one line per session, "
    "“Race 2: Retired (DNF)”, “Qualifying: 17th place”, “Race 1: 15th place (2nd in WTCR "
    "Trophy)”; or “Race 2:” then “Andreas: 17th”",
)
WHOSE_RESULT = Phrase("vems resultat? ingen förare är nämnd", "whose result? no driver is named")
NAME_ABOVE = Phrase(
    "skriv “Andreas resultat:” på raden ovanför, eller namnet först: “Andreas Race 2: 17:e”",
    "write “Andreas’ results:” on the line above, or the name first: “Andreas Race 2: 17th”",
)
WHICH_SESSION = Phrase("vilket pass? inget pass är nämnt", "which session? no session is named")
SESSION_ABOVE = Phrase(
    "skriv passet först: “Race 2: 17:e”, eller “Race 2:” på raden ovanför",
    "write the session first: “Race 2: 17th”, or “Race 2:” on the line above",
)
UNKNOWN_LABEL = Phrase(
    "“{label}” är varken ett pass eller en förare",
    "“{label}” is neither a session nor a driver",
)
DID_YOU_MEAN = Phrase("menade du {choices}?", "did you mean {choices}?")
UNDER_UNKNOWN = Phrase(
    "står under rubriken på rad {heading}, som inte kunde läsas",
    "is under the heading on line {heading}, which could not be read",
)
NOT_AN_OUTCOME = Phrase(
    "“{text}” är ingen plats eller status", "“{text}” is not a place or a status"
)
OUTCOME_SHAPES = Phrase(
    "en plats skrivs 17, 17:e, 17:e plats eller P17; en status bröt (DNF), startade inte "
    "(DNS), diskvalificerad (DSQ) eller ej klassad (NC); klassplatser inom parentes: "
    "(2:a i WTCR Trophy)",
    "a place is written 17, 17th, 17th place or P17; a status Retired (DNF), Did not "
    "start (DNS), Disqualified (DSQ) or Not classified (NC); class places in brackets: "
    "(2nd in WTCR Trophy)",
)
STATUS_CLASH = Phrase(
    "“{text}” säger både {first} och {second}", "“{text}” says both {first} and {second}"
)
NOT_A_CLASS_TEXT = Phrase("“{text}” är ingen klassplats", "“{text}” is not a class place")
CLASS_SHAPE = Phrase(
    "skriv klassplatser så här: (2:a i WTCR Trophy, 3:e i juniorklassen)",
    "write class places like this: (2nd in WTCR Trophy, 3rd in Junior)",
)
PLACE_IMPOSSIBLE = Phrase(
    "plats {place} är ingen möjlig plats (1–{top})",
    "place {place} is not a possible place (1–{top})",
)
ALREADY_ON_LINE = Phrase(
    "{who} har redan ett resultat i {session} på rad {earlier}",
    "{who} already has a result in {session} on line {earlier}",
)
PLACE_ON_LINE = Phrase(
    "{other} har redan {place} i {session} på rad {earlier}",
    "{other} already has {place} in {session} on line {earlier}",
)
ONE_AT_A_TIME = Phrase(
    "skriv varje förares plats en gång per pass", "give each driver's place once per session"
)
BEYOND_GRID = Phrase(
    "⚠️ Kontrollera: {what} – fler än de {grid} bilar ett startfält brukar ha. "
    "Stämmer det, publicera ändå.",
    "⚠️ Check: {what} – more than the {grid} cars a grid usually has. "
    "If it is right, publish anyway.",
)
PLACE_OF = Phrase("plats {place} för {who}", "place {place} for {who}")
CLASS_PLACE_OF = Phrase("plats {place} i {key} för {who}", "place {place} in {key} for {who}")

# Reading pasted standings tables.
NOT_A_ROW = Phrase("ingen tabellrad", "not a standings row")
ROW_HINT = Phrase(
    "skriv rader som pressmeddelandet: “1: Mike Halder (GER), 242 p.”, delad plats "
    "“20: …” två gånger (eller “T-20”, “=20”), halva poäng “190,5 p.”; för ett team "
    "“1: Cyan Racing Lynk & Co, 141 p.”",
    "write rows as the release prints them: “1: Mike Halder (GER), 242 p.”, a shared "
    "place “20: …” twice (or “T-20”, “=20”), half points “190.5 p.”; for a team, "
    "“1: Cyan Racing Lynk & Co, 141 p.”",
)
TABLE_HINT = Phrase(
    "klistra in tabellerna som pressmeddelandet skriver dem: en rubrikrad, serieraden "
    "“TCR Europe Series 2020 (Efter 5 av 6 tävlingshelger)”, rader “1: Mike Halder (GER), "
    "242 p.”, “–”, sedan våra rader",
    "paste the tables as the release prints them: a title line, the series line "
    "“FIA WTCR 2021 (After 3 of 8 race weekends)”, rows “1: Mike Halder (GER), 242 p.”, "
    "“–”, then our rows",
)
POSITION_TAKEN = Phrase(
    "plats {pos} finns redan på rad {line}", "position {pos} is already on line {line}"
)
TIE_HINT = Phrase(
    "en delad plats har samma poäng på båda raderna; annars rätta platsen",
    "a shared place has the same points on both rows; otherwise correct the position",
)
NO_ROWS = Phrase("en tabell utan rader", "a table with no rows")
ROW_BEFORE_TITLE = Phrase("en rad före tabellens rubrik", "a row before any table title")
DASH_BEFORE_ROWS = Phrase("ett streck före första raden", "a dash line before any row")
SECOND_DASH = Phrase("ett andra streck i samma tabell", "a second dash line in one table")
NO_TABLE = Phrase("ingen tabell hittades", "no standings table found")
HEADING_ABOVE = Phrase(
    "rubrik ovanför tabellerna: inlägget har sin egen rubrik",
    "a heading above the tables: the post has its own title",
)
LINK_TEXT = Phrase("länktext utan länk: utelämnad", "link text without its link: left out")
UNDER_EMPTY_TITLE = Phrase(
    "serieraden under en tabell utan rader", "the series line of a table with no rows"
)
ROWS_REFUSED = Phrase(
    "rubriken till en tabell vars rader inte kunde läsas",
    "the title of a table whose rows could not be read",
)
STANDINGS_REFUSED = Phrase("Inte med (rätta och skicka igen):", "Not included (fix and resend):")
STANDINGS_LEFT_OUT = Phrase("Lästa men inte med i inlägget:", "Read but not in the post:")
