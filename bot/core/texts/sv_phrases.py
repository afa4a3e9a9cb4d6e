"""Swedish refusals and hints of the results commands (``Texts.phrases``), apart so the
language module stays small."""

from __future__ import annotations

import bot.core.texts.catalogue as c

SV_PHRASES = c.ResultPhrases(
    no_sessions="den här helgen har inga pass",
    add_sessions="lägg först till passen i schemat",
    unknown_session="okänt pass “{query}”",
    choose_session="välj ett av: {choices}",
    ambiguous_session="“{query}” passar flera pass: {listed}",
    write_session_id="skriv passets id, t.ex. race1",
    ambiguous_driver="“{query}” passar flera förare: {listed}",
    write_first_name="skriv förnamnet eller id:t",
    unknown_driver="okänd förare “{query}”",
    choose_driver="välj en av: {choices}",
    no_drivers="inga i den här serien",
    usage=(
        "så här: PASS FÖRARE PLATS [FÖRARE PLATS ...], t.ex. “race2 andreas dnf jessica 17”; "
        "en plats är 17, 17:e, P17, dnf, dns, dsq eller nc; klassplatser kan följa en plats "
        "(“15 trophy 2 junior 3” eller “trophy:2”), sedan en valfri anteckning inom "
        'citattecken ("punktering"); en rättelse ändrar bara de förare, klassplatser och '
        "anteckningar den nämner: “jessica -” tar bort Jessicas resultat, “trophy -” en "
        'klassplats, “""” en anteckning'
    ),
    unmatched_quote="ostängt citattecken i “{word}”",
    close_note='stäng anteckningen: "så här"',
    place_outside="plats {place} för {what} är utanför 1–{size}",
    in_class="{who} i {key}",
    unexpected_note="oväntad anteckning “{note}”",
    note_after_place="en anteckning skrivs efter förarens plats",
    no_driver="“{text}” saknar förare",
    driver_before_place="skriv en förare före varje plats",
    not_understood="förstod inte “{text}”",
    no_place="ingen plats angiven för {who}",
    not_a_place="ingen plats angiven för {who}: “{text}” är ingen plats",
    two_class_places="{who} har två platser i {key}",
    not_a_class_place="“{text}” är ingen plats i {key} för {who}",
    after_removal="“{text}” efter “-” för {who}",
    nothing_after_removal="“-” tar bort hela resultatet för {who}; skriv inget efter det",
    listed_twice="{who} står med två gånger",
    both_have="{other} och {who} har båda {place}",
    place="plats {where}",
    class_place="plats {where} i {key}",
    nothing_to_record="inget att registrera",
    no_results="inga resultat angivna för {session}",
    the_session="Passet",
    not_started="{label} har inte börjat än (det börjar {start} {zone})",
    weekend_not_started="{label} har inte börjat än (helgen börjar {day})",
    record_later="registrera resultatet när passet har körts",
    nothing_to_remove="{who} har inget resultat i {session} att ta bort.",
    remove_only_recorded="Skriv “-” som plats bara för en förare som redan har ett resultat.",
    no_class_place_to_remove="{who} har ingen plats i {key} i {session} att ta bort.",
    already_has="{who} har redan {problem} i {session}.",
    correct_both="Rätta båda i samma kommando, t.ex. /result {session_id} {example}",
    clash_example="{holder} PLATS {newcomer} {where}",
    class_clash_example="{holder} PLATS {key} PLATS {newcomer} PLATS {key} {where}",
    on_line="rad {line} “{text}”: {message}",
    lines_hint=(
        "skriv som pressmeddelandet: “Andreas resultat:” och sedan en rad per pass, “Race 2: "
        "Bröt (DNF)”, “Kval: 3:e plats”, “Race 1: 15:e plats (2:a i WTCR Trophy)”; eller "
        "“Race 2:” och sedan “Andreas: 17:e”"
    ),
    whose_result="vems resultat? ingen förare är nämnd",
    name_above=(
        "skriv “Andreas resultat:” på raden ovanför, eller namnet först: “Andreas Race 2: 17:e”"
    ),
    which_session="vilket pass? inget pass är nämnt",
    session_above="skriv passet först: “Race 2: 17:e”, eller “Race 2:” på raden ovanför",
    unknown_label="“{label}” är varken ett pass eller en förare",
    did_you_mean="menade du {choices}?",
    under_unknown="står under rubriken på rad {heading}, som inte kunde läsas",
    not_an_outcome="“{text}” är ingen plats eller status",
    outcome_shapes=(
        "en plats skrivs 17, 17:e, 17:e plats eller P17; en status bröt (DNF), startade inte "
        "(DNS), diskvalificerad (DSQ) eller ej klassad (NC); klassplatser inom parentes: "
        "(2:a i WTCR Trophy)"
    ),
    status_clash="“{text}” säger både {first} och {second}",
    not_a_class_text="“{text}” är ingen klassplats",
    class_shape="skriv klassplatser så här: (2:a i WTCR Trophy, 3:e i juniorklassen)",
    place_impossible="plats {place} är ingen möjlig plats (1–{top})",
    already_on_line="{who} har redan ett resultat i {session} på rad {earlier}",
    place_on_line="{other} har redan {place} i {session} på rad {earlier}",
    one_at_a_time="skriv varje förares plats en gång per pass",
    beyond_grid=(
        "⚠️ Kontrollera: {what} – fler än de {grid} bilar ett startfält brukar ha "
        "(schemafilen anger inget startfält, grid, för serien). Stämmer det, publicera ändå."
    ),
    beyond_entries=(
        "⚠️ Kontrollera: {what} – {series} har {grid} bilar i startfältet. Stämmer det, "
        "publicera ändå."
    ),
    place_of="plats {place} för {who}",
    class_place_of="plats {place} i {key} för {who}",
    not_a_row="ingen tabellrad",
    row_hint=(
        "skriv rader som pressmeddelandet: “1: Mike Halder (GER), 242 p.”, delad plats “20: "
        "…” två gånger (eller “T-20”, “=20”), halva poäng “190,5 p.”; för ett team “1: Cyan "
        "Racing Lynk & Co, 141 p.”"
    ),
    table_hint=(
        "klistra in tabellerna som pressmeddelandet skriver dem: en rubrikrad, serieraden "
        "“TCR Europe Series 2020 (Efter 5 av 6 tävlingshelger)”, rader “1: Mike Halder "
        "(GER), 242 p.”, “–”, sedan våra rader"
    ),
    position_taken="plats {pos} finns redan på rad {line}",
    tie_hint="en delad plats har samma poäng på båda raderna; annars rätta platsen",
    thousands="poängen “{points}” kan ha tusentalsavgränsare eller en siffra i namnet",
    thousands_hint=(
        "skriv poängen utan avgränsare, efter ett kommatecken: “1: Cyan Racing, 1141 p.”"
    ),
    no_rows="en tabell utan rader",
    row_before_title="en rad före tabellens rubrik",
    dash_before_rows="ett streck före första raden",
    second_dash="ett andra streck i samma tabell",
    no_table="ingen tabell hittades",
    heading_above="rubrik ovanför tabellerna: inlägget har sin egen rubrik",
    link_text="länktext utan länk: utelämnad",
    under_empty_title="serieraden under en tabell utan rader",
    rows_refused="rubriken till en tabell vars rader inte kunde läsas",
    standings_refused="Inte med (rätta och skicka igen):",
    standings_left_out="Lästa men inte med i inlägget:",
    class_unread=(
        "inte läst: {unread} (föraren har inget resultat i passet, eller resultatblocket "
        "säger annat; skriv det i blocket: “Race 1: 15:e plats (3:e i WTCR Trophy)”)"
    ),
    class_behind="plats {place} i {key} är sämre än totalplatsen {position}",
    no_title=(
        "en tabell utan rubrik och serierad ovanför: vilket mästerskap? (skriv t.ex. "
        "“Förare” och “FIA WTCR 2021 (Efter 3 av 8 tävlingshelger)” ovanför)"
    ),
    partly_read=(
        "delvis läst: {read}; inte läst: {unread} (skriv klassplatsen i resultatblocket: "
        "“Race 1: 15:e plats (3:e i WTCR Trophy)”)"
    ),
)
