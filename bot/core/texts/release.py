"""What the press-release flow (/release, /done, a sent .txt/.docx) says, in sv and en.

Its own small typed catalogue beside ``Texts``, so the release flow's sentences live in
one place; fields are ``str.format`` templates, named in the comments.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReleaseTexts:
    collecting: str
    collected: str  # {lines}
    empty: str
    nothing_found: str
    file_type: str  # {name}
    file_unreadable: str  # {name}, {error}
    too_large: str  # {limit}
    title: str
    create: str  # {series}, {event}, {first}, {last}
    update: str  # {series}, {event}, {first}, {last}
    no_times: str
    facts: str  # {facts}
    results: str  # {series}, {event}
    standings: str  # {title}, {rows}
    unused_title: str
    line: str  # {lines}, {text}, {why}
    lines_word: str  # {first}, {last}
    line_word: str  # {first}
    why: Mapping[str, str]
    checks: Mapping[str, str]
    credit: str  # {credit}
    photo_kept: str
    photo_draft: str  # {credit}
    rule: str
    done: str  # {weekends}, {results}, {standings}, {count}


SV = ReleaseTexts(
    collecting=(
        "Klistra in pressmeddelandet, i ett eller flera meddelanden, och skriv /done när allt "
        "är med. Du kan också skicka det som .txt- eller .docx-fil."
    ),
    collected="Fått {lines} rader. Skicka mer, eller /done för ett utkast av allt.",
    empty="Inget pressmeddelande att läsa: skriv /release och klistra in texten.",
    nothing_found=(
        "Hittade varken tidsschema, kalender, resultat eller tabeller i pressmeddelandet."
    ),
    file_type="{name}: skicka pressmeddelandet som .txt eller .docx.",
    file_unreadable="Kunde inte läsa {name}: {error}",
    too_large="Filen är för stor (högst {limit}).",
    title="Pressmeddelande – utkast",
    create="Skapar helgen {series} {event} ({first}–{last}), i svensk tid:",
    update="Uppdaterar helgen {series} {event} ({first}–{last}), i svensk tid:",
    no_times="  tiderna kommer",
    facts="  Om banan: {facts}",
    results="Registrerar resultat, {series} {event}:",
    standings="Publicerar tabellen {title} ({rows} rader)",
    unused_title="Används inte:",
    line="{lines}: {text} – {why}",
    lines_word="rad {first}–{last}",
    line_word="rad {first}",
    why={
        "prose": "löptext",
        "not_understood": "förstods inte",
        "credit": "fotobyline (följer med bilden)",
        "link": "länk utan plats i schemat",
        "fact": "banfakta som schemat saknar fält för",
        "known": "helgen finns redan i schemat och lämnas orörd",
        "next_round": "nästa deltävling (kontrollerad mot schemat)",
    },
    checks={
        "past": "⚠️ Tidsschemats datum ({day}) har redan passerat.",
        "not_run": "⚠️ Resultat för {session}, som inte har körts än.",
        "standings_later": (
            "⚠️ Tabellen gäller efter deltävling {after}, men vi är i deltävling {round}."
        ),
        "next_differs": "⚠️ Nästa deltävling: schemat har {name} som deltävling {round}.",
    },
    credit="Foto: {credit}",
    photo_kept=(
        "Bilden följer med helgens förhandsvisning när du publicerar pressmeddelandet "
        "(skicka det med /release, eller tryck Publicera på utkastet)."
    ),
    photo_draft="📷 Bilden du skickade följer med förhandsvisningen, med ”Foto: {credit}”.",
    rule="Helger från pressmeddelanden ersätter schemafilens helg med samma serie och deltävling.",
    done=(
        "Publicerat: {weekends} helger, {results} pass med resultat, {standings} tabeller; "
        "skickat till {count} mottagare."
    ),
)

EN = ReleaseTexts(
    collecting=(
        "Paste the press release, in one or more messages, and send /done when it is all "
        "there. You can also send it as a .txt or .docx file."
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
        "credit": "photo credit (goes with the photo)",
        "link": "a link the schedule has no place for",
        "fact": "a track fact the schedule has no field for",
        "known": "the weekend is in the schedule already and is left as it is",
        "next_round": "the next round (checked against the schedule)",
    },
    checks={
        "past": "⚠️ The timetable's dates ({day}) are past.",
        "not_run": "⚠️ Results for {session}, which has not been run yet.",
        "standings_later": "⚠️ The standings are after round {after}, but this is round {round}.",
        "next_differs": "⚠️ Next round: the schedule has {name} as round {round}.",
    },
    credit="Photo: {credit}",
    photo_kept=(
        "The photo goes with the weekend preview when you publish the press release "
        "(send it with /release, or press Publish on its draft)."
    ),
    photo_draft="📷 The photo you sent goes with the preview, credited “Photo: {credit}”.",
    rule="Weekends from releases replace the schedule file's weekend of the same series and round.",
    done=(
        "Published: {weekends} weekends, {results} sessions with results, {standings} tables; "
        "sent to {count} recipients."
    ),
)

RELEASE_TEXTS: dict[str, ReleaseTexts] = {"sv": SV, "en": EN}


def release_texts(language: str) -> ReleaseTexts:
    """The release flow's texts in ``language`` (Swedish for any other)."""
    return RELEASE_TEXTS.get(language, SV)
