"""Swedish refusals and hints of the timetable, calendar and zone readers
(``Texts.authoring``), apart so the language module stays small."""

from __future__ import annotations

import bot.core.texts.catalogue as c

SV_AUTHORING = c.AuthoringPhrases(
    hint_label="tips",
    in_chat={
        "year_hint": "Skriv helgens eller säsongens år i releasen, t.ex. ”6–8 november 2026”.",
        "swedish_or_local_hint": (
            "Skriv ”(alla tidsangivelser avser svensk tid)” eller ”(lokal tid)” under rubriken."
        ),
        "zones_disagree_hint": "Ta bort eller rätta den felaktiga uppgiften i releasen.",
        "no_zone_hint": "Skriv ”(alla tidsangivelser avser svensk tid)” under rubriken.",
        "place_zones_hint": (
            "Skriv bara en tidszon i releasen, t.ex. ”(alla tidsangivelser avser svensk tid)”."
        ),
        "local_unknown_hint": "Skriv banans ort i releasen, t.ex. ”Plats: Inje, Sydkorea”.",
        "zone_unknown_hint": (
            "Skriv ”(alla tidsangivelser avser svensk tid)” under rubriken, eller banans ort"
            " (”Plats: Macau”)."
        ),
        "offset_mismatch_hint": (
            "Kontrollera om releasen menar sommar- eller vintertid och rätta noten."
        ),
        "other_year": (
            "Menar du ”{heading}”? Stämmer dagen är året inte {year}: skriv året i releasen"
            " ({other} är en {weekday} {fits})."
        ),
        "pass_year": "Skriv året {year} i releasen.",
        "track_timezone_hint": "Skriv banans ort i releasen, t.ex. ”Plats: Inje, Sydkorea”.",
    },
    quoted="”{text}”: {reason}",
    refusal="{reason}. {hint}",
    both="{first} {second}",
    line_no="rad {line}",
    tz_option="--tz",
    track_zone="banans tidszon ({zone})",
    swedish_time="svensk tid",
    year_outside="--year {year} ligger utanför 2000–2100",
    year_hint="Ange helgens eller säsongens år, t.ex. --year 2024.",
    no_timetable="hittar inget tidsschema",
    no_timetable_hint=(
        "Skriv en rubrik som ”Tidsschema för helgens tävling”, dagar som ”Fredag 6 november:” och"
        " rader som ”10:50 Fri träning 1”. Har släppet inget tidsschema skriver du schemafilen "
        "för hand."
    ),
    heading_no_sessions="Rad {line} ser ut som en rubrik, men inga pass följer. {hint}",
    several_timetables="släppet har {count} tidsscheman (rad {lines})",
    several_hint="Läs in dem med parse_release.",
    place_problem="”Plats: {place}” (rad {line}): {problem}",
    several_zones="{code} har flera tidszoner ({listed} …)",
    before_day="står före första dagen",
    before_day_hint="Skriv dagen ovanför, t.ex. ”Fredag 6 november:”.",
    dst_gap="klockan {time} finns inte på ”{day}” i {zone} – klockan ställs fram den natten",
    dst_gap_hint="Kontrollera tiden och tidszonen.",
    dst_fold=(
        "klockan {time} kommer två gånger på ”{day}” i {zone} – klockan ställs tillbaka den "
        "natten ({offsets})"
    ),
    dst_fold_hint=(
        "Kontrollera tiden. Stämmer den får passet skrivas för hand i schemafilen, med fold = 0 "
        "för sommartid eller fold = 1 för vintertid."
    ),
    or_word="{first} eller {second}",
    in_zone="(”{claim}”): {problem}",
    alt_no_zone="den andra tiden saknar tidszon",
    alt_no_zone_hint="Skriv t.ex. ”(03:00 svensk tid)”.",
    alt_disagrees=(
        "de två tiderna stämmer inte: enligt {where} (”{claim}”) är {wall} {mine} UTC, men "
        "tiden i ”{alt}” ger {theirs} UTC"
    ),
    alt_disagrees_hint="Rätta en av tiderna eller tidszonen.",
    would_be="”{text}” blir antingen {mine} eller {theirs} UTC",
    swedish_or_local=(
        "det står inte om tiderna är svensk tid eller {where}, och de skiljer sig: {at}"
    ),
    swedish_or_local_hint=(
        "Skriv ”(alla tidsangivelser avser svensk tid)” eller ”(lokal tid)” under rubriken, eller"
        " ange --tz."
    ),
    two_zones="”{claim}” nämner två tidszoner som inte stämmer överens: {at}",
    two_zones_hint="Rätta noten och skriv bara en tidszon, t.ex. ”AEDT (UTC+11)”.",
    zones_disagree=(
        "tidszonerna stämmer inte överens: {used} (”{used_text}”) och {other} (”{other_text}”): "
        "{at}"
    ),
    zones_disagree_hint="Ta bort eller rätta den felaktiga, eller kontrollera --tz.",
    overlap="börjar innan ”{other}” (rad {line}) slutar {end}",
    overlap_assumed=(
        "börjar innan ”{other}” (rad {line}) slutar {end} (längden saknas och är gissad)"
    ),
    overlap_hint=(
        "Kontrollera tiderna. Är det första passet kortare, skriv dess längd, t.ex. ”(20 min)” "
        "eller ”10:50–11:10”."
    ),
    no_zone="det står inte vilken tidszon tiderna är i",
    no_zone_hint="Skriv ”(alla tidsangivelser avser svensk tid)” under rubriken, eller ange --tz.",
    bad_duration="längden ”{text}” går inte att läsa",
    bad_duration_hint="Skriv längden som ”(60 min)” eller ”(2 x 20 min)”.",
    end_time="(sluttiden): {problem}",
    check_time="Kontrollera tiden.",
    range_vs_duration="tiderna ger {minutes} min, men längden är {duration}",
    range_vs_duration_hint="Rätta tiderna eller längden.",
    place_zones="”{claim}” nämner {place}, men {problem}",
    place_zones_hint="Ange tidszonen med --tz, t.ex. --tz Australia/Sydney.",
    local_unknown="”{claim}” anger lokal tid, men släppet säger inte vilken tidszon det är",
    local_unknown_in=(
        "”{claim}” anger lokal tid i {place}, men släppet säger inte vilken tidszon det är"
    ),
    local_unknown_hint=(
        "Skriv banans ort (”Plats: Inje, Sydkorea”), ange --series/--event för en känd helg eller"
        " tidszonen med --tz, t.ex. --tz Asia/Macau."
    ),
    zone_unknown="det går inte att se vilken tidszon ”{claim}” menar",
    zone_unknown_hint="Ange tidszonen med --tz, t.ex. --tz Asia/Macau.",
    offset_mismatch=(
        "”{claim}” säger UTC{offset}, men {day} har {zone} {actual} (UTC{actual_offset})"
    ),
    offset_mismatch_hint=(
        "Kontrollera om släppet menar sommar- eller vintertid och rätta noten, eller ange "
        "tidszonen med --tz."
    ),
    not_a_time="”{value}” är ingen klocktid",
    not_a_time_hint="Skriv tiden som 10:50 eller kl. 10.50.",
    ends_before_start="passet slutar ({end}) innan det börjar ({start})",
    ends_before_start_hint=(
        "Kontrollera tiderna, t.ex. 10:50–11:35. Ett pass efter midnatt skrivs under nästa dag."
    ),
    no_name="passets namn saknas",
    no_name_hint="Skriv t.ex. ”10:50 Fri träning 1”.",
    second_time="raden har en andra tid som inte går att placera",
    second_time_hint=(
        "Skriv ett pass per rad, och en andra tid med sin tidszon, t.ex. ”10:00 Fri träning 1 "
        "(03:00 svensk tid)”."
    ),
    day_without_date="dagen saknar datum",
    day_without_date_hint="Skriv datumet efter, t.ex. ”Lördag 14 maj” eller ”Lördag 30/9”.",
    not_understood="raden går inte att läsa som en del av tidsschemat",
    not_understood_hint=(
        "Skriv ett pass som ”10:50 Fri träning 1”, en dag som ”Lördag 14 maj” eller en not om "
        "tidszonen som ”(alla tider är svensk tid)”."
    ),
    under_refused_day="står under en dag som inte gick att läsa (rad {line})",
    under_refused_day_hint="Rätta dagen på rad {line}, så läses passet med den.",
    continues="raden går inte att läsa, och tidsschemat fortsätter efter den",
    continues_hint=(
        "Gör den till ett pass (”12:30 Prisutdelning”), flytta den under tidsschemat, eller lämna"
        " en tom rad och en rubrik före det som följer."
    ),
    no_sessions="dagen har inga pass under sig",
    no_sessions_hint="Skriv passen under dagen, t.ex. ”14:30 Fri träning 1”, eller ta bort den.",
    next_is_day="Nästa rad ({line}) är en ny dag. {hint}",
    next_not_session="Rad {line} (”{text}”) går inte att läsa som ett pass. {hint}",
    outside="dagen och passen under den står utanför tidsschemat",
    outside_ended="dagen och passen under den står utanför tidsschemat (det slutar på rad {line})",
    outside_hint=(
        "Håll ihop hela tidsschemat under rubriken: ta bort den tomma raden och noten mellan "
        "dagarna, eller flytta noten under tidsschemat."
    ),
    no_such_date="det finns ingen {day} {month} {year}",
    iso_date="datumet går inte att läsa",
    iso_date_hint="Skriv dagen som ”2026-10-03” eller ”Lördag 3 oktober”, på en egen rad.",
    check_date="Kontrollera datumet.",
    wrong_weekday="{date} är en {weekday}",
    did_you_mean="Menar du ”{heading}”?",
    other_year=(
        "Menar du ”{heading}”? Stämmer dagen är året inte {year}: ange --year ({other} är en "
        "{weekday} {fits})."
    ),
    day_or_month="kan vara {first} (dag/månad) eller {second} (månad/dag)",
    month_as_word="Skriv månaden med bokstäver: ”{first}” eller ”{second}”.",
    us_order="{date} är en {weekday}; läst som månad/dag är {other} en {other_weekday}",
    month_as_word_one="Skriv månaden med bokstäver, t.ex. ”{example}”.",
    no_calendar="hittar ingen säsongskalender",
    no_calendar_hint=(
        "Skriv en rubrik som ”WTCR Kalender 2021:” och rader som ”3-5 Juni - Nürburgring "
        "Nordschleife, Tyskland”."
    ),
    calendar_year="är kalendern för {found}, inte {year}",
    pass_year="Ange --year {year}.",
    calendar_tba="raden går inte att läsa som en helg i kalendern",
    calendar_tba_hint=(
        "En helg behöver sina datum, t.ex. ”16-18 oktober - Inje Speedium, Sydkorea”. Vänta med "
        "helger utan datum tills de är klara, och skriv noter under kalendern."
    ),
    calendar_line_hint=(
        "Skriv t.ex. ”3-5 Juni - Nürburgring Nordschleife, Tyskland” eller ”31 Juli - 1 Augusti -"
        " Adria, Italien”."
    ),
    calendar_empty="kalendern har inga helger under rubriken",
    calendar_empty_hint=(
        "Skriv helgerna under rubriken, t.ex. ”3-5 Juni - Nürburgring Nordschleife, Tyskland”."
    ),
    not_a_month="”{word}” är ingen månad",
    not_a_month_hint="Skriv månaden med bokstäver, t.ex. juni.",
    ends_before_starts="helgen slutar innan den börjar",
    check_dates="Kontrollera datumen.",
    long_weekend="en helg på {days} dagar",
    no_country="landet saknas efter banan",
    no_country_hint="Skriv t.ex. ”Adria, Italien”.",
    track_timezone_hint="Skriv track_timezone i schemafilen för hand.",
    no_zone_for="ingen känd tidszon för {country}",
)
